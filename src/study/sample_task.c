/* One unit of a study worker's work: a sample's campaign (run or resumed
 * through the normal campaign API and the table oracle; skipped when
 * finished) and then, for every model whose cells are not all stored,
 * the fit and the scores, stored in one transaction per (sample, model).
 * Also the start-of-run census of what is already done.
 * SPDX-License-Identifier: MIT */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/campaign.h"
#include "study-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* Fault injection for the resume tests: L4P_FAULT_KILL="unit:N" makes
 * the process SIGKILL itself right after the N-th stored (sample, model)
 * unit, as "plan:N" and "batch:N" do in campaigns (campaign.c). */
static void maybe_die(void)
{
  static atomic_long seen;
  const char *spec = getenv("L4P_FAULT_KILL");
  if (!spec || strncmp(spec, "unit:", 5) != 0)
    return;
  if (atomic_fetch_add(&seen, 1) + 1 == strtol(spec + 5, NULL, 10))
    raise(SIGKILL);
}

/* See study-int.h. */
char *l4p__study_objective_list(const struct l4p_study *st, size_t s)
{
  const struct l4p__study_system *sys = &st->systems[s];
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  for (size_t j = 0; j < sys->n_obj; j++)
    l4px_sb_printf(&sb, "%s%s", j ? "," : "",
                   sys->spec->objectives[sys->obj[j]].name);
  return l4px_sb_detach(&sb);
}

/* "toy n=20 random+pruned r3" for progress and messages. */
static void describe(const struct l4p__study_run *run, size_t k, char *buf,
                     size_t size)
{
  const struct l4p__study_sample *smp = &run->samples[k];
  const struct l4p__study_system *sys = &run->study->systems[smp->system];
  char t[160];
  l4p__study_treatment_name(run, smp->treatment, t, sizeof t);
  snprintf(buf, size, "%s n=%zu %s r%zu", sys->spec->name,
           sys->budgets[smp->budget], t, smp->repetition + 1);
}

/* Run (or resume) the sample's campaign unless it is finished. */
static l4p_status run_campaign(const struct l4p__study_run *run, size_t k,
                               struct l4p_store *store)
{
  const struct l4p__study_sample *smp = &run->samples[k];
  const struct l4p__study_system *sys = &run->study->systems[smp->system];
  const struct l4p__study_treatment *tr = &run->treatments[smp->treatment];
  const struct l4p__study_sampler *sampler = &run->study->samplers[tr->sampler];
  bool done;
  l4p_status s = l4p_store_campaign_done(store, smp->campaign, &done);
  if (s || done)
    return s;
  struct l4p_campaign_opts opts = {.sampler = sampler->name,
                                   .params = smp->params,
                                   .space = tr->pruned ? sys->pruned : NULL,
                                   .budget = sys->budgets[smp->budget],
                                   .batch = L4P__STUDY_BATCH,
                                   .seed = smp->seed};
  int64_t id = 0;
  if ((s = l4p_campaign_run(sys->spec, store, &opts, &id)))
    return s;
  if (id != smp->campaign)
    return l4p_failf(L4P_ESTORE, "campaign %lld ran as %lld",
                     (long long)smp->campaign, (long long)id);
  return L4P_OK;
}

/* Evaluate and store one (sample, model). */
static l4p_status do_unit(struct l4p__study_run *run, size_t k, size_t model,
                          const struct l4p_sample *sample, sqlite3 *db,
                          const char *objectives, const char *current)
{
  const struct l4p__study_sample *smp = &run->samples[k];
  const struct l4p__study_system *sys = &run->study->systems[smp->system];
  l4p__study_progress_add(run, 0, current);
  struct l4p__study_cell_row *cells = calloc(sys->n_obj, sizeof *cells);
  if (!cells)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  struct l4p__study_front_row front = {objectives, 0, NULL, 0};
  size_t *rows = NULL;
  l4p_status s =
      l4p__study_evaluate(run, k, model, sample, cells, &front, &rows);
  if (!s)
    s = l4p__study_db_put_unit(db, smp->campaign, run->study->models[model].key,
                               sys->spec, cells, sys->n_obj, &front);
  free(rows);
  free(cells);
  if (!s)
    maybe_die();
  if (!s)
    l4p__study_progress_add(run, sys->n_obj * smp->sharing, NULL);
  return s;
}

/* See study-int.h. */
l4p_status l4p__study_sample_task(struct l4p__study_run *run, size_t k,
                                  struct l4p_store *store, sqlite3 *db)
{
  const struct l4p__study_sample *smp = &run->samples[k];
  const struct l4p_study *st = run->study;
  const struct l4p__study_system *sys = &st->systems[smp->system];
  char what[256], current[320];
  describe(run, k, what, sizeof what);
  l4p__study_progress_add(run, 0, what);
  char *objectives = l4p__study_objective_list(st, smp->system);
  if (!objectives)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  struct l4p_sample sample = {0};
  l4p_status s = run_campaign(run, k, store);
  if (!s)
    s = l4p_store_sample(store, smp->campaign, sys->spec, &sample);
  for (size_t m = 0; !s && m < st->n_models; m++) {
    bool done;
    s = l4p__study_db_unit_done(db, smp->campaign, st->models[m].key,
                                objectives, sys->n_obj, &done);
    snprintf(current, sizeof current, "%s %s", what, st->models[m].label);
    if (!s && !done)
      s = do_unit(run, k, m, &sample, db, objectives, current);
  }
  if (s)
    l4p_error_prefix(what);
  l4p_sample_release(&sample);
  free(objectives);
  return s;
}

/* See study-int.h. Tasks are the first samples of campaigns with work
 * left, in grid order; cells count once per sample of the grid, shared
 * ones included, as in cells.csv. */
l4p_status l4p__study_pending(struct l4p__study_run *run, sqlite3 *db,
                              size_t *cells_done, size_t *cells_total)
{
  const struct l4p_study *st = run->study;
  *cells_done = *cells_total = 0;
  run->n_tasks = run->next_task = 0;
  free(run->tasks);
  run->tasks =
      malloc((run->n_samples ? run->n_samples : 1) * sizeof *run->tasks);
  if (!run->tasks)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status s = L4P_OK;
  for (size_t k = 0; !s && k < run->n_samples; k++) {
    const struct l4p__study_sample *smp = &run->samples[k];
    if (!smp->first)
      continue;
    size_t n_obj = st->systems[smp->system].n_obj;
    char *objectives = l4p__study_objective_list(st, smp->system);
    if (!objectives)
      return l4p_failf(L4P_ENOMEM, "out of memory");
    bool todo = false;
    for (size_t m = 0; !s && m < st->n_models; m++) {
      bool done;
      s = l4p__study_db_unit_done(db, smp->campaign, st->models[m].key,
                                  objectives, n_obj, &done);
      *cells_total += n_obj * smp->sharing;
      *cells_done += done ? n_obj * smp->sharing : 0;
      todo |= !done;
    }
    free(objectives);
    if (todo)
      run->tasks[run->n_tasks++] = k;
  }
  return s;
}
