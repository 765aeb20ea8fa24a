/* The study's worker threads: --jobs threads take the phase's tasks in
 * grid order from a shared counter, each with its own SQLite connections
 * (a store handle for campaigns, one for the study tables), while the
 * calling thread reports progress. Threads rather than processes: the
 * library's state is per handle (errors are thread-local, the space's
 * cache is locked), models run single-threaded (XGBoost nthread 1,
 * OpenBLAS 1 thread), and a kill of the process stops every worker at
 * once, leaving only whole transactions behind.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "study-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* How often the calling thread reports progress. */
#define REPORT_INTERVAL_S 0.5

struct worker {
  struct l4p__study_run *run;
  pthread_t thread;
  bool started;
};

/* See study-int.h. n cells (or searches) done; current (may be NULL)
 * names the unit now being worked on. */
void l4p__study_progress_add(struct l4p__study_run *run, size_t n,
                             const char *current)
{
  pthread_mutex_lock(&run->lock);
  run->done += n;
  if (current)
    snprintf(run->current, sizeof run->current, "%s", current);
  pthread_mutex_unlock(&run->lock);
}

/* Record the first failure and stop handing out tasks. */
static void fail(struct l4p__study_run *run, l4p_status s)
{
  pthread_mutex_lock(&run->lock);
  if (!run->failed) {
    run->failed = s;
    snprintf(run->error, sizeof run->error, "%s",
             *l4p_last_error() ? l4p_last_error() : l4p_strerror(s));
  }
  run->stop = true;
  pthread_mutex_unlock(&run->lock);
}

/* The next task, or false when there is none (or the phase stopped). */
static bool next_task(struct l4p__study_run *run, size_t *task)
{
  pthread_mutex_lock(&run->lock);
  bool more = !run->stop && run->next_task < run->n_tasks;
  if (more)
    *task = run->tasks[run->next_task++];
  pthread_mutex_unlock(&run->lock);
  return more;
}

static void *work(void *arg)
{
  struct worker *w = arg;
  struct l4p__study_run *run = w->run;
  struct l4p_store *store = NULL;
  sqlite3 *db = NULL;
  l4p_status s = L4P_OK;
  if (!run->phase_hyper)
    s = l4p_store_open(run->db_path, &store);
  if (!s)
    s = l4p__study_db_open(run->db_path, &db);
  size_t task;
  while (!s && next_task(run, &task)) {
    l4p_clear_error();
    s = run->phase_hyper ? l4p__study_hyper_task(run, task, db)
                         : l4p__study_sample_task(run, task, store, db);
  }
  if (s)
    fail(run, s);
  l4p__study_db_close(db);
  l4p_store_close(store);
  pthread_mutex_lock(&run->lock);
  run->running--;
  pthread_cond_broadcast(&run->wake);
  pthread_mutex_unlock(&run->lock);
  return NULL;
}

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Report the progress (lock held; released around the callback). */
static void report(struct l4p__study_run *run,
                   const struct l4p_study_opts *opts, const char *phase,
                   double start, bool finished)
{
  if (!opts || !opts->progress)
    return;
  char current[sizeof run->current];
  snprintf(current, sizeof current, "%s", run->current);
  struct l4p_study_progress p = {
      phase,           run->done, run->total, run->done_before,
      now_s() - start, -1,        current,    finished};
  size_t fresh = p.done - p.done_before;
  if (fresh > 0 && p.elapsed_s > 0)
    p.eta_s = p.elapsed_s / (double)fresh * (double)(p.total - p.done);
  pthread_mutex_unlock(&run->lock);
  opts->progress(&p, opts->progress_arg);
  pthread_mutex_lock(&run->lock);
}

/* Start the workers; false (and a failure recorded) when none started. */
static bool start(struct l4p__study_run *run, struct worker *w, unsigned jobs)
{
  unsigned started = 0;
  for (unsigned k = 0; k < jobs; k++) {
    w[k].run = run;
    pthread_mutex_lock(&run->lock);
    run->running++;
    pthread_mutex_unlock(&run->lock);
    w[k].started = pthread_create(&w[k].thread, NULL, work, &w[k]) == 0;
    if (!w[k].started) {
      pthread_mutex_lock(&run->lock);
      run->running--;
      pthread_mutex_unlock(&run->lock);
    }
    started += w[k].started;
  }
  if (!started)
    fail(run, l4p_failf(L4P_ENOMEM, "cannot start worker threads"));
  return started > 0;
}

/* See study-int.h. run->tasks, n_tasks, phase_hyper, done, done_before
 * and total are set by the caller. */
l4p_status l4p__study_workers(struct l4p__study_run *run, unsigned jobs,
                              const struct l4p_study_opts *opts,
                              const char *phase)
{
  if (jobs == 0)
    jobs = 1;
  if (jobs > run->n_tasks)
    jobs = run->n_tasks ? (unsigned)run->n_tasks : 1;
  struct worker *w = calloc(jobs, sizeof *w);
  if (!w)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  double t0 = now_s();
  pthread_mutex_lock(&run->lock);
  run->current[0] = '\0';
  run->next_task = 0;
  pthread_mutex_unlock(&run->lock);
  if (run->n_tasks)
    start(run, w, jobs);
  pthread_mutex_lock(&run->lock);
  while (run->running > 0) {
    report(run, opts, phase, t0, false);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    long ns = until.tv_nsec + (long)(REPORT_INTERVAL_S * 1e9);
    until.tv_sec += ns / 1000000000L;
    until.tv_nsec = ns % 1000000000L;
    int rc = 0;
    while (run->running > 0 && rc != ETIMEDOUT)
      rc = pthread_cond_timedwait(&run->wake, &run->lock, &until);
  }
  report(run, opts, phase, t0, true);
  pthread_mutex_unlock(&run->lock);
  for (unsigned k = 0; k < jobs; k++)
    if (w[k].started)
      pthread_join(w[k].thread, NULL);
  free(w);
  if (run->failed)
    return l4p_failf(run->failed, "%s", run->error);
  return L4P_OK;
}
