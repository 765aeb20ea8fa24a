/* "llm4perf show": what an llm4perf campaign decided, iteration by
 * iteration, read from its artefacts (cmd_show.c picks the campaign and
 * the format; show_text.c writes the text form). */
#ifndef L4P_CLI_SHOW_H
#define L4P_CLI_SHOW_H

#include <stdio.h>

#include <jansson.h>

#include "llm4perf/store.h"

/* Write the artefacts (n of them, in store order) as text to out: the
 * pruning decisions with their reasons, then per iteration the analysis'
 * top influences, the strategy, each generator's proposals with what was
 * wrong with them, the votes and the batch. */
void show_artifacts_text(const struct l4p_artifact *list, size_t n, FILE *out);

#endif
