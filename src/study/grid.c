/* The study grid: treatments (sampler entries, pruned variants apart) and
 * samples in grid order (system, budget, treatment, repetition), each
 * with its seed and the params that make its campaign key. Objectives and
 * models are not part of a sample: every cell of a sample reads the same
 * measured configurations.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "study-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* See study-int.h. */
void l4p__study_treatment_name(const struct l4p__study_run *run, size_t t,
                               char *buf, size_t size)
{
  const struct l4p__study_treatment *tr = &run->treatments[t];
  snprintf(buf, size, "%s%s", run->study->samplers[tr->sampler].label,
           tr->pruned ? "+pruned" : "");
}

/* The campaign params of a sample: the entry's params, plus the
 * pruning's identity when pruned and something is pruned (pruning nothing
 * gives the unpruned sample), as "prune": {...}, the member 'llm4perf
 * sample --prune' adds and samplers reading params understand.
 * Canonical JSON, heap. */
static char *sample_params(const struct l4p__study_sampler *smp,
                           const struct l4p__study_system *sys, bool pruned)
{
  json_t *o = json_loads(smp->params ? smp->params : "{}", 0, NULL);
  if (!o)
    return NULL;
  if (pruned && sys->n_pruned > 0) {
    json_t *id = json_loads(sys->prune_json, 0, NULL);
    json_t *p = id ? json_object_get(id, "prune") : NULL;
    if (!p) {
      json_decref(id);
      json_decref(o);
      return NULL;
    }
    json_object_set(o, "prune", p);
    json_decref(id);
  }
  char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(o);
  return text;
}

static l4p_status make_treatments(struct l4p__study_run *run)
{
  const struct l4p_study *st = run->study;
  run->treatments = calloc(2 * st->n_samplers, sizeof *run->treatments);
  if (!run->treatments)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < st->n_samplers; k++) {
    run->treatments[run->n_treatments++] =
        (struct l4p__study_treatment){k, false};
    if (st->samplers[k].prune)
      run->treatments[run->n_treatments++] =
          (struct l4p__study_treatment){k, true};
  }
  return L4P_OK;
}

/* See study-int.h. Needs the pruning prepared (n_pruned, prune_json). */
l4p_status l4p__study_grid(struct l4p__study_run *run)
{
  const struct l4p_study *st = run->study;
  l4p_status s = make_treatments(run);
  if (s)
    return s;
  size_t total = 0;
  for (size_t k = 0; k < st->n_systems; k++)
    total += st->systems[k].n_budgets * run->n_treatments * st->repetitions;
  if (!(run->samples = calloc(total ? total : 1, sizeof *run->samples)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t sy = 0; sy < st->n_systems; sy++)
    for (size_t b = 0; b < st->systems[sy].n_budgets; b++)
      for (size_t t = 0; t < run->n_treatments; t++)
        for (size_t r = 0; r < st->repetitions; r++) {
          const struct l4p__study_treatment *tr = &run->treatments[t];
          struct l4p__study_sample *smp = &run->samples[run->n_samples];
          *smp = (struct l4p__study_sample){sy,   b, t,     r, st->seed + r,
                                            NULL, 0, false, 0};
          smp->params = sample_params(&st->samplers[tr->sampler],
                                      &st->systems[sy], tr->pruned);
          if (!smp->params)
            return l4p_failf(L4P_ENOMEM, "out of memory");
          run->n_samples++;
        }
  return L4P_OK;
}

/* See study-int.h: everything the run allocated (not the study). */
void l4p__study_run_release(struct l4p__study_run *run)
{
  for (size_t k = 0; k < run->n_samples; k++)
    free(run->samples[k].params);
  free(run->samples);
  free(run->treatments);
  free(run->hyper);
  free(run->tasks);
  free(run->db_path);
}
