/* XGBoost on the bundled datasets: for each system, objective and sample
 * size, draw random samples of table rows (one seed per repetition), fit
 * the model, predict every other row and report the MRE (mean and
 * standard deviation over the repetitions) and the mean fit time.
 * Usage: bench_xgboost [--reps R] [--sizes N,N..] [--threads T] [--tune]
 *                      [--data DIR]
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "llm4perf/metrics.h"
#include "llm4perf/model.h"
#include "llm4perf/rng.h"
#include "llm4perf/table.h"
#include "util/fileio.h"
#include "util/banned.h"

#define MAX_SIZES 16

struct bench {
  int reps, threads;
  bool tune;
  size_t n_sizes, sizes[MAX_SIZES];
  const char *data;
};

/* One dataset loaded and encoded: F is n_rows x nf. */
struct dataset {
  struct l4p_spec *spec;
  struct l4p_table *table;
  size_t nf;
  double *F;
};

static double clock_s(clockid_t id)
{
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int load(const char *data, const char *rel, struct dataset *ds)
{
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", data, rel);
  if (l4p_spec_load(path, &ds->spec) ||
      l4p_table_load_for(ds->spec, &ds->table)) {
    fprintf(stderr, "bench_xgboost: %s\n", l4p_last_error());
    return -1;
  }
  size_t no = ds->table->n_options;
  ds->nf = l4p_space_n_features(ds->spec->space);
  ds->F = malloc(ds->table->n_rows * ds->nf * sizeof *ds->F);
  if (!ds->F)
    return -1;
  for (size_t r = 0; r < ds->table->n_rows; r++)
    l4p_space_encode(ds->spec->space, ds->table->configs + r * no,
                     ds->F + r * ds->nf);
  return 0;
}

/* One repetition: fit objective j on n random rows that have a value,
 * predict the others; returns the MRE and adds the fit's wall-clock and
 * CPU seconds (CPU time is what the fit cost whatever shares the cores). */
static double one_rep(const struct bench *b, const struct dataset *ds, size_t j,
                      size_t n, uint64_t seed, double *fit_s, double *cpu_s)
{
  const struct l4p_table *t = ds->table;
  size_t nf = ds->nf, nv = t->n_objectives, rows = t->n_rows;
  size_t *perm = malloc(rows * sizeof *perm);
  double *X = malloc(rows * nf * sizeof *X), *y = malloc(rows * sizeof *y);
  double *pred = malloc(rows * sizeof *pred);
  struct l4p_rng *rng = l4p_rng_new(seed);
  size_t m = 0;
  for (size_t r = 0; r < rows; r++)
    if (!isnan(t->values[r * nv + j]))
      perm[m++] = r;
  l4p_rng_shuffle(rng, perm, m);
  for (size_t k = 0; k < m; k++) {
    memcpy(X + k * nf, ds->F + perm[k] * nf, nf * sizeof *X);
    y[k] = t->values[perm[k] * nv + j];
  }
  struct l4p_model_params p = {
      .seed = seed, .threads = b->threads, .tune = b->tune};
  struct l4p_model *model = NULL;
  double mre = NAN, start = clock_s(CLOCK_MONOTONIC);
  double cpu = clock_s(CLOCK_PROCESS_CPUTIME_ID);
  if (l4p_model_new(l4p_model_find("xgboost"), &p, nf, &model) ||
      l4p_model_fit(model, X, y, n)) {
    fprintf(stderr, "bench_xgboost: %s\n", l4p_last_error());
  } else {
    *fit_s += clock_s(CLOCK_MONOTONIC) - start;
    *cpu_s += clock_s(CLOCK_PROCESS_CPUTIME_ID) - cpu;
    if (l4p_model_predict(model, X + n * nf, m - n, pred))
      fprintf(stderr, "bench_xgboost: %s\n", l4p_last_error());
    else
      mre = l4p_metrics_mre(pred, y + n, m - n, NULL);
  }
  l4p_model_free(model);
  l4p_rng_free(rng);
  free(perm);
  free(X);
  free(y);
  free(pred);
  return mre;
}

static void run(const struct bench *b, const char *rel)
{
  struct dataset ds = {0};
  if (load(b->data, rel, &ds) == 0) {
    for (size_t j = 0; j < ds.spec->n_objectives; j++) {
      for (size_t s = 0; s < b->n_sizes; s++) {
        size_t n = b->sizes[s];
        if (n >= ds.table->n_rows)
          continue;
        double sum = 0, sq = 0, fit_s = 0, cpu_s = 0;
        for (int r = 0; r < b->reps; r++) {
          double mre = one_rep(b, &ds, j, n, (uint64_t)r + 1, &fit_s, &cpu_s);
          sum += mre;
          sq += mre * mre;
        }
        double mean = sum / b->reps;
        double sd =
            b->reps > 1 ? sqrt(fmax(0, (sq - sum * mean) / (b->reps - 1))) : 0;
        printf("%-8s %-14s %5zu %9.2f %8.2f %10.1f %10.1f\n", ds.spec->name,
               ds.spec->objectives[j].name, n, mean, sd, 1000 * fit_s / b->reps,
               1000 * cpu_s / b->reps);
        fflush(stdout);
      }
    }
  }
  free(ds.F);
  l4p_table_free(ds.table);
  l4p_spec_free(ds.spec);
}

static int parse_sizes(const char *s, struct bench *b)
{
  b->n_sizes = 0;
  char buf[256];
  snprintf(buf, sizeof buf, "%s", s);
  for (char *tok = buf; *tok && b->n_sizes < MAX_SIZES;) {
    char *comma = strchr(tok, ',');
    if (comma)
      *comma = '\0';
    long long v;
    if (!l4px_parse_llong(tok, &v) || v < 1)
      return -1;
    b->sizes[b->n_sizes++] = (size_t)v;
    tok = comma ? comma + 1 : tok + strlen(tok);
  }
  return b->n_sizes ? 0 : -1;
}

int main(int argc, char **argv)
{
  struct bench b = {.reps = 10,
                    .threads = 1,
                    .n_sizes = 3,
                    .sizes = {20, 50, 100},
                    .data = L4P_SOURCE_DIR "/data"};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    long long n;
    if (!strcmp(a, "--tune")) {
      b.tune = true;
    } else if (!strcmp(a, "--reps") && v && l4px_parse_llong(v, &n) && n > 0) {
      b.reps = (int)n;
      i++;
    } else if (!strcmp(a, "--threads") && v && l4px_parse_llong(v, &n) &&
               n >= 0) {
      b.threads = (int)n;
      i++;
    } else if (!strcmp(a, "--sizes") && v && parse_sizes(v, &b) == 0) {
      i++;
    } else if (!strcmp(a, "--data") && v) {
      b.data = v;
      i++;
    } else {
      fprintf(stderr, "usage: bench_xgboost [--reps R] [--sizes N,N..] "
                      "[--threads T] [--tune] [--data DIR]\n");
      return 2;
    }
  }
  printf("xgboost%s, %d repetitions, %d thread(s); MRE %% on the rows "
         "not sampled\n",
         b.tune ? " (tuned)" : "", b.reps, b.threads);
  printf("%-8s %-14s %5s %9s %8s %10s %10s\n", "system", "objective", "n",
         "mre_mean", "mre_sd", "fit_ms", "fit_cpu_ms");
  run(&b, "x264/x264.json");
  run(&b, "lrzip/lrzip.json");
  return 0;
}
