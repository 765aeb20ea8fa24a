/* Option domains: how many values an option has, which values are allowed,
 * snapping numbers onto the domain, and the text form of values. Bool,
 * int, float and enum differ only here; everything above works on value
 * indices and doubles.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "space-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/numfmt.h"
#include "util/banned.h"

static const char *type_names[] = {"bool", "int", "float", "enum"};

/* Points in a stepped range, or 0 for a continuous one. */
static size_t range_points(const struct l4p_option *opt)
{
  if (opt->step <= 0)
    return 0;
  return (size_t)floor((opt->max - opt->min) / opt->step + 1e-9) + 1;
}

size_t l4p_option_cardinality(const struct l4p_option *opt)
{
  switch (opt->type) {
  case L4P_OPT_BOOL:
    return 2;
  case L4P_OPT_ENUM:
    return opt->n_values;
  default:
    return opt->n_values ? opt->n_values : range_points(opt);
  }
}

size_t l4p__free_cardinality(const struct l4p_option *opt)
{
  return opt->fixed ? 1 : l4p_option_cardinality(opt);
}

double l4p_option_value_at(const struct l4p_option *opt, size_t k)
{
  switch (opt->type) {
  case L4P_OPT_BOOL:
  case L4P_OPT_ENUM:
    return (double)k;
  default:
    if (opt->n_values)
      return opt->values[k];
    return opt->min + (double)k * opt->step;
  }
}

size_t l4p_option_nearest_index(const struct l4p_option *opt, double v)
{
  size_t n = l4p_option_cardinality(opt);
  if (n == 0)
    return 0;
  if (opt->type == L4P_OPT_BOOL || opt->type == L4P_OPT_ENUM ||
      !opt->n_values) {
    double base =
        opt->type == L4P_OPT_BOOL || opt->type == L4P_OPT_ENUM ? 0 : opt->min;
    double step =
        opt->type == L4P_OPT_BOOL || opt->type == L4P_OPT_ENUM ? 1 : opt->step;
    /* NaN goes to the first value; +-inf clamp to the ends below, as
     * they do for value lists */
    double k = isnan(v) ? 0 : floor((v - base) / step + 0.5);
    if (k < 0)
      k = 0;
    if (k > (double)(n - 1))
      k = (double)(n - 1);
    return (size_t)k;
  }
  /* value list: binary search for the closest entry */
  size_t lo = 0, hi = n - 1;
  if (!(v > opt->values[0]))
    return 0;
  if (v >= opt->values[hi])
    return hi;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (opt->values[mid] <= v)
      lo = mid;
    else
      hi = mid;
  }
  return v - opt->values[lo] <= opt->values[hi] - v ? lo : hi;
}

double l4p_option_snap(const struct l4p_option *opt, double v)
{
  if (l4p_option_cardinality(opt) == 0) {
    if (isnan(v))
      return opt->min;
    return v < opt->min ? opt->min : v > opt->max ? opt->max : v;
  }
  return l4p_option_value_at(opt, l4p_option_nearest_index(opt, v));
}

static bool same_number(double a, double b)
{
  return fabs(a - b) <= 1e-9 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

bool l4p_option_contains(const struct l4p_option *opt, double v)
{
  if (!isfinite(v))
    return false;
  if (l4p_option_cardinality(opt) == 0)
    return v >= opt->min && v <= opt->max;
  return same_number(v, l4p_option_snap(opt, v));
}

/* Describe the domain for messages: "[0, 51]", "{dia, hex}", ... */
static void describe_domain(const struct l4p_option *opt, char *buf,
                            size_t size)
{
  size_t used = 0;
  if (opt->type == L4P_OPT_BOOL) {
    snprintf(buf, size, "{0, 1}");
    return;
  }
  if (opt->type == L4P_OPT_ENUM || opt->n_values) {
    used += (size_t)snprintf(buf, size, "{");
    for (size_t k = 0; k < opt->n_values && used < size; k++) {
      if (opt->type == L4P_OPT_ENUM)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", k ? ", " : "",
                                 opt->labels[k]);
      else
        used += (size_t)snprintf(buf + used, size - used, "%s%g", k ? ", " : "",
                                 opt->values[k]);
    }
    if (used < size)
      snprintf(buf + used, size - used, "}");
    return;
  }
  if (opt->step > 0 && !(opt->type == L4P_OPT_INT && opt->step == 1))
    snprintf(buf, size, "[%g, %g] in steps of %g", opt->min, opt->max,
             opt->step);
  else
    snprintf(buf, size, "[%g, %g]", opt->min, opt->max);
}

static l4p_status outside(const struct l4p_option *opt, const char *text)
{
  char dom[512];
  describe_domain(opt, dom, sizeof dom);
  return l4p_failf(L4P_EDOMAIN, "option '%s': value '%s' is outside %s",
                   opt->name, text, dom);
}

l4p_status l4p_value_parse(const struct l4p_space *space, size_t i,
                           const char *text, double *value)
{
  const struct l4p_option *opt = l4p_space_option(space, i);
  double v;
  switch (opt->type) {
  case L4P_OPT_BOOL:
    if (!strcasecmp(text, "1") || !strcasecmp(text, "true") ||
        !strcasecmp(text, "yes") || !strcasecmp(text, "on"))
      v = 1;
    else if (!strcasecmp(text, "0") || !strcasecmp(text, "false") ||
             !strcasecmp(text, "no") || !strcasecmp(text, "off"))
      v = 0;
    else
      return outside(opt, text);
    break;
  case L4P_OPT_ENUM:
    for (size_t k = 0; k < opt->n_values; k++)
      if (strcmp(opt->labels[k], text) == 0) {
        *value = (double)k;
        return L4P_OK;
      }
    return outside(opt, text);
  default:
    if (!l4px_parse_double(text, &v))
      return l4p_failf(L4P_EDOMAIN, "option '%s': value '%s' is not a number",
                       opt->name, text);
    if (opt->type == L4P_OPT_INT && v != floor(v))
      return l4p_failf(L4P_EDOMAIN, "option '%s': value '%s' is not an integer",
                       opt->name, text);
    if (!l4p_option_contains(opt, v))
      return outside(opt, text);
    v = l4p_option_cardinality(opt) ? l4p_option_snap(opt, v) : v;
  }
  *value = v;
  return L4P_OK;
}

void l4p_value_format(const struct l4p_space *space, size_t i, double value,
                      char *buf, size_t size)
{
  const struct l4p_option *opt = l4p_space_option(space, i);
  /* -0 equals 0: print it as "0" so config keys of equal configurations
   * match (cfgset.c compares the same way) */
  if (value == 0)
    value = 0;
  switch (opt->type) {
  case L4P_OPT_BOOL:
    snprintf(buf, size, "%d", value != 0);
    break;
  case L4P_OPT_ENUM: {
    size_t k = l4p_option_nearest_index(opt, value);
    snprintf(buf, size, "%s", opt->labels[k]);
    break;
  }
  case L4P_OPT_INT:
    snprintf(buf, size, "%.0f", value);
    break;
  default:
    l4px_fmt_exact(value, 6, buf, size);
  }
}

static int compare_doubles(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static bool valid_name(const char *name)
{
  if (!name || !*name)
    return false;
  for (const char *p = name; *p; p++)
    if (!(isalnum((unsigned char)*p) || strchr("_.:+-", *p)))
      return false;
  return true;
}

l4p_status l4p__option_check(const struct l4p_option *opt)
{
  if (!valid_name(opt->name))
    return l4p_failf(L4P_EUSAGE,
                     "option name '%s' must be letters, digits and _.:+-",
                     opt->name ? opt->name : "");
  const char *type = opt->type <= L4P_OPT_ENUM ? type_names[opt->type] : "?";
  switch (opt->type) {
  case L4P_OPT_BOOL:
    break;
  case L4P_OPT_ENUM:
    if (!opt->n_values)
      return l4p_failf(L4P_EDOMAIN, "option '%s': enum without values",
                       opt->name);
    for (size_t k = 0; k < opt->n_values; k++)
      for (size_t j = 0; j < k; j++)
        if (strcmp(opt->labels[j], opt->labels[k]) == 0)
          return l4p_failf(L4P_EDOMAIN,
                           "option '%s': value '%s' listed "
                           "twice",
                           opt->name, opt->labels[k]);
    break;
  case L4P_OPT_INT:
  case L4P_OPT_FLOAT:
    for (size_t k = 0; k < opt->n_values; k++) {
      if (!isfinite(opt->values[k]) ||
          (opt->type == L4P_OPT_INT && opt->values[k] != floor(opt->values[k])))
        return l4p_failf(L4P_EDOMAIN, "option '%s': %s value %g not allowed",
                         opt->name, type, opt->values[k]);
      if (k && opt->values[k] <= opt->values[k - 1])
        return l4p_failf(L4P_EDOMAIN, "option '%s': values must be distinct",
                         opt->name);
    }
    if (!opt->n_values) {
      if (!isfinite(opt->min) || !isfinite(opt->max) || opt->min > opt->max)
        return l4p_failf(L4P_EDOMAIN, "option '%s': empty range [%g, %g]",
                         opt->name, opt->min, opt->max);
      if (opt->type == L4P_OPT_INT &&
          (opt->min != floor(opt->min) || opt->max != floor(opt->max) ||
           opt->step < 1 || opt->step != floor(opt->step)))
        return l4p_failf(L4P_EDOMAIN,
                         "option '%s': int range needs integer "
                         "bounds and a step of at least 1",
                         opt->name);
      if (opt->step < 0 || !isfinite(opt->step))
        return l4p_failf(L4P_EDOMAIN, "option '%s': step must be >= 0",
                         opt->name);
      /* beyond 2^53 points the grid is not exactly representable in
       * doubles, and range_points() would overflow its size_t */
      if (opt->step > 0 && (opt->max - opt->min) / opt->step >= 0x1p53)
        return l4p_failf(L4P_EDOMAIN,
                         "option '%s': range [%g, %g] has too "
                         "many values (at most 2^53)",
                         opt->name, opt->min, opt->max);
    }
    break;
  default:
    return l4p_failf(L4P_EUSAGE, "option '%s': unknown type", opt->name);
  }
  if (!l4p_option_contains(opt, opt->default_value)) {
    char text[64];
    snprintf(text, sizeof text, "%g", opt->default_value);
    return l4p_failf(L4P_EDOMAIN,
                     "option '%s': default %s is outside its "
                     "domain",
                     opt->name, text);
  }
  return L4P_OK;
}

static char *dup_or_null(const char *s)
{
  return s ? strdup(s) : NULL;
}

l4p_status l4p__option_copy(struct l4p_option *dst,
                            const struct l4p_option *src)
{
  *dst = *src;
  dst->name = dup_or_null(src->name);
  dst->doc = dup_or_null(src->doc);
  dst->cli.flag = dup_or_null(src->cli.flag);
  dst->cli.false_flag = dup_or_null(src->cli.false_flag);
  dst->labels = NULL;
  dst->values = NULL;
  dst->cli.values = NULL;
  bool oom = !dst->name || (src->doc && !dst->doc) ||
             (src->cli.flag && !dst->cli.flag) ||
             (src->cli.false_flag && !dst->cli.false_flag);
  if (src->type == L4P_OPT_ENUM) {
    dst->labels = calloc(src->n_values ? src->n_values : 1, sizeof(char *));
    oom |= !dst->labels;
    for (size_t k = 0; dst->labels && k < src->n_values; k++)
      oom |= !(dst->labels[k] = strdup(src->labels[k]));
    if (src->cli.values) {
      dst->cli.values = calloc(src->n_values + 1, sizeof(char *));
      oom |= !dst->cli.values;
      for (size_t k = 0; dst->cli.values && k < src->n_values; k++)
        oom |= src->cli.values[k] &&
               !(dst->cli.values[k] = strdup(src->cli.values[k]));
    }
    dst->min = 0;
    dst->max = src->n_values ? (double)(src->n_values - 1) : 0;
    dst->step = 1;
  } else if (src->type == L4P_OPT_BOOL) {
    dst->n_values = 0;
    dst->min = 0, dst->max = 1, dst->step = 1;
  } else if (src->n_values) {
    dst->values = malloc(src->n_values * sizeof(double));
    oom |= !dst->values;
    if (dst->values) {
      memcpy(dst->values, src->values, src->n_values * sizeof(double));
      qsort(dst->values, src->n_values, sizeof(double), compare_doubles);
      dst->min = dst->values[0];
      dst->max = dst->values[src->n_values - 1];
      dst->step = 0;
    }
  }
  if (oom) {
    l4p__option_release(dst);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  return L4P_OK;
}

void l4p__option_release(struct l4p_option *opt)
{
  free(opt->name);
  free(opt->doc);
  free(opt->cli.flag);
  free(opt->cli.false_flag);
  if (opt->labels)
    for (size_t k = 0; k < opt->n_values; k++)
      free(opt->labels[k]);
  free(opt->labels);
  if (opt->cli.values)
    for (size_t k = 0; k < opt->n_values; k++)
      free(opt->cli.values[k]);
  free(opt->cli.values);
  free(opt->values);
  memset(opt, 0, sizeof *opt);
}
