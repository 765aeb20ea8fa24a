/* Oracles measure configurations: a table lookup for table-backed systems,
 * a real program run for live systems. The spec's "oracle" object picks
 * the implementation.
 *
 * Invariants: an oracle never measures an invalid configuration (callers
 * validate first); a failed measurement has status != L4P_OK, NAN values
 * and a reason, and is never used as a training value. */
#ifndef LLM4PERF_ORACLE_H
#define LLM4PERF_ORACLE_H

#include <stdbool.h>
#include <stddef.h>

#include "llm4perf/spec.h"
#include "llm4perf/status.h"

struct l4p_measurement {
  const double *requested; /* in: configuration asked for (n_options) */
  double *config;          /* out: configuration measured (caller-owned) */
  double *values;          /* out: n_objectives values (caller-owned) */
  l4p_status status;       /* out: L4P_OK or why the measurement failed */
  char error[256];         /* out: the reason when status != L4P_OK */
  bool mapped;             /* out: requested was not a row: nearest row */
  long row;                /* out: table row measured, or -1 */
};

struct l4p_oracle;

/* Open the oracle the spec describes; EUSAGE when it has none or an
 * unknown type, EPARSE/EIO when its data cannot be read. */
l4p_status l4p_oracle_open(const struct l4p_spec *spec,
                           struct l4p_oracle **oracle);
void l4p_oracle_free(struct l4p_oracle *oracle);

/* Name of the implementation: "table", "command"... */
const char *l4p_oracle_name(const struct l4p_oracle *oracle);

/* Measure a batch. Returns L4P_OK when the batch was processed, even if
 * single measurements failed (see each status); an error only when the
 * oracle itself is broken. */
l4p_status l4p_oracle_measure(struct l4p_oracle *oracle,
                              struct l4p_measurement *batch, size_t n);

/* Tell the oracle cfg is already in the sample (e.g. when a campaign
 * resumes), so a table oracle never maps a new request onto it. */
void l4p_oracle_mark_measured(struct l4p_oracle *oracle, const double *cfg);

#endif
