/* Accuracy of DeepPerf (full and fast profiles) and, when registered,
 * XGBoost on DeepPerf's six datasets, against METHOD.md's published
 * anchors: sample sizes n..5n drawn at random, MRE % over every row not
 * in the sample, mean and 95% margin over the repetitions.
 * Usage: bench_deepperf_accuracy DATA_DIR [--systems a,b] [--sizes 1,..,5]
 *          [--reps R] [--rep-start S] [--profile full|fast|both]
 *          [--xgboost] [--threads T] [--log FILE]
 *        bench_deepperf_accuracy --summary LOG...
 * DATA_DIR holds <system>/deepperf_single/<Name>_AllNumeric.csv (all
 * columns but the last are features, the last is the objective). Each
 * experiment is one tab-separated line on stdout (and appended to --log),
 * so runs split over processes can be summarised with --summary.
 * SPDX-License-Identifier: MIT */
#include <glob.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "llm4perf/model.h"
#include "llm4perf/rng.h"
#include "util/csv.h"
#include "util/banned.h"

#define MAX_SIZES 5
#define MAX_ROWS 2048 /* experiments a summary reads */

/* A dataset, its base sample size n and DeepPerf's published MRE at
 * n..5n (METHOD.md, "Accuracy anchors"). */
struct system {
  const char *name;
  int n;
  double published[MAX_SIZES];
};

static const struct system systems[] = {
    {"x264", 16, {10.43, 3.61, 2.13, 1.49, 0.87}},
    {"apache", 9, {17.87, 10.24, 8.25, 6.97, 6.29}},
    {"bdbj", 26, {7.25, 2.07, 1.73, 1.67, 1.61}},
    {"llvm", 11, {5.09, 3.87, 2.54, 2.27, 1.99}},
    {"bdbc", 18, {133.6, 16.77, 13.1, 6.95, 5.82}},
    {"sqlite", 39, {5.04, 4.63, 4.48, 4.40, 4.27}},
};
#define N_SYSTEMS (sizeof systems / sizeof *systems)

struct options {
  const char *data_dir, *log;
  int use[N_SYSTEMS];
  int sizes[MAX_SIZES], n_sizes;
  int reps, rep_start, threads;
  int full, fast, xgboost;
};

/* One measured experiment (a line of the log). */
struct result {
  char system[16], model[24];
  int size, rep;
  double mre, seconds;
};

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Two-sided 95% Student t quantile for df degrees of freedom. */
static double t95(int df)
{
  static const double t[] = {
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
      2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
      2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (df < 1)
    return NAN;
  return df <= 30 ? t[df - 1] : 1.96;
}

/* Load the one DATA_DIR/<name>/deepperf_single/<Name>_AllNumeric.csv. */
static int load(const char *dir, const char *name, double **X, double **y,
                size_t *n, size_t *d)
{
  char pattern[1024];
  snprintf(pattern, sizeof pattern, "%s/%s/deepperf_single/*_AllNumeric.csv",
           dir, name);
  glob_t g;
  if (glob(pattern, 0, NULL, &g) || g.gl_pathc != 1) {
    fprintf(stderr, "no single match for %s\n", pattern);
    return -1;
  }
  struct l4px_csv t;
  if (l4px_csv_read(&t, g.gl_pathv[0], ',')) {
    fprintf(stderr, "%s\n", l4p_last_error());
    globfree(&g);
    return -1;
  }
  globfree(&g);
  *n = t.n_rows;
  *d = t.n_cols - 1;
  *X = malloc(*n * *d * sizeof **X);
  *y = malloc(*n * sizeof **y);
  for (size_t i = 0; i < *n; i++)
    for (size_t j = 0; j <= *d; j++) {
      const char *cell = l4px_csv_cell(&t, i, j);
      char *end;
      double v = strtod(cell, &end);
      if (end == cell || *end) {
        fprintf(stderr, "%s row %zu col %zu: '%s'\n", name, i, j, cell);
        exit(1);
      }
      if (j < *d)
        (*X)[i * *d + j] = v;
      else
        (*y)[i] = v;
    }
  l4px_csv_release(&t);
  return 0;
}

/* MRE % of pred against y over n rows (rows with y = 0 are skipped). */
static double mre(const double *pred, const double *y, size_t n)
{
  double sum = 0.0;
  size_t used = 0;
  for (size_t i = 0; i < n; i++)
    if (y[i] != 0.0) {
      sum += fabs(pred[i] - y[i]) / fabs(y[i]);
      used++;
    }
  return used ? 100.0 * sum / (double)used : NAN;
}

/* Fit ops on the sample, predict the rest; exit on failure. */
static double run_model(const struct l4p_model_ops *ops,
                        const struct l4p_model_params *p, const double *Xs,
                        const double *ys, size_t ns, const double *Xt,
                        const double *yt, size_t nt, size_t d)
{
  struct l4p_model *m;
  double *pred = malloc(nt * sizeof *pred);
  if (l4p_model_new(ops, p, d, &m) || l4p_model_fit(m, Xs, ys, ns) ||
      l4p_model_predict(m, Xt, nt, pred)) {
    fprintf(stderr, "%s: %s\n", ops->name, l4p_last_error());
    exit(1);
  }
  l4p_model_free(m);
  double e = mre(pred, yt, nt);
  free(pred);
  return e;
}

/* Split rows by a seeded shuffle: the first ns are the sample. */
static void split(uint64_t seed, const double *X, const double *y, size_t n,
                  size_t d, size_t ns, double *Xs, double *ys, double *Xt,
                  double *yt)
{
  size_t *idx = malloc(n * sizeof *idx);
  for (size_t i = 0; i < n; i++)
    idx[i] = i;
  struct l4p_rng *rng = l4p_rng_new(seed);
  l4p_rng_shuffle(rng, idx, n);
  l4p_rng_free(rng);
  for (size_t k = 0; k < n; k++) {
    double *Xo = k < ns ? Xs + k * d : Xt + (k - ns) * d;
    memcpy(Xo, X + idx[k] * d, d * sizeof *X);
    if (k < ns)
      ys[k] = y[idx[k]];
    else
      yt[k - ns] = y[idx[k]];
  }
  free(idx);
}

static void emit(FILE *log, const char *sys, int size, int rep,
                 const char *model, double e, double secs, const char *extra)
{
  printf("%s\t%d\t%d\t%s\t%.4f\t%.1f\t%s\n", sys, size, rep, model, e, secs,
         extra);
  fflush(stdout);
  if (log) {
    fprintf(log, "%s\t%d\t%d\t%s\t%.4f\t%.1f\t%s\n", sys, size, rep, model, e,
            secs, extra);
    fflush(log);
  }
}

/* DeepPerf with one profile: search, then fit with the found values. */
static void run_deepperf(const struct options *o, enum l4p_model_profile pr,
                         uint64_t seed, const double *Xs, const double *ys,
                         size_t ns, const double *Xt, const double *yt,
                         size_t nt, size_t d, FILE *log, const char *sys,
                         int size, int rep)
{
  struct l4p_model_params p = {
      .profile = pr, .seed = seed, .threads = o->threads};
  double t0 = now();
  if (l4p_deepperf_search(Xs, ys, ns, d, &p, &p.hyper_layers, &p.hyper_lr,
                          &p.hyper_lambda)) {
    fprintf(stderr, "search: %s\n", l4p_last_error());
    exit(1);
  }
  p.has_hyper = true;
  double e =
      run_model(l4p_model_find("deepperf"), &p, Xs, ys, ns, Xt, yt, nt, d);
  char extra[96];
  snprintf(extra, sizeof extra, "layers=%d lr=%g lambda=%.4g", p.hyper_layers,
           p.hyper_lr, p.hyper_lambda);
  emit(log, sys, size, rep,
       pr == L4P_PROFILE_FULL ? "deepperf-full" : "deepperf-fast", e,
       now() - t0, extra);
}

static void run_system(const struct options *o, size_t s, FILE *log)
{
  double *X, *y;
  size_t n, d;
  if (load(o->data_dir, systems[s].name, &X, &y, &n, &d))
    exit(1);
  double *Xs = malloc(n * d * sizeof *Xs), *ys = malloc(n * sizeof *ys);
  double *Xt = malloc(n * d * sizeof *Xt), *yt = malloc(n * sizeof *yt);
  const struct l4p_model_ops *xgb = l4p_model_find("xgboost");
  for (int k = 0; k < o->n_sizes; k++) {
    size_t ns = (size_t)(o->sizes[k] * systems[s].n);
    for (int r = o->rep_start; r < o->rep_start + o->reps; r++) {
      uint64_t seed = 1000003ULL * (s + 1) + 1009ULL * (uint64_t)ns + r;
      split(seed, X, y, n, d, ns, Xs, ys, Xt, yt);
      if (o->full)
        run_deepperf(o, L4P_PROFILE_FULL, (uint64_t)r, Xs, ys, ns, Xt, yt,
                     n - ns, d, log, systems[s].name, o->sizes[k], r);
      if (o->fast)
        run_deepperf(o, L4P_PROFILE_FAST, (uint64_t)r, Xs, ys, ns, Xt, yt,
                     n - ns, d, log, systems[s].name, o->sizes[k], r);
      if (o->xgboost && xgb) {
        struct l4p_model_params p = {.seed = (uint64_t)r,
                                     .threads = o->threads};
        double t0 = now();
        double e = run_model(xgb, &p, Xs, ys, ns, Xt, yt, n - ns, d);
        emit(log, systems[s].name, o->sizes[k], r, "xgboost", e, now() - t0,
             "defaults");
      }
    }
  }
  free(X), free(y), free(Xs), free(ys), free(Xt), free(yt);
}

/* Whether res[0..n) already holds r's experiment (system, size,
 * repetition and model). */
static bool seen(const struct result *res, size_t n, const struct result *r)
{
  for (size_t i = 0; i < n; i++)
    if (res[i].size == r->size && res[i].rep == r->rep &&
        !strcmp(res[i].system, r->system) && !strcmp(res[i].model, r->model))
      return true;
  return false;
}

/* Read log lines back into results; returns how many. An experiment that
 * appears twice (a log given twice, a repetition run again) counts once:
 * the first line is kept and the others are named on stderr. */
static size_t read_logs(int argc, char **argv, struct result *res)
{
  size_t n = 0;
  for (int a = 0; a < argc; a++) {
    FILE *f = fopen(argv[a], "r");
    if (!f) {
      fprintf(stderr, "cannot open %s\n", argv[a]);
      exit(1);
    }
    char line[512];
    for (int no = 1; fgets(line, sizeof line, f); no++) {
      struct result r;
      if (sscanf(line, "%15[^\t]\t%d\t%d\t%23[^\t]\t%lf\t%lf", r.system,
                 &r.size, &r.rep, r.model, &r.mre, &r.seconds) != 6)
        continue;
      if (seen(res, n, &r)) {
        fprintf(stderr,
                "%s:%d: %s %dn repetition %d of %s read before; "
                "skipped\n",
                argv[a], no, r.system, r.size, r.rep, r.model);
      } else if (n == MAX_ROWS) {
        fprintf(stderr,
                "%s:%d: more than %d experiments; the rest is "
                "skipped\n",
                argv[a], no, MAX_ROWS);
        break;
      } else {
        res[n++] = r;
      }
    }
    fclose(f);
  }
  return n;
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Mean, 95% margin, median and mean time per (system, size, model). */
static void summarise(const struct result *res, size_t n)
{
  static const char *models[] = {"deepperf-full", "deepperf-fast", "xgboost"};
  static double vals[MAX_ROWS];
  printf("| system | size | rows | model | MRE %% mean | 95%% margin | median"
         " | reps | s/exp | published DeepPerf |\n");
  printf("|---|---|---|---|---|---|---|---|---|---|\n");
  for (size_t s = 0; s < N_SYSTEMS; s++)
    for (int k = 1; k <= MAX_SIZES; k++)
      for (size_t m = 0; m < 3; m++) {
        double sum = 0, sq = 0, secs = 0;
        int c = 0;
        for (size_t i = 0; i < n; i++)
          if (!strcmp(res[i].system, systems[s].name) && res[i].size == k &&
              !strcmp(res[i].model, models[m])) {
            sum += res[i].mre;
            sq += res[i].mre * res[i].mre;
            secs += res[i].seconds;
            vals[c++] = res[i].mre;
          }
        if (!c)
          continue;
        qsort(vals, (size_t)c, sizeof *vals, cmp_double);
        double med = c % 2 ? vals[c / 2] : (vals[c / 2 - 1] + vals[c / 2]) / 2;
        double mean = sum / c;
        double sd =
            c > 1 ? sqrt(fmax(0, (sq - c * mean * mean) / (c - 1))) : NAN;
        printf("| %s | %dn | %d | %s | %.2f | %.2f | %.2f | %d | %.0f | %.2f"
               " |\n",
               systems[s].name, k, k * systems[s].n, models[m], mean,
               t95(c - 1) * sd / sqrt(c), med, c, secs / c,
               systems[s].published[k - 1]);
      }
}

/* Parse "1,2,5" into ints within [1, MAX_SIZES]. */
static int parse_sizes(const char *s, int *out)
{
  int n = 0;
  while (*s && n < MAX_SIZES) {
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || v < 1 || v > MAX_SIZES)
      return -1;
    out[n++] = (int)v;
    s = *end == ',' ? end + 1 : end;
  }
  return n;
}

static int usage(const char *argv0)
{
  fprintf(stderr,
          "usage: %s DATA_DIR [--systems a,b] [--sizes 1,..,5] [--reps R]\n"
          "  [--rep-start S] [--profile full|fast|both] [--xgboost]\n"
          "  [--threads T] [--log FILE]\n"
          "       %s --summary LOG...\n",
          argv0, argv0);
  return 2;
}

int main(int argc, char **argv)
{
  if (argc >= 2 && !strcmp(argv[1], "--summary")) {
    static struct result res[MAX_ROWS];
    summarise(res, read_logs(argc - 2, argv + 2, res));
    return 0;
  }
  if (argc < 2 || argv[1][0] == '-')
    return usage(argv[0]);
  struct options o = {.data_dir = argv[1],
                      .reps = 10,
                      .threads = 1,
                      .full = 1,
                      .n_sizes = MAX_SIZES,
                      .sizes = {1, 2, 3, 4, 5}};
  for (size_t s = 0; s < N_SYSTEMS; s++)
    o.use[s] = 1;
  for (int i = 2; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--xgboost")) {
      o.xgboost = 1;
      continue;
    }
    if (!v)
      return usage(argv[0]);
    i++;
    if (!strcmp(a, "--systems")) {
      for (size_t s = 0; s < N_SYSTEMS; s++) {
        const char *hit = strstr(v, systems[s].name);
        size_t len = strlen(systems[s].name);
        o.use[s] = hit && (hit == v || hit[-1] == ',') &&
                   (hit[len] == ',' || !hit[len]);
      }
    } else if (!strcmp(a, "--sizes")) {
      if ((o.n_sizes = parse_sizes(v, o.sizes)) <= 0)
        return usage(argv[0]);
    } else if (!strcmp(a, "--reps")) {
      o.reps = (int)strtol(v, NULL, 10);
    } else if (!strcmp(a, "--rep-start")) {
      o.rep_start = (int)strtol(v, NULL, 10);
    } else if (!strcmp(a, "--threads")) {
      o.threads = (int)strtol(v, NULL, 10);
    } else if (!strcmp(a, "--log")) {
      o.log = v;
    } else if (!strcmp(a, "--profile")) {
      o.full = !strcmp(v, "full") || !strcmp(v, "both");
      o.fast = !strcmp(v, "fast") || !strcmp(v, "both");
      if (!o.full && !o.fast)
        return usage(argv[0]);
    } else {
      return usage(argv[0]);
    }
  }
  FILE *log = o.log ? fopen(o.log, "a") : NULL;
  if (o.log && !log) {
    fprintf(stderr, "cannot open %s\n", o.log);
    return 1;
  }
  printf("system\tsize\trep\tmodel\tmre%%\tseconds\thyper\n");
  for (size_t s = 0; s < N_SYSTEMS; s++)
    if (o.use[s])
      run_system(&o, s, log);
  if (log)
    fclose(log);
  return 0;
}
