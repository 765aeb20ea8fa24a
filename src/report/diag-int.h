/* The report's view of DIR/diagnostics.csv (docs/STUDY.md; the numbers
 * are defined in docs/LLM4PERF.md, "Diagnostics"): each LLM4Perf
 * campaign's row summed per system x treatment, and per budget for the
 * diversity and novelty plot. diag_load.c reads it, sec_diagnostics.c
 * shows it. */
#ifndef L4P_REPORT_DIAG_INT_H
#define L4P_REPORT_DIAG_INT_H

#include "report-int.h"

/* The roles of the usage columns, in the file's order. */
#define L4P__DIAG_ROLES 4
extern const char *const l4p__diag_roles[L4P__DIAG_ROLES];

/* The usage numbers of a role: ROLE_calls, _tokens, _retries, _latency_s. */
enum l4p__diag_use {
  L4P__USE_CALLS,
  L4P__USE_TOKENS,
  L4P__USE_RETRIES,
  L4P__USE_LATENCY,
  L4P__USES
};

/* A sum of the finite values seen and their number. */
struct l4p__dacc {
  double sum;
  size_t n;
};

/* One system x treatment over its campaigns (all budgets, repetitions). */
struct l4p__dagg {
  size_t campaigns, warnings; /* warnings: stagnation_warning "yes" */
  struct l4p__dacc iterations, proposals, agreement, agreed, diversity, novelty,
      stagnant, coverage;
  double invalid, repaired, duplicates;     /* sums */
  double usage[L4P__DIAG_ROLES][L4P__USES]; /* sums */
};

struct l4p__rdiag {
  bool present;          /* DIR/diagnostics.csv exists */
  size_t n_budgets;      /* the most budgets of a system */
  struct l4p__dagg *agg; /* [system * n_treatments + treatment] */
  /* mean_diversity and mean_novelty per budget: [(system * n_treatments
   * + treatment) * n_budgets + budget index] */
  struct l4p__dacc *diversity, *novelty;
};

/* Read DIR/diagnostics.csv into dg (zeroed first; release it whatever
 * happens). Absent: OK with dg->present false. EPARSE "path:line: ..."
 * for a missing column, a number that is not one, or a row whose system,
 * budget or treatment is not in the study; ENOMEM. */
l4p_status l4p__rdiag_load(const struct l4p__rstudy *st, struct l4p__rdiag *dg);
void l4p__rdiag_release(struct l4p__rdiag *dg);

/* sum / n, NaN when nothing was added. */
double l4p__dacc_mean(const struct l4p__dacc *a);

#endif
