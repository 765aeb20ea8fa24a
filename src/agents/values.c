/* Option values read back from agent documents (written in their JSON
 * form by space/value_json.h), leniently but honestly: text forms and
 * case-insensitive labels are accepted, numbers outside the domain are
 * snapped and reported as such, everything else is refused.
 * The checks behind the per-configuration status of generated answers.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "agent-int.h"
#include "util/fileio.h"
#include "util/banned.h"

static enum l4p__fit read_bool(const json_t *j, double *v)
{
  static const char *const yes[] = {"true", "1", "yes", "on"};
  static const char *const no[] = {"false", "0", "no", "off"};
  if (json_is_boolean(j)) {
    *v = json_is_true(j);
    return L4P__FIT_OK;
  }
  if (json_is_number(j) &&
      (json_number_value(j) == 0 || json_number_value(j) == 1)) {
    *v = json_number_value(j);
    return L4P__FIT_OK;
  }
  if (!json_is_string(j))
    return L4P__FIT_BAD_TYPE;
  for (size_t k = 0; k < 4; k++) {
    if (!strcasecmp(json_string_value(j), yes[k])) {
      *v = 1;
      return L4P__FIT_OK;
    }
    if (!strcasecmp(json_string_value(j), no[k])) {
      *v = 0;
      return L4P__FIT_OK;
    }
  }
  return L4P__FIT_BAD_TYPE;
}

static enum l4p__fit read_label(const struct l4p_option *opt, const json_t *j,
                                double *v)
{
  char text[64];
  const char *s;
  if (json_is_string(j))
    s = json_string_value(j);
  else if (json_is_integer(j) || json_is_real(j)) {
    snprintf(text, sizeof text, "%.15g", json_number_value(j));
    s = text; /* labels may be numbers: x264's --pulldown 22 */
  } else
    return L4P__FIT_BAD_TYPE;
  for (size_t k = 0; k < opt->n_values; k++)
    if (!strcmp(opt->labels[k], s)) {
      *v = (double)k;
      return L4P__FIT_OK;
    }
  for (size_t k = 0; k < opt->n_values; k++)
    if (!strcasecmp(opt->labels[k], s)) {
      *v = (double)k;
      return L4P__FIT_SNAPPED;
    }
  return json_is_string(j) ? L4P__FIT_BAD_LABEL : L4P__FIT_BAD_TYPE;
}

enum l4p__fit l4p__value_read(const struct l4p_option *opt, const json_t *j,
                              double *v)
{
  if (opt->type == L4P_OPT_BOOL)
    return read_bool(j, v);
  if (opt->type == L4P_OPT_ENUM)
    return read_label(opt, j, v);
  double x;
  if (json_is_integer(j) || json_is_real(j))
    x = json_number_value(j);
  else if (!json_is_string(j) || !l4px_parse_double(json_string_value(j), &x))
    return L4P__FIT_BAD_TYPE;
  if (!isfinite(x))
    return L4P__FIT_BAD_TYPE;
  if (l4p_option_contains(opt, x)) {
    *v = x;
    return L4P__FIT_OK;
  }
  *v = l4p_option_snap(opt, x);
  return L4P__FIT_SNAPPED;
}
