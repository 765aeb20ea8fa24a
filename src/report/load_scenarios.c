/* The results half of summary.json: the headline counts ("best in X of
 * Y", "pruning improved S in X of Y") and every scenario's statistics,
 * each treatment matched to the study's treatments and each scenario to
 * its system and model, so the sections look values up by index.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-int.h"
#include "util/failf.h"
#include "util/banned.h"

static l4p_status counts(const struct l4p__jr *r, json_t *headlines,
                         const char *key, struct l4p__rcounts *out)
{
  json_t *a;
  l4p_status s = l4p__jr_get(r, headlines, "headlines", key, JSON_ARRAY, &a);
  if (s)
    return s;
  out->n = json_array_size(a);
  if (!(out->c = calloc(out->n ? out->n : 1, sizeof *out->c)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; !s && k < out->n; k++) {
    struct l4p__rcount *c = &out->c[k];
    json_t *o = json_array_get(a, k);
    char at[128];
    snprintf(at, sizeof at, "headlines/%s/%zu", key, k);
    if (!json_is_object(o))
      return l4p__jr_fail(r, at, "expected an object");
    s = l4p__jr_str(r, o, at, "sampler", &c->sampler);
    if (!s)
      s = l4p__jr_bool(r, o, at, "pruned", &c->pruned);
    if (!s)
      s = l4p__jr_size(r, o, at, "n_objectives", true, &c->k);
    if (!s)
      s = l4p__jr_size(r, o, at, "x", false, &c->x);
    if (!s)
      s = l4p__jr_size(r, o, at, "y", false, &c->y);
    if (!s)
      s = l4p__jr_size(r, o, at, "ties", false, &c->ties);
  }
  return s;
}

/* One treatment's statistics (at at) into the scenario's values. */
static l4p_status value(const struct l4p__rstudy *st, const struct l4p__jr *r,
                        json_t *o, const char *at, struct l4p__rscenario *sc)
{
  const char *label;
  bool pruned, best;
  l4p_status s = l4p__jr_str(r, o, at, "sampler", &label);
  if (!s)
    s = l4p__jr_bool(r, o, at, "pruned", &pruned);
  if (!s)
    s = l4p__jr_bool(r, o, at, "best", &best);
  if (s)
    return s;
  size_t t = 0;
  while (t < st->n_treatments && (strcmp(st->treatments[t].label, label) ||
                                  st->treatments[t].pruned != pruned))
    t++;
  if (t == st->n_treatments)
    return l4p__jr_fail(r, at,
                        "treatment '%s%s' is not in "
                        "study/treatments",
                        label, pruned ? "+pruned" : "");
  struct l4p__rvalue *v = &sc->values[t];
  size_t rank;
  v->best = best;
  s = l4p__jr_size(r, o, at, "n", false, &v->n);
  if (!s)
    s = l4p__jr_real(r, o, at, "mean", &v->mean);
  if (!s)
    s = l4p__jr_real(r, o, at, "median", &v->median);
  if (!s)
    s = l4p__jr_real(r, o, at, "sd", &v->sd);
  if (!s)
    s = l4p__jr_size(r, o, at, "rank", true, &rank);
  v->rank = (int)rank;
  if (!s && v->n && !isfinite(v->mean))
    v->n = 0;
  return s;
}

static l4p_status scenario(const struct l4p__rstudy *st,
                           const struct l4p__jr *r, json_t *o, const char *at,
                           struct l4p__rscenario *sc)
{
  const char *metric, *system, *model;
  json_t *list;
  l4p_status s = l4p__jr_str(r, o, at, "metric", &metric);
  if (!s)
    s = l4p__jr_str(r, o, at, "system", &system);
  if (!s)
    s = l4p__jr_str(r, o, at, "objective", &sc->objective);
  if (!s)
    s = l4p__jr_str(r, o, at, "model", &model);
  if (!s)
    s = l4p__jr_size(r, o, at, "budget", false, &sc->budget);
  if (!s)
    s = l4p__jr_size(r, o, at, "n_objectives", false, &sc->n_objectives);
  if (!s)
    s = l4p__jr_get(r, o, at, "treatments", JSON_ARRAY, &list);
  if (s)
    return s;
  sc->front = strcmp(metric, "hv_ratio") == 0;
  if (!sc->front && strcmp(metric, "mre"))
    return l4p__jr_fail(r, at, "unknown metric '%s'", metric);
  sc->system = 0;
  while (sc->system < st->n_systems &&
         strcmp(st->systems[sc->system].name, system))
    sc->system++;
  sc->model = 0;
  while (sc->model < st->n_models && strcmp(st->models[sc->model].label, model))
    sc->model++;
  if (sc->system == st->n_systems || sc->model == st->n_models)
    return l4p__jr_fail(r, at,
                        "system '%s' or model '%s' is "
                        "not in the study",
                        system, model);
  if (!(sc->values = calloc(st->n_treatments, sizeof *sc->values)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t t = 0; !s && t < json_array_size(list); t++) {
    char where[256];
    snprintf(where, sizeof where, "%s/treatments/%zu", at, t);
    json_t *v = json_array_get(list, t);
    s = json_is_object(v) ? value(st, r, v, where, sc)
                          : l4p__jr_fail(r, where, "expected an object");
  }
  return s;
}

/* See report-int.h. */
l4p_status l4p__rstudy_load_results(struct l4p__rstudy *st,
                                    const struct l4p__jr *r)
{
  json_t *headlines, *list;
  l4p_status s =
      l4p__jr_get(r, st->root, "", "headlines", JSON_OBJECT, &headlines);
  if (!s)
    s = counts(r, headlines, "best", &st->best);
  if (!s)
    s = counts(r, headlines, "pruning", &st->pruning);
  if (!s)
    s = counts(r, headlines, "best_front", &st->best_front);
  if (!s)
    s = l4p__jr_get(r, st->root, "", "scenarios", JSON_ARRAY, &list);
  if (s)
    return s;
  st->n_scenarios = json_array_size(list);
  st->scenarios =
      calloc(st->n_scenarios ? st->n_scenarios : 1, sizeof *st->scenarios);
  if (!st->scenarios)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; !s && k < st->n_scenarios; k++) {
    char at[64];
    snprintf(at, sizeof at, "scenarios/%zu", k);
    json_t *o = json_array_get(list, k);
    s = json_is_object(o) ? scenario(st, r, o, at, &st->scenarios[k])
                          : l4p__jr_fail(r, at, "expected an object");
  }
  return s;
}

/* See report-int.h. */
const struct l4p__rscenario *l4p__rstudy_scenario(const struct l4p__rstudy *st,
                                                  bool front, size_t system,
                                                  const char *objective,
                                                  size_t budget, size_t model)
{
  for (size_t k = 0; k < st->n_scenarios; k++) {
    const struct l4p__rscenario *sc = &st->scenarios[k];
    if (sc->front == front && sc->system == system && sc->model == model &&
        sc->budget == budget && (front || !strcmp(sc->objective, objective)))
      return sc;
  }
  return NULL;
}
