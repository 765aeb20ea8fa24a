/* summary.json: everything summary.md shows, for programs (the HTML
 * report reads it): the study's facts, the headline counts and every
 * scenario's ranks and tests. NaN is written as null. The layout is in
 * docs/STUDY.md.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "study-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

static json_t *real(double v)
{
  return isnan(v) ? json_null() : json_real(v);
}

static json_t *size(size_t v)
{
  return json_integer((json_int_t)v);
}

static json_t *system_json(const struct l4p__study_system *sys)
{
  json_t *objs = json_array(), *budgets = json_array();
  for (size_t j = 0; j < sys->n_obj; j++)
    json_array_append_new(objs,
                          json_string(sys->spec->objectives[sys->obj[j]].name));
  for (size_t b = 0; b < sys->n_budgets; b++)
    json_array_append_new(budgets, size(sys->budgets[b]));
  return json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "name",
                   sys->spec->name, "spec", sys->spec_path, "objectives", objs,
                   "table_rows", size(sys->table->n_rows), "budgets", budgets,
                   "options", size(l4p_space_n_options(sys->spec->space)),
                   "pruned_options", size(sys->n_pruned), "decisions",
                   sys->decisions_used ? json_string(sys->decisions_used)
                                       : json_null());
}

/* The study's facts. */
static json_t *study_json(const struct l4p__study_run *run)
{
  const struct l4p_study *st = run->study;
  struct l4p_study_size sz;
  l4p_study_size(st, &sz);
  size_t campaigns = 0, dp = 0;
  for (size_t k = 0; k < run->n_samples; k++)
    campaigns += run->samples[k].first;
  json_t *systems = json_array(), *treatments = json_array();
  json_t *models = json_array();
  for (size_t s = 0; s < st->n_systems; s++)
    json_array_append_new(systems, system_json(&st->systems[s]));
  for (size_t t = 0; t < run->n_treatments; t++) {
    const struct l4p__study_sampler *smp =
        &st->samplers[run->treatments[t].sampler];
    json_array_append_new(treatments,
                          json_pack("{s:s, s:s, s:b, s:s}", "label", smp->label,
                                    "sampler", smp->name, "pruned",
                                    run->treatments[t].pruned, "params",
                                    smp->params ? smp->params : "{}"));
  }
  for (size_t m = 0; m < st->n_models; m++) {
    json_array_append_new(models, json_pack("{s:s, s:s, s:s}", "label",
                                            st->models[m].label, "name",
                                            st->models[m].name, "settings",
                                            st->models[m].key));
    dp += strcmp(st->models[m].name, "deepperf") == 0;
  }
  json_t *deepperf =
      dp ? json_pack("{s:s, s:I, s:o}", "search",
                     l4p__study_deepperf_search(st), "seed",
                     (json_int_t)(st->seed + L4P__STUDY_HYPER_SEED_OFFSET),
                     "searches", size(sz.hyper))
         : json_null();
  return json_pack("{s:s, s:s, s:o, s:I, s:s, s:o, s:o, s:o, s:o, "
                   "s:{s:o, s:o, s:o}}",
                   "name", st->name, "path", st->path, "repetitions",
                   size(st->repetitions), "seed", (json_int_t)st->seed,
                   "baseline", st->baseline, "systems", systems, "treatments",
                   treatments, "models", models, "deepperf", deepperf, "grid",
                   "samples", size(sz.samples), "campaigns", size(campaigns),
                   "cells", size(sz.cells));
}

static json_t *counts_json(const struct l4p_study_count *c, size_t n)
{
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(
        a, json_pack("{s:s, s:b, s:o, s:o, s:o, s:o}", "sampler", c[i].sampler,
                     "pruned", c[i].pruned, "n_objectives",
                     c[i].n_objectives ? size(c[i].n_objectives) : json_null(),
                     "x", size(c[i].x), "y", size(c[i].y), "ties",
                     size(c[i].ties)));
  return a;
}

static json_t *rank_json(const struct l4p_study_rank *r)
{
  json_t *test =
      r->has_test ? json_pack("{s:o, s:o, s:o, s:s, s:o, s:s}", "p", real(r->p),
                              "p_holm", real(r->p_holm), "a12", real(r->a12),
                              "a12_magnitude", r->a12_mag, "delta",
                              real(r->delta), "delta_magnitude", r->delta_mag)
                  : json_null();
  return json_pack("{s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o}",
                   "sampler", r->sampler, "pruned", r->pruned, "n", size(r->n),
                   "mean", real(r->mean), "median", real(r->median), "sd",
                   real(r->sd), "rank",
                   r->n ? json_integer(r->rank) : json_null(), "sk_rank",
                   r->n ? json_integer(r->sk_rank) : json_null(), "best",
                   r->best, "vs_baseline", test);
}

static json_t *scenario_json(const struct l4p_study_scenario *sc)
{
  json_t *ranks = json_array();
  for (size_t t = 0; t < sc->n_ranks; t++)
    json_array_append_new(ranks, rank_json(&sc->ranks[t]));
  return json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:b, s:o}", "metric",
                   sc->metric, "system", sc->system, "objective", sc->objective,
                   "budget", size(sc->budget), "model", sc->model,
                   "n_objectives", size(sc->n_objectives), "lowest_not_first",
                   sc->lowest_not_first, "treatments", ranks);
}

/* See study-int.h. run may be NULL (no "study" member). */
l4p_status l4p__study_write_json(const struct l4p_study_summary *s,
                                 const struct l4p__study_run *run,
                                 const char *path)
{
  json_t *scenarios = json_array();
  for (size_t i = 0; i < s->n_scenarios; i++)
    json_array_append_new(scenarios, scenario_json(&s->scenarios[i]));
  json_t *root = json_pack(
      "{s:o, s:s, s:{s:o, s:o, s:o}, s:o}", "study",
      run ? study_json(run) : json_null(), "baseline", s->baseline, "headlines",
      "best", counts_json(s->best, s->n_best), "pruning",
      counts_json(s->pruning, s->n_pruning), "best_front",
      counts_json(s->best_front, s->n_best_front), "scenarios", scenarios);
  char *text =
      root ? json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
  json_decref(root);
  if (!text)
    return l4p_failf(L4P_ENOMEM, "out of memory writing '%s'", path);
  size_t len = strlen(text);
  text[len] = '\n';
  l4p_status st = l4px_write_file_atomic(path, text, len + 1);
  free(text);
  return st;
}
