/* Studies: the paper's evaluation grid (METHOD.md, "Evaluation protocol")
 * run from one study file (docs/STUDY.md) into one output directory, and
 * the statistics that summarise it.
 *
 * The grid: systems x budgets x samplers (x pruning) x repetitions gives
 * the SAMPLES, each one campaign in DIR/study.db measured through the
 * table oracle; x objectives x models gives the CELLS: a model trained on
 * the sample predicts every configuration of the table not in it (RMSE,
 * RMSE / range, MRE %), and per (sample, model) the predicted Pareto front
 * is scored by a hypervolume ratio.
 *
 * Invariants: a sample depends only on (system, sampler, pruning, budget,
 * repetition), never on objectives or models; every cell is stored once
 * (a UNIQUE key) in a short transaction, so a study killed at any moment
 * and run again recomputes nothing finished and counts nothing twice; the
 * same study file gives the same cells, whatever --jobs. */
#ifndef LLM4PERF_STUDY_H
#define LLM4PERF_STUDY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "llm4perf/status.h"

struct l4p_study;

/* Read and check the study file at path: its systems' specs and tables,
 * samplers, models, budgets and decisions files. Errors name their place
 * as "file:line:col: message" (EPARSE, EUSAGE, EDOMAIN; a system's own
 * spec or decisions file reports its own place). *study is NULL on
 * failure; free it with l4p_study_free. */
l4p_status l4p_study_load(const char *path, struct l4p_study **study);
/* Free a study; NULL is a no-op. */
void l4p_study_free(struct l4p_study *study);

/* Keep only the models whose labels are listed (--models): EUSAGE naming
 * a label the study does not have. */
l4p_status l4p_study_keep_models(struct l4p_study *study,
                                 const char *const *labels, size_t n);

/* The size of the grid. */
struct l4p_study_size {
  size_t systems;
  size_t treatments; /* sampler entries, pruned variants counted apart */
  size_t samples;    /* systems x budgets x treatments x repetitions */
  size_t cells;      /* samples x objectives x models */
  size_t hyper;      /* DeepPerf searches: systems x objectives x
                         budgets x DeepPerf models */
};
void l4p_study_size(const struct l4p_study *study, struct l4p_study_size *size);

/* Progress of a running study, as l4p_study_run reports it. */
struct l4p_study_progress {
  const char *phase;   /* "search" (DeepPerf hyper-parameters) or "cells" */
  size_t done, total;  /* units of the phase: searches, or cells */
  size_t done_before;  /* of done, those found finished at the start */
  double elapsed_s;    /* since the phase began */
  double eta_s;        /* remaining, from this run's pace; < 0: unknown */
  const char *current; /* the unit started last, e.g. "toy size n=20
                          random r1 xgboost"; "" when none */
  bool finished;       /* the last report of the phase */
};

/* How l4p_study_run works. */
struct l4p_study_opts {
  const char *out_dir; /* created if needed; holds study.db and results */
  unsigned jobs;       /* worker threads (0 means 1) */
  /* called from the calling thread about twice a second while work goes
   * on, and once at the end of each phase; may be NULL */
  void (*progress)(const struct l4p_study_progress *p, void *arg);
  void *progress_arg;
};

/* Run (or resume) the whole study: derive missing pruning decisions,
 * search DeepPerf's hyper-parameters once per scenario, run every sample
 * and every cell not yet stored, then write cells.csv, samples.csv,
 * summary.md, summary.json and scottknott.csv into out_dir. The first
 * failure stops the workers after their current unit and is returned
 * with its message; everything finished stays stored. */
l4p_status l4p_study_run(struct l4p_study *study,
                         const struct l4p_study_opts *opts);

/* --------------------------------------------------- summaries */

/* One cell as the summaries read it (a row of cells.csv). */
struct l4p_study_cell {
  const char *system;
  size_t n_objectives; /* objectives studied for the system */
  const char *objective;
  size_t budget;
  const char *sampler; /* the sampler entry's label */
  bool pruned;
  size_t repetition;
  const char *model;       /* the model entry's label */
  double rmse, nrmse, mre; /* NAN when not computable */
  double hv_ratio;         /* of the cell's (sample, model); NAN if none */
};

/* One treatment (sampler label, pruned or not) in one scenario. */
struct l4p_study_rank {
  char *sampler;
  bool pruned;
  size_t n; /* repetitions with a finite value */
  double mean, median, sd;
  int rank, sk_rank; /* Scott-Knott ESD group after / before the
                            merge of negligible differences; 1 is best */
  bool best;         /* lowest mean among the rank-1 treatments */
  /* against the baseline (unpruned baseline sampler); has_test false
   * for the baseline itself or when it is missing */
  bool has_test;
  double p, p_holm;  /* two-sided rank-sum p, Holm-adjusted within the
                            scenario */
  double a12, delta; /* A12 and Cliff's delta of this against the
                            baseline (below 0.5 / 0: lower values) */
  const char *a12_mag, *delta_mag; /* static magnitude names */
};

/* A scenario: system x objective x budget x model for errors (metric
 * "mre"), system x budget x model for fronts (metric "hv_ratio",
 * objective "all"). Treatments keep the study's order. */
struct l4p_study_scenario {
  const char *metric; /* "mre" or "hv_ratio" (static) */
  char *system, *objective, *model;
  size_t budget, n_objectives;
  bool lowest_not_first; /* the lowest mean is not in rank 1 (rare:
                            ranks are on log(1 + x)) */
  size_t n_ranks;
  struct l4p_study_rank *ranks;
};

/* A headline count: "<what> in x of y". */
struct l4p_study_count {
  char *sampler; /* treatment label, or the sampler for pruning */
  bool pruned;
  size_t n_objectives; /* 0: every system; k: systems with k */
  size_t x, y;
  size_t ties; /* pruning: scenarios where both means are equal
                            (decisions that prune nothing share samples) */
};

struct l4p_study_summary {
  char *baseline;     /* the sampler label compared against */
  size_t n_scenarios; /* error scenarios first, then front ones */
  struct l4p_study_scenario *scenarios;
  size_t n_error_scenarios;
  /* best in x of y error scenarios, per treatment: overall first, then
   * per objective count */
  size_t n_best;
  struct l4p_study_count *best;
  /* pruning improved sampler s in x of y scenarios (mean MRE with
   * pruning < without), per sampler with both variants, then the total
   * (sampler "all"), overall and per objective count */
  size_t n_pruning;
  struct l4p_study_count *pruning;
  /* best front (hv_ratio) in x of y front scenarios, per treatment */
  size_t n_best_front;
  struct l4p_study_count *best_front;
};

/* Rank and compare the treatments of every scenario of n cells (MRE;
 * hv_ratio per front scenario) and count the headlines. baseline names
 * the sampler label the others are tested against. Cells with a NaN
 * metric are left out of that metric. ENOMEM; EUSAGE from the
 * statistics on bad values. Release with l4p_study_summary_release. */
l4p_status l4p_study_summarize(const struct l4p_study_cell *cells, size_t n,
                               const char *baseline,
                               struct l4p_study_summary *summary);
void l4p_study_summary_release(struct l4p_study_summary *summary);

/* The count of sampler (pruned or not) among list (n entries) for
 * objective count k (0: all); NULL when absent. */
const struct l4p_study_count *
l4p_study_count_find(const struct l4p_study_count *list, size_t n,
                     const char *sampler, bool pruned, size_t k);

#endif
