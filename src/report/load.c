/* summary.json (docs/STUDY.md, "Results in DIR") read into the report's
 * struct l4p__rstudy: the study's facts here, the headline counts and
 * scenarios in load_scenarios.c. Every member the report uses is checked
 * for its type, and a bad one is named by file:line:col; members it does
 * not use are ignored, so newer summaries still load.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* The strings of array a (at where) into a new array *out. */
static l4p_status strings(const struct l4p__jr *r, json_t *a, const char *where,
                          const char ***out, size_t *n)
{
  *n = json_array_size(a);
  *out = calloc(*n ? *n : 1, sizeof **out);
  if (!*out)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < *n; k++) {
    char at[256];
    snprintf(at, sizeof at, "%s/%zu", where, k);
    if (!json_is_string(json_array_get(a, k)))
      return l4p__jr_fail(r, at, "expected a string");
    (*out)[k] = json_string_value(json_array_get(a, k));
  }
  return L4P_OK;
}

static l4p_status one_system(const struct l4p__jr *r, json_t *o, const char *at,
                             struct l4p__rsystem *sys)
{
  json_t *objs, *budgets;
  char where[256];
  l4p_status s = l4p__jr_str(r, o, at, "name", &sys->name);
  if (!s)
    s = l4p__jr_str(r, o, at, "spec", &sys->spec_path);
  if (!s)
    s = l4p__jr_str_or_null(r, o, at, "decisions", &sys->decisions);
  if (!s)
    s = l4p__jr_size(r, o, at, "table_rows", false, &sys->table_rows);
  if (!s)
    s = l4p__jr_size(r, o, at, "options", false, &sys->options);
  if (!s)
    s = l4p__jr_size(r, o, at, "pruned_options", false, &sys->pruned_options);
  if (!s && !(s = l4p__jr_get(r, o, at, "objectives", JSON_ARRAY, &objs))) {
    l4p__jr_path(where, sizeof where, at, "objectives");
    s = strings(r, objs, where, &sys->objectives, &sys->n_obj);
  }
  if (!s && !(s = l4p__jr_get(r, o, at, "budgets", JSON_ARRAY, &budgets))) {
    sys->n_budgets = json_array_size(budgets);
    if (!(sys->budgets = calloc(sys->n_budgets + 1, sizeof *sys->budgets)))
      return l4p_failf(L4P_ENOMEM, "out of memory");
    for (size_t b = 0; !s && b < sys->n_budgets; b++) {
      json_t *v = json_array_get(budgets, b);
      snprintf(where, sizeof where, "%s/budgets/%zu", at, b);
      if (!json_is_integer(v) || json_integer_value(v) <= 0)
        s = l4p__jr_fail(r, where,
                         "a budget should be a "
                         "positive integer");
      else
        sys->budgets[b] = (size_t)json_integer_value(v);
    }
  }
  if (!s && (sys->n_obj == 0 || sys->n_budgets == 0))
    s = l4p__jr_fail(r, at,
                     "system '%s' has no objective or "
                     "no budget",
                     sys->name);
  return s;
}

/* "label" or "label+pruned", and one colour per label. */
static l4p_status name_treatments(struct l4p__rstudy *st)
{
  int colours = 0;
  for (size_t t = 0; t < st->n_treatments; t++) {
    struct l4p__rtreatment *tr = &st->treatments[t];
    struct l4px_sb sb;
    l4px_sb_init(&sb);
    l4px_sb_printf(&sb, "%s%s", tr->label, tr->pruned ? "+pruned" : "");
    if (!(tr->name = l4px_sb_detach(&sb)))
      return l4p_failf(L4P_ENOMEM, "out of memory");
    tr->colour = -1;
    for (size_t u = 0; u < t && tr->colour < 0; u++)
      if (!strcmp(st->treatments[u].label, tr->label))
        tr->colour = st->treatments[u].colour;
    if (tr->colour < 0)
      tr->colour = colours++;
  }
  return L4P_OK;
}

/* Each element of the array study[key] (objects) through fn. */
static l4p_status each(const struct l4p__jr *r, json_t *study, const char *key,
                       size_t size, void **items, size_t *n,
                       l4p_status (*fn)(const struct l4p__jr *, json_t *,
                                        const char *, void *))
{
  json_t *a;
  l4p_status s = l4p__jr_get(r, study, "study", key, JSON_ARRAY, &a);
  if (s)
    return s;
  *n = json_array_size(a);
  if (!(*items = calloc(*n ? *n : 1, size)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; !s && k < *n; k++) {
    char at[256];
    snprintf(at, sizeof at, "study/%s/%zu", key, k);
    json_t *o = json_array_get(a, k);
    s = json_is_object(o) ? fn(r, o, at, (char *)*items + k * size)
                          : l4p__jr_fail(r, at, "expected an object");
  }
  return s;
}

static l4p_status system_item(const struct l4p__jr *r, json_t *o,
                              const char *at, void *item)
{
  return one_system(r, o, at, item);
}

static l4p_status treatment_item(const struct l4p__jr *r, json_t *o,
                                 const char *at, void *item)
{
  struct l4p__rtreatment *t = item;
  l4p_status s = l4p__jr_str(r, o, at, "label", &t->label);
  if (!s)
    s = l4p__jr_str(r, o, at, "sampler", &t->sampler);
  if (!s)
    s = l4p__jr_bool(r, o, at, "pruned", &t->pruned);
  t->params = "{}"; /* a summary from before params were written */
  if (!s && json_object_get(o, "params"))
    s = l4p__jr_str(r, o, at, "params", &t->params);
  return s;
}

static l4p_status model_item(const struct l4p__jr *r, json_t *o, const char *at,
                             void *item)
{
  struct l4p__rmodel *m = item;
  l4p_status s = l4p__jr_str(r, o, at, "label", &m->label);
  if (!s)
    s = l4p__jr_str(r, o, at, "name", &m->name);
  if (!s)
    s = l4p__jr_str(r, o, at, "settings", &m->settings);
  return s;
}

/* The "study" member: name, file, systems, treatments, models, grid. */
static l4p_status load_study(struct l4p__rstudy *st, const struct l4p__jr *r)
{
  json_t *study, *grid, *dp;
  l4p_status s = l4p__jr_get(r, st->root, "", "study", JSON_OBJECT, &study);
  if (!s)
    s = l4p__jr_str(r, study, "study", "name", &st->name);
  if (!s)
    s = l4p__jr_str(r, study, "study", "path", &st->path);
  if (!s)
    s = l4p__jr_str(r, study, "study", "baseline", &st->baseline);
  if (!s)
    s = l4p__jr_size(r, study, "study", "repetitions", false, &st->repetitions);
  if (!s)
    s = l4p__jr_size(r, study, "study", "seed", false, &st->seed);
  if (!s)
    s = each(r, study, "systems", sizeof *st->systems, (void **)&st->systems,
             &st->n_systems, system_item);
  if (!s)
    s = each(r, study, "treatments", sizeof *st->treatments,
             (void **)&st->treatments, &st->n_treatments, treatment_item);
  if (!s)
    s = each(r, study, "models", sizeof *st->models, (void **)&st->models,
             &st->n_models, model_item);
  if (!s && (st->n_systems == 0 || st->n_treatments == 0 || st->n_models == 0))
    s = l4p__jr_fail(r, "study",
                     "the study has no system, "
                     "treatment or model");
  if (!s && !(s = l4p__jr_get(r, study, "study", "grid", JSON_OBJECT, &grid))) {
    s = l4p__jr_size(r, grid, "study/grid", "samples", false,
                     &st->grid_samples);
    if (!s)
      s = l4p__jr_size(r, grid, "study/grid", "campaigns", false,
                       &st->grid_campaigns);
    if (!s)
      s = l4p__jr_size(r, grid, "study/grid", "cells", false, &st->grid_cells);
  }
  if (!s && (dp = json_object_get(study, "deepperf")) && json_is_object(dp)) {
    st->deepperf = true;
    s = l4p__jr_str(r, dp, "study/deepperf", "search", &st->deepperf_search);
    if (!s)
      s = l4p__jr_size(r, dp, "study/deepperf", "seed", false,
                       &st->deepperf_seed);
    if (!s)
      s = l4p__jr_size(r, dp, "study/deepperf", "searches", false,
                       &st->deepperf_searches);
  }
  return s ? s : name_treatments(st);
}

/* See report-int.h. */
l4p_status l4p__rstudy_load(const char *dir, struct l4p__rstudy *st)
{
  memset(st, 0, sizeof *st);
  st->dir = dir;
  char *path = l4px_path_join(dir, "summary.json"), *text = NULL;
  if (!path)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  size_t len;
  l4p_status s = l4px_read_file(path, &text, &len);
  json_error_t err;
  if (!s && !(st->root = json_loadb(text, len, 0, &err)))
    s = l4p_failf(L4P_EPARSE, "%s:%d:%d: %s", path, err.line, err.column,
                  err.text);
  if (!s && !json_is_object(st->root))
    s = l4p_failf(L4P_EPARSE, "%s:1:1: expected a JSON object", path);
  struct l4p__jr r = {text, path};
  if (!s)
    s = load_study(st, &r);
  if (!s)
    s = l4p__rstudy_load_results(st, &r);
  free(text);
  free(path);
  if (s)
    l4p__rstudy_release(st);
  return s;
}

/* See report-int.h; a zeroed study is fine. */
void l4p__rstudy_release(struct l4p__rstudy *st)
{
  for (size_t k = 0; st->systems && k < st->n_systems; k++) {
    struct l4p__rsystem *sys = &st->systems[k];
    free(sys->objectives);
    free(sys->budgets);
    free(sys->obj);
    free(sys->pruned);
    l4p_table_free(sys->table);
    l4p_spec_free(sys->spec);
  }
  for (size_t k = 0; st->treatments && k < st->n_treatments; k++)
    free(st->treatments[k].name);
  for (size_t k = 0; st->scenarios && k < st->n_scenarios; k++)
    free(st->scenarios[k].values);
  free(st->systems);
  free(st->treatments);
  free(st->models);
  free(st->scenarios);
  free(st->best.c);
  free(st->pruning.c);
  free(st->best_front.c);
  json_decref(st->root);
  const char *dir = st->dir;
  memset(st, 0, sizeof *st);
  st->dir = dir;
}
