/* The diagnostics part of "llm4perf show"'s text (docs/cli/show.md): a
 * line per iteration (proposals, agreement, diversity, novelty) and the
 * campaign's summary (totals and means, each option's coverage, the
 * stagnation rule and whether it fired), from l4p_llm4perf_diag. Only
 * what the artefacts decided is printed, never a timing, so a resumed
 * campaign shows the same text.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "show.h"
#include "util/banned.h"

/* v with two decimals, "-" when it is not defined. */
static void put_num(double v, FILE *out)
{
  if (isnan(v))
    fputc('-', out);
  else
    fprintf(out, "%.2f", v);
}

/* See show.h. */
void show_diag_iteration(const struct l4p_llm4perf_diag *d, long iteration,
                         FILE *out)
{
  const struct l4p_llm4perf_diag_iter *it = NULL;
  for (size_t k = 0; d && k < d->n_iterations; k++)
    if (d->iterations[k].iteration == iteration)
      it = &d->iterations[k];
  if (!it)
    return;
  fprintf(out,
          "  diagnostics: %zu proposals (%zu invalid, %zu repaired, %zu "
          "duplicates), agreement ",
          it->proposals, it->invalid, it->repaired, it->duplicates);
  put_num(it->agreement, out);
  if (!isnan(it->agreement)) {
    fputs(" (share ", out);
    put_num(it->agreed_share, out);
    fputc(')', out);
  }
  fputs(", diversity ", out);
  put_num(it->diversity, out);
  fputs(", novelty ", out);
  put_num(it->novelty, out);
  fputs(it->stagnant ? ", stagnant\n" : "\n", out);
}

static void coverage(const struct l4p_llm4perf_diag *d, FILE *out)
{
  int width = 20; /* the longest option name, at least */
  for (size_t k = 0; k < d->n_options; k++)
    if ((int)strlen(d->options[k].name) > width)
      width = (int)strlen(d->options[k].name);
  fprintf(out,
          "coverage (values the batches reached; numbers with more than "
          "%d values in %d bins):\n  %-*s %-7s %11s %9s\n",
          L4P_LLM4PERF_DIAG_BINS, L4P_LLM4PERF_DIAG_BINS, width, "option",
          "state", "seen/levels", "coverage");
  for (size_t k = 0; k < d->n_options; k++) {
    const struct l4p_llm4perf_diag_option *o = &d->options[k];
    char seen[48], cov[24] = "-";
    snprintf(seen, sizeof seen, "%zu/%zu%s", o->seen, o->levels,
             o->binned ? " bins" : "");
    if (o->state == L4P_DIAG_FREE && !isnan(o->coverage))
      snprintf(cov, sizeof cov, "%.2f", o->coverage);
    fprintf(out, "  %-*s %-7s %11s %9s\n", width, o->name,
            l4p_llm4perf_diag_state_name(o->state), seen, cov);
  }
  fprintf(out, "  mean coverage ");
  put_num(d->mean_coverage, out);
  fprintf(out, " over %zu free options\n", d->n_free);
}

/* See show.h. */
void show_diag_summary(const struct l4p_llm4perf_diag *d, FILE *out)
{
  fprintf(out,
          "\ndiagnostics: %zu iterations, %zu proposals (%zu invalid, %zu "
          "repaired, %zu duplicates); means: agreement ",
          d->n_iterations, d->proposals, d->invalid, d->repaired,
          d->duplicates);
  put_num(d->mean_agreement, out);
  fputs(" (share ", out);
  put_num(d->mean_agreed_share, out);
  fputs("), diversity ", out);
  put_num(d->mean_diversity, out);
  fputs(", novelty ", out);
  put_num(d->mean_novelty, out);
  fputc('\n', out);
  coverage(d, out);
  if (d->stagnation_warning) {
    fprintf(out, "warning: %s\n", d->warning);
    return;
  }
  fprintf(out,
          "stagnation: no warning (%zu stagnant iterations; it "
          "takes %d in a row with novelty below ",
          d->n_stagnant, L4P_LLM4PERF_DIAG_STAGNATION_RUN);
  put_num(d->threshold, out);
  fprintf(out, " = %.2f x the initial batch's nearest-neighbour distance ",
          L4P_LLM4PERF_DIAG_STAGNATION_FRACTION);
  put_num(d->reference, out);
  fputs(")\n", out);
}
