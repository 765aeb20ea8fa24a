/* Feature vectors and distances. Models see bools as 0/1, numbers as they
 * are and enums one-hot (an enum's labels have no order, so an index would
 * invent one). Distances weigh every option equally, at most 1 each.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>

#include "space-int.h"
#include "util/banned.h"

size_t l4p_space_n_features(const struct l4p_space *space)
{
  return space->n_features;
}

void l4p_space_encode(const struct l4p_space *space, const double *cfg,
                      double *features)
{
  size_t j = 0;
  for (size_t i = 0; i < space->n_options; i++) {
    const struct l4p_option *opt = &space->options[i];
    if (opt->type != L4P_OPT_ENUM) {
      features[j++] = cfg[i];
      continue;
    }
    size_t k = l4p_option_nearest_index(opt, cfg[i]);
    for (size_t v = 0; v < opt->n_values; v++)
      features[j++] = v == k;
  }
}

void l4p_space_decode(const struct l4p_space *space, const double *features,
                      double *cfg)
{
  size_t j = 0;
  for (size_t i = 0; i < space->n_options; i++) {
    const struct l4p_option *opt = &space->options[i];
    if (opt->type != L4P_OPT_ENUM) {
      cfg[i] = l4p_option_snap(opt, features[j++]);
      continue;
    }
    size_t best = 0;
    for (size_t v = 1; v < opt->n_values; v++)
      if (features[j + v] > features[j + best])
        best = v;
    cfg[i] = (double)best;
    j += opt->n_values;
  }
}

void l4p_space_feature_name(const struct l4p_space *space, size_t j, char *buf,
                            size_t size)
{
  for (size_t i = 0; i < space->n_options; i++) {
    const struct l4p_option *opt = &space->options[i];
    size_t width = opt->type == L4P_OPT_ENUM ? opt->n_values : 1;
    if (j < width) {
      if (opt->type == L4P_OPT_ENUM)
        snprintf(buf, size, "%s=%s", opt->name, opt->labels[j]);
      else
        snprintf(buf, size, "%s", opt->name);
      return;
    }
    j -= width;
  }
  snprintf(buf, size, "?");
}

double l4p__option_distance(const struct l4p_option *opt, double a, double b)
{
  if (opt->type == L4P_OPT_BOOL || opt->type == L4P_OPT_ENUM)
    return a != b;
  double range = opt->max - opt->min;
  if (!(range > 0))
    return a != b;
  double d = fabs(a - b) / range;
  return d > 1 ? 1 : d;
}

double l4p_space_distance(const struct l4p_space *space, const double *a,
                          const double *b)
{
  double d = 0;
  for (size_t i = 0; i < space->n_options; i++)
    d += l4p__option_distance(&space->options[i], a[i], b[i]);
  return d;
}
