/* The JSON form of an option's value (value_json.h).
 * SPDX-License-Identifier: MIT */
#include <math.h>

#include "value_json.h"
#include "util/banned.h"

json_t *l4p__value_json(const struct l4p_option *opt, double v)
{
  switch (opt->type) {
  case L4P_OPT_BOOL:
    return json_boolean(v != 0);
  case L4P_OPT_ENUM:
    return json_string(opt->labels[l4p_option_nearest_index(opt, v)]);
  case L4P_OPT_INT:
    return json_integer((json_int_t)llround(v));
  case L4P_OPT_FLOAT:
    break;
  }
  return json_real(v);
}
