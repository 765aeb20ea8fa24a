/* The parts of the builtin analysis that need no model: correlations
 * between objectives (trade-offs show as negative r between two
 * minimised objectives), the measured Pareto front with the goals
 * respected (hypervolume.h minimises, so maximised objectives are
 * negated), and coverage gaps: option values never or rarely measured.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agent-int.h"
#include "analyze-int.h"
#include "llm4perf/hypervolume.h"
#include "util/banned.h"

json_t *l4p__report_correlations(const struct l4p__history_view *h)
{
  json_t *list = json_array();
  for (size_t a = 0; a < h->m; a++)
    for (size_t b = a + 1; b < h->m; b++) {
      double r;
      if (l4p__pearson(h->y + a * h->n, h->y + b * h->n, h->n, &r))
        json_array_append_new(list, json_pack("{s:s,s:s,s:f}", "a", h->names[a],
                                              "b", h->names[b], "r", r));
    }
  return list;
}

/* Order idx (k entries) by key[idx] (insertion sort: fronts are small,
 * and qsort would need a global for the key). */
static void sort_by(size_t *idx, size_t k, const double *key)
{
  for (size_t i = 1; i < k; i++) {
    size_t v = idx[i], j = i;
    for (; j > 0 && key[idx[j - 1]] > key[v]; j--)
      idx[j] = idx[j - 1];
    idx[j] = v;
  }
}

json_t *l4p__report_pareto(const struct l4p__history_view *h, size_t max_points,
                           size_t *front_size)
{
  json_t *list = json_array();
  double *pts = malloc((h->n * h->m + 1) * sizeof *pts);
  size_t *idx = malloc((h->n + 1) * sizeof *idx);
  *front_size = 0;
  if (!pts || !idx || h->m == 0) {
    free(pts);
    free(idx);
    return list;
  }
  for (size_t i = 0; i < h->n; i++)
    for (size_t j = 0; j < h->m; j++) {
      double v = h->y[j * h->n + i];
      pts[i * h->m + j] = h->maximize[j] ? -v : v;
    }
  size_t k = l4p_pareto_front(pts, h->n, h->m, idx);
  *front_size = k;
  sort_by(idx, k, h->y); /* spread the kept points along objective 0 */
  size_t keep = k < max_points ? k : max_points;
  size_t n_opt = l4p_space_n_options(h->space);
  for (size_t t = 0; t < keep; t++) {
    size_t i = idx[keep > 1 ? t * (k - 1) / (keep - 1) : 0];
    json_t *objs = json_object();
    for (size_t j = 0; j < h->m; j++)
      json_object_set_new(objs, h->names[j], json_real(h->y[j * h->n + i]));
    json_array_append_new(
        list, json_pack("{s:o,s:o}", "config",
                        l4p__config_json(h->space, h->configs + i * n_opt),
                        "objectives", objs));
  }
  free(pts);
  free(idx);
  return list;
}

json_t *l4p__report_gaps(const struct l4p__history_view *h)
{
  json_t *list = json_array();
  for (size_t f = 0; f < h->p; f++) {
    const struct l4p_option *opt = l4p_space_option(h->space, h->opt[f]);
    size_t L = h->levels.L[f], count[L4P_AGENT_MAX_LEVELS] = {0};
    for (size_t i = 0; i < h->n; i++)
      count[h->levels.lv[i * h->p + f]]++;
    double expected = (double)h->n / (double)L;
    json_t *values = json_array();
    for (size_t k = 0; k < L; k++)
      if (count[k] == 0 || 4.0 * (double)count[k] < expected)
        json_array_append_new(
            values, l4p__value_json(opt, l4p_agent_level_value(opt, k)));
    if (json_array_size(values))
      json_array_append_new(
          list, json_pack("{s:s,s:o}", "option", opt->name, "values", values));
    else
      json_decref(values);
  }
  return list;
}
