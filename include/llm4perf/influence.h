/* Option influence: how much of an objective's variance each option
 * explains on its own over a measured table, as eta squared (the
 * between-group sum of squares over the total sum of squares, rows
 * grouped by the option's value). The report draws these shares
 * (docs/REPORT.md, "Option influence").
 *
 * Invariants: rows whose objective value (or option value) is not finite
 * are left out; numeric options (int, float) with more than
 * L4P_INFLUENCE_BINS distinct values are grouped into that many quantile
 * bins, and equal values always share a bin; a result lies in [0, 1], and
 * is 0 when the objective does not vary over the rows kept. */
#ifndef LLM4PERF_INFLUENCE_H
#define LLM4PERF_INFLUENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "llm4perf/spec.h"
#include "llm4perf/status.h"
#include "llm4perf/table.h"

#define L4P_INFLUENCE_BINS 10

/* Eta squared of y (n values) grouped by x (n values): by value, or, when
 * numeric is true and x holds more than L4P_INFLUENCE_BINS distinct
 * values, by quantile bin (the bin edges are the sorted values at ranks
 * n k / L4P_INFLUENCE_BINS, k = 1..BINS-1; a value's bin is the number of
 * edges it reaches). *eta2 gets the share; 0 over fewer than two rows.
 * ENOMEM. */
l4p_status l4p_influence_eta2(const double *x, const double *y, size_t n,
                              bool numeric, double *eta2);

/* Eta squared of every option of spec for objective (an index into the
 * spec's objectives) over the rows of table: eta2 has room for the
 * spec's options, in option order. EUSAGE for an objective out of range,
 * ENOMEM. */
l4p_status l4p_influence_table(const struct l4p_spec *spec,
                               const struct l4p_table *table, size_t objective,
                               double *eta2);

#endif
