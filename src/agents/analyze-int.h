/* The builtin analyzer's surrogate (analyze_fit.c) and report pieces
 * (analyze_report.c), used by builtin_analyze.c. The history is seen as
 * levels (levels.c): each free option's value in each measured row. */
#ifndef L4P_ANALYZE_INT_H
#define L4P_ANALYZE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "llm4perf/space.h"
#include "llm4perf/status.h"

/* The measured rows as levels. */
struct l4p__levels {
  size_t n;         /* rows */
  size_t p;         /* free options */
  const size_t *L;  /* levels of each option */
  const size_t *lv; /* n x p: the level of each option in each row */
};

/* An additive main-effects model of y over the levels, fitted by ridge
 * regression (tag-analyze-ridge): y ~ mean + sum over options of an
 * effect per level. */
struct l4p__effects {
  size_t *offset;   /* p + 1: option f's levels are columns
                         offset[f] .. offset[f + 1] - 1 */
  double *effect;   /* per column, in units of y; NaN for a level no
                         row with a value of y holds */
  double *residual; /* n: y - fitted, in units of y (NaN where y is) */
  double scale;     /* y's standard deviation over the rows used */
  double range;     /* max - min of y over the rows used */
  size_t used;      /* rows with a finite y */
};

/* Fit y (n values, NaN for missing) with ridge penalty lambda on the
 * standardised scale. ENOMEM; release with l4p__effects_release. */
l4p_status l4p__fit_effects(const struct l4p__levels *d, const double *y,
                            double lambda, struct l4p__effects *e);
void l4p__effects_release(struct l4p__effects *e);

/* How much of y's variation the pair (a, b) explains beyond the main
 * effects and beyond noise, as a share in [0, 1] (a correlation-like
 * square root; tag-analyze-interaction). */
double l4p__interaction(const struct l4p__levels *d,
                        const struct l4p__effects *e, size_t a, size_t b);

/* Pearson correlation of x and y over the rows where both are finite;
 * false when fewer than 3 such rows or no variation. */
bool l4p__pearson(const double *x, const double *y, size_t n, double *r);

/* The measured history as builtin_analyze.c reads it. */
struct l4p__history_view {
  const struct l4p_space *space;
  size_t n;           /* readable rows */
  double *configs;    /* n x n_options */
  size_t m;           /* objectives */
  const char **names; /* their names */
  bool *maximize;     /* their goals */
  double *y;          /* m x n: objective j's values in row order */
  size_t p;           /* free options */
  size_t *opt;        /* their indices in the space */
  struct l4p__levels levels;
};

/* Correlations between objectives: [{"a", "b", "r"}]. */
json_t *l4p__report_correlations(const struct l4p__history_view *h);
/* The measured Pareto front (goals respected), at most max_points of
 * it, spread along the first objective: [{"config", "objectives"}]. */
json_t *l4p__report_pareto(const struct l4p__history_view *h, size_t max_points,
                           size_t *front_size);
/* Option values rarely or never measured: [{"option", "values"}]. */
json_t *l4p__report_gaps(const struct l4p__history_view *h);

#endif
