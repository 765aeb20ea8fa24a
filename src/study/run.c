/* l4p_study_run: the phases of a study, each resumable on its own.
 * 1. prepare: pruning decisions, caches, every campaign (prepare.c);
 * 2. search: DeepPerf hyper-parameters of the scenarios still missing;
 * 3. cells: the samples with work left, on the worker threads;
 * 4. results: cells.csv, samples.csv and the summaries, rewritten from
 *    the database every time, so they never depend on what this run
 *    computed and what an earlier one did.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

/* Phase 2: the searches not stored yet. */
static l4p_status search(struct l4p__study_run *run,
                         const struct l4p_study_opts *opts)
{
  free(run->tasks);
  run->tasks = malloc((run->n_hyper ? run->n_hyper : 1) * sizeof *run->tasks);
  if (!run->tasks)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  run->n_tasks = 0;
  for (size_t h = 0; h < run->n_hyper; h++)
    if (!run->hyper[h].found)
      run->tasks[run->n_tasks++] = h;
  run->phase_hyper = true;
  run->total = run->n_hyper;
  run->done = run->done_before = run->n_hyper - run->n_tasks;
  if (run->n_hyper == 0)
    return L4P_OK;
  return l4p__study_workers(run, opts->jobs, opts, "search");
}

/* Phase 3: the samples with cells to compute. */
static l4p_status cells(struct l4p__study_run *run,
                        const struct l4p_study_opts *opts, sqlite3 *db)
{
  size_t done, total;
  l4p_status s = l4p__study_pending(run, db, &done, &total);
  if (s)
    return s;
  run->phase_hyper = false;
  run->total = total;
  run->done = run->done_before = done;
  return l4p__study_workers(run, opts->jobs, opts, "cells");
}

/* Phase 4: tables and summaries. */
static l4p_status results(struct l4p__study_run *run, sqlite3 *db,
                          const char *out_dir)
{
  struct l4p__study_cells c = {0};
  struct l4p_study_summary sum = {0};
  char *md = l4px_path_join(out_dir, "summary.md");
  char *json = l4px_path_join(out_dir, "summary.json");
  char *sk = l4px_path_join(out_dir, "scottknott.csv");
  l4p_status s =
      md && json && sk ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  if (!s)
    s = l4p__study_export(run, db, out_dir, &c);
  if (!s)
    s = l4p_study_summarize(c.cells, c.n, run->study->baseline, &sum);
  if (!s)
    s = l4p__study_write_md(&sum, run, md);
  if (!s)
    s = l4p__study_write_json(&sum, run, json);
  if (!s)
    s = l4p__study_write_sk_csv(&sum, sk);
  l4p_study_summary_release(&sum);
  l4p__study_cells_release(&c);
  free(md);
  free(json);
  free(sk);
  return s;
}

/* See study.h. */
l4p_status l4p_study_run(struct l4p_study *study,
                         const struct l4p_study_opts *opts)
{
  if (!opts || !opts->out_dir || !*opts->out_dir)
    return l4p_failf(L4P_EUSAGE, "study: no output directory given");
  struct l4p__study_run run = {.study = study};
  pthread_mutex_init(&run.lock, NULL);
  pthread_cond_init(&run.wake, NULL);
  sqlite3 *db = NULL;
  l4p_status s = l4p__study_prepare(&run, opts->out_dir);
  if (!s)
    s = search(&run, opts);
  if (!s)
    s = l4p__study_db_open(run.db_path, &db);
  if (!s)
    s = cells(&run, opts, db);
  if (!s)
    s = results(&run, db, opts->out_dir);
  l4p__study_db_close(db);
  l4p__study_run_release(&run);
  pthread_cond_destroy(&run.wake);
  pthread_mutex_destroy(&run.lock);
  return s;
}
