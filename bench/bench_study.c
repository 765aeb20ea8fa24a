/* Study throughput: cells per minute for each model on a small fixed grid
 * (toy and lrzip, budgets 20 and 40, random and lhs, 3 repetitions), each
 * model run as its own fresh study so its time includes everything a
 * study pays for it: campaigns, DeepPerf's searches, fits, predictions of
 * the whole table and the summaries.
 * Usage: bench_study [--jobs N] [--reps R] [--models a,b]
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "llm4perf/study.h"
#include "util/dirs.h"
#include "util/banned.h"

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* One number from the study database. */
static double query(const char *db, const char *sql)
{
  sqlite3 *h;
  sqlite3_stmt *q;
  double v = 0;
  if (sqlite3_open(db, &h) == SQLITE_OK &&
      sqlite3_prepare_v2(h, sql, -1, &q, NULL) == SQLITE_OK) {
    if (sqlite3_step(q) == SQLITE_ROW)
      v = sqlite3_column_double(q, 0);
    sqlite3_finalize(q);
  }
  sqlite3_close(h);
  return v;
}

/* Write the grid's study file for model into dir; false on failure. */
static int write_study(const char *path, const char *model, long reps)
{
  FILE *f = fopen(path, "w");
  if (!f)
    return 0;
  fprintf(f,
          "{\"name\": \"bench-%s\",\n"
          " \"systems\": [\"%s/tests/data/toy/toy.json\",\n"
          "             \"%s/data/lrzip/lrzip.json\"],\n"
          " \"budgets\": [20, 40], \"samplers\": [\"random\", \"lhs\"],\n"
          " \"models\": [{\"name\": \"%s\", \"profile\": \"fast\"}],\n"
          " \"repetitions\": %ld}\n",
          model, L4P_SOURCE_DIR, L4P_SOURCE_DIR, model, reps);
  return fclose(f) == 0;
}

/* Run the grid for one model and print its row; 0 on success. */
static int bench(const char *model, unsigned jobs, long reps)
{
  char *dir = NULL, path[4096], out[4096], db[4096];
  if (l4px_make_temp_dir(NULL, "l4p-bench-study-", &dir)) {
    fprintf(stderr, "bench_study: %s\n", l4p_last_error());
    return 1;
  }
  snprintf(path, sizeof path, "%s/study.json", dir);
  snprintf(out, sizeof out, "%s/out", dir);
  snprintf(db, sizeof db, "%s/study.db", out);
  struct l4p_study *study = NULL;
  int rc = 1;
  if (write_study(path, model, reps) &&
      l4p_study_load(path, &study) == L4P_OK) {
    struct l4p_study_size size;
    l4p_study_size(study, &size);
    struct l4p_study_opts opts = {out, jobs, NULL, NULL};
    double t0 = now_s();
    if (l4p_study_run(study, &opts) == L4P_OK) {
      double wall = now_s() - t0;
      double fit = query(db, "SELECT avg(seconds) FROM study_cell");
      double search = query(db, "SELECT coalesce(sum(seconds), 0) FROM "
                                "study_hyper");
      double cells = query(db, "SELECT count(*) FROM study_cell");
      printf("%-9s %6.0f %8zu %9.1f %9.1f %11.1f %12.3f\n", model, cells,
             size.hyper, search, wall, 60.0 * cells / wall, fit);
      rc = 0;
    }
  }
  if (rc)
    fprintf(stderr, "bench_study: %s: %s\n", model, l4p_last_error());
  l4p_study_free(study);
  l4px_remove_tree(dir);
  free(dir);
  return rc;
}

int main(int argc, char **argv)
{
  long jobs = 1, reps = 3;
  const char *models = "xgboost,deepperf";
  for (int k = 1; k + 1 < argc; k += 2) {
    if (!strcmp(argv[k], "--jobs"))
      jobs = strtol(argv[k + 1], NULL, 10);
    else if (!strcmp(argv[k], "--reps"))
      reps = strtol(argv[k + 1], NULL, 10);
    else if (!strcmp(argv[k], "--models"))
      models = argv[k + 1];
  }
  if (jobs < 1 || reps < 1 || argc % 2 == 0) {
    fprintf(stderr, "usage: bench_study [--jobs N] [--reps R] "
                    "[--models a,b]\n");
    return 2;
  }
  printf("study throughput: toy + lrzip, budgets 20 and 40, random and "
         "lhs, %ld repetitions, %ld job(s)\n",
         reps, jobs);
  printf("%-9s %6s %8s %9s %9s %11s %12s\n", "model", "cells", "searches",
         "search_s", "wall_s", "cells/min", "fit_s/cell");
  char list[256];
  snprintf(list, sizeof list, "%s", models);
  int rc = 0;
  for (char *m = list, *comma; m && *m; m = comma ? comma + 1 : NULL) {
    if ((comma = strchr(m, ',')))
      *comma = '\0';
    rc |= bench(m, (unsigned)jobs, reps);
  }
  return rc;
}
