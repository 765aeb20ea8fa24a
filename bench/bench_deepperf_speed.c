/* Speed of DeepPerf's training: seconds per training with fixed
 * hyper-parameters, the training loop's GFLOP/s against a plain
 * cblas_sgemm of the same shape measured in the same run (the loop's
 * BLAS efficiency; target >= 0.5), and seconds per full-profile and
 * fast-profile experiment (search + final fit) on a synthetic sample.
 * Usage: bench_deepperf_speed [--threads T] [--rows N,N..] [--layers L,..]
 *                             [--experiment-rows N] [--no-experiment]
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cblas.h>

#include "llm4perf/model.h"
#include "llm4perf/rng.h"
#include "llm4perf/status.h"
#include "util/banned.h"

#define WIDTH 128
#define EPOCHS 1999
#define MAX_LIST 16

static double clock_s(clockid_t id)
{
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Wall-clock seconds. */
static double now(void)
{
  return clock_s(CLOCK_MONOTONIC);
}

/* CPU seconds of the process: with one BLAS thread, the time the work
 * itself took, whatever else shares the cores (rates use it). */
static double cpu(void)
{
  return clock_s(CLOCK_PROCESS_CPUTIME_ID);
}

/* Parse "a,b,c" into at most MAX_LIST positive integers. */
static size_t parse_list(const char *s, int *out)
{
  size_t n = 0;
  while (*s && n < MAX_LIST) {
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || v <= 0) {
      fprintf(stderr, "bad list '%s'\n", s);
      exit(2);
    }
    out[n++] = (int)v;
    s = *end == ',' ? end + 1 : end;
  }
  return n;
}

/* GFLOP counted in one training: per epoch and layer (in x out), the
 * forward A W, the backward A^T dZ and, above the first layer, dZ W^T. */
static double train_gflop(int rows, int d, int layers)
{
  double per_epoch = 0.0;
  for (int k = 0; k <= layers; k++) {
    double in = k ? WIDTH : d, out = k == layers ? 1 : WIDTH;
    per_epoch += 2.0 * rows * in * out * (k ? 3 : 2);
  }
  return per_epoch * EPOCHS * 1e-9;
}

/* GFLOP/s (CPU time) of the three sgemm shapes the training runs on a
 * hidden layer (NN forward, TN weight gradient, NT input gradient) for
 * rows rows, repeated for about 0.3 s; each writes its own output with
 * beta = 0, so no value drifts into denormals. */
static double sgemm_gflops(int rows)
{
  float *A = calloc((size_t)rows * WIDTH, sizeof *A);
  float *B = calloc(WIDTH * WIDTH, sizeof *B);
  float *C = calloc((size_t)rows * WIDTH, sizeof *C);
  float *D = calloc((size_t)rows * WIDTH, sizeof *D);
  float *G = calloc(WIDTH * WIDTH, sizeof *G);
  for (int i = 0; i < rows * WIDTH; i++)
    A[i] = (float)((i % 7) * 0.1 + 0.05);
  for (int i = 0; i < WIDTH * WIDTH; i++)
    B[i] = (float)((i % 5) * 0.01 - 0.02);
  long calls = 0;
  double t0 = cpu(), t;
  do {
    for (int r = 0; r < 20; r++) {
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, WIDTH, WIDTH,
                  1.0f, A, WIDTH, B, WIDTH, 0.0f, C, WIDTH);
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, WIDTH, WIDTH, rows,
                  1.0f, A, WIDTH, C, WIDTH, 0.0f, G, WIDTH);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, WIDTH, WIDTH,
                  1.0f, C, WIDTH, B, WIDTH, 0.0f, D, WIDTH);
    }
    calls += 60;
    t = cpu() - t0;
  } while (t < 0.3);
  free(A);
  free(B);
  free(C);
  free(D);
  free(G);
  return 2.0 * rows * WIDTH * WIDTH * (double)calls / t * 1e-9;
}

/* rows x d random binary features and an additive target with one
 * interaction, like a configurable system's performance. */
static void synthetic(int rows, int d, double *X, double *y)
{
  struct l4p_rng *rng = l4p_rng_new(1);
  for (int i = 0; i < rows; i++) {
    double t = 50;
    for (int j = 0; j < d; j++) {
      X[i * d + j] = (double)l4p_rng_below(rng, 2);
      t += (j % 4 + 1) * X[i * d + j];
    }
    y[i] = t + 8 * X[i * d] * X[i * d + 1];
  }
  l4p_rng_free(rng);
}

/* One fit with the given params on rows rows: wall and CPU seconds. */
static void time_fit(const struct l4p_model_params *p, int rows, int d,
                     const double *X, const double *y, double *wall,
                     double *cpu_s)
{
  const struct l4p_model_ops *ops = l4p_model_find("deepperf");
  struct l4p_model *m;
  if (!ops || l4p_model_new(ops, p, (size_t)d, &m)) {
    fprintf(stderr, "deepperf: %s\n", l4p_last_error());
    exit(1);
  }
  double w0 = now(), c0 = cpu();
  if (l4p_model_fit(m, X, y, (size_t)rows)) {
    fprintf(stderr, "fit: %s\n", l4p_last_error());
    exit(1);
  }
  *wall = now() - w0;
  *cpu_s = cpu() - c0;
  l4p_model_free(m);
}

int main(int argc, char **argv)
{
  int threads = 1, rows[MAX_LIST] = {53, 80, 130, 195};
  int layers[MAX_LIST] = {4, 8, 14}, exp_rows = 80, experiment = 1;
  size_t n_rows = 4, n_layers = 3;
  const int d = 16;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--threads") && i + 1 < argc)
      threads = (int)strtol(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--rows") && i + 1 < argc)
      n_rows = parse_list(argv[++i], rows);
    else if (!strcmp(argv[i], "--layers") && i + 1 < argc)
      n_layers = parse_list(argv[++i], layers);
    else if (!strcmp(argv[i], "--experiment-rows") && i + 1 < argc)
      exp_rows = (int)strtol(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--no-experiment"))
      experiment = 0;
    else {
      fprintf(stderr,
              "usage: %s [--threads T] [--rows N,..] [--layers L,..]"
              " [--experiment-rows N] [--no-experiment]\n",
              argv[0]);
      return 2;
    }
  }
  openblas_set_num_threads(threads);
  int max_rows = exp_rows;
  for (size_t i = 0; i < n_rows; i++)
    max_rows = rows[i] > max_rows ? rows[i] : max_rows;
  double *X = malloc((size_t)max_rows * d * sizeof *X);
  double *y = malloc((size_t)max_rows * sizeof *y);
  synthetic(max_rows, d, X, y);
  printf("DeepPerf training speed: %d features, width %d, %d epochs, "
         "%d BLAS thread(s)\n",
         d, WIDTH, EPOCHS, threads);
  printf("(GFLOP/s from CPU time; wall time also shown)\n");
  printf("%6s %6s %8s %8s %10s %12s %8s\n", "rows", "layers", "wall_s", "cpu_s",
         "GFLOP/s", "sgemm_GF/s", "ratio");
  for (size_t r = 0; r < n_rows; r++) {
    double ref = sgemm_gflops(rows[r]);
    for (size_t l = 0; l < n_layers; l++) {
      struct l4p_model_params p = {
          .profile = L4P_PROFILE_FULL,
          .seed = 1,
          .threads = threads,
          .has_hyper = true,
          .hyper_layers = layers[l],
          .hyper_lr = 1e-3,
          .hyper_lambda = 0.1,
      };
      double wall, c;
      time_fit(&p, rows[r], d, X, y, &wall, &c);
      double gf = train_gflop(rows[r], d, layers[l]) / c;
      printf("%6d %6d %8.3f %8.3f %10.2f %12.2f %8.2f\n", rows[r], layers[l],
             wall, c, gf, ref, gf / ref);
      fflush(stdout);
    }
  }
  if (experiment) {
    printf("\nexperiment = hyper-parameter search + final fit, %d rows\n",
           exp_rows);
    printf("%8s %8s %8s %8s %10s %10s\n", "profile", "wall_s", "cpu_s",
           "layers", "lr", "lambda");
    for (int prof = 0; prof < 2; prof++) {
      struct l4p_model_params p = {
          .profile = prof ? L4P_PROFILE_FAST : L4P_PROFILE_FULL,
          .seed = 1,
          .threads = threads,
      };
      int hl;
      double lr, lam, w0 = now(), c0 = cpu();
      if (l4p_deepperf_search(X, y, (size_t)exp_rows, d, &p, &hl, &lr, &lam)) {
        fprintf(stderr, "search: %s\n", l4p_last_error());
        return 1;
      }
      p.has_hyper = true;
      p.hyper_layers = hl;
      p.hyper_lr = lr;
      p.hyper_lambda = lam;
      double ws = now() - w0, cs = cpu() - c0, wf, cf;
      time_fit(&p, exp_rows, d, X, y, &wf, &cf);
      printf("%8s %8.1f %8.1f %8d %10g %10.4g\n", prof ? "fast" : "full",
             ws + wf, cs + cf, hl, lr, lam);
      fflush(stdout);
    }
  }
  free(X);
  free(y);
  return 0;
}
