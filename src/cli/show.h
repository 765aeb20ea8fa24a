/* "llm4perf show": what an llm4perf campaign decided, iteration by
 * iteration, read from its artefacts (cmd_show.c picks the campaign and
 * the format; show_text.c writes the text form). */
#ifndef L4P_CLI_SHOW_H
#define L4P_CLI_SHOW_H

#include <stdio.h>

#include <jansson.h>

#include "llm4perf/llm4perf_diag.h"
#include "llm4perf/store.h"

/* Write the artefacts (n of them, in store order) as text to out: the
 * pruning decisions with their reasons, then per iteration the analysis'
 * top influences, the strategy, each generator's proposals with what was
 * wrong with them, the votes, the batch and, when diag is not NULL, the
 * iteration's diagnostics line (show_diag_iteration). */
void show_artifacts_text(const struct l4p_artifact *list, size_t n,
                         const struct l4p_llm4perf_diag *diag, FILE *out);

/* show_diag.c: the diagnostics line of iteration (nothing when diag has
 * no such iteration): "  diagnostics: 21 proposals (0 invalid, ...),
 * agreement 0.43 (share 0.29), diversity 0.38, novelty 0.21". */
void show_diag_iteration(const struct l4p_llm4perf_diag *diag, long iteration,
                         FILE *out);
/* The campaign's diagnostics: totals and means, the coverage table and
 * the stagnation rule (its warning when it fired). */
void show_diag_summary(const struct l4p_llm4perf_diag *diag, FILE *out);

#endif
