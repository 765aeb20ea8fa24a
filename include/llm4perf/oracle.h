/* Oracles measure configurations: a table lookup for table-backed systems,
 * a real program run for live systems (docs/LIVE.md). The spec's "oracle"
 * object picks the implementation.
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
  double *values;          /* out: n_objectives values (caller-owned); the
                              median of the repetitions when there are
                              several */
  l4p_status status;       /* out: L4P_OK or why the measurement failed */
  char error[256];         /* out: the reason when status != L4P_OK */
  bool mapped;             /* out: requested was not a row: nearest row */
  long row;                /* out: table row measured, or -1 */
  size_t n_reps;           /* out: repetitions in reps; 0 when the oracle
                              reports values only (table) */
  const double *reps;      /* out: n_reps x n_objectives values, one row
                              per repetition, owned by the oracle and
                              valid until its next measure call or free */
};

struct l4p_oracle;

/* Settings of oracles that run programs (the command oracle); the table
 * oracle ignores them. Strings are borrowed and must outlive the oracle. */
struct l4p_oracle_opts {
  const char *work_dir;  /* holds inputs/ (setup outputs) and runs/ (one
                            scratch directory per run); NULL: a temporary
                            directory removed when the oracle is freed */
  const char *self_path; /* the llm4perf program, for "{llm4perf}" in
                            commands; NULL: "llm4perf" found in PATH */
  bool keep;             /* keep each run's scratch directory */
  /* a line worth showing (a setup command starting); may be NULL */
  void (*note)(const char *line, void *arg);
  void *note_arg;
};

/* Open the oracle the spec describes; EUSAGE when it has none or an
 * unknown type, EPARSE/EIO when its data cannot be read. */
l4p_status l4p_oracle_open(const struct l4p_spec *spec,
                           struct l4p_oracle **oracle);
/* The same with settings for live oracles (opts may be NULL). A command
 * oracle checks its description here (EPARSE/EUSAGE naming the place in
 * the spec file) and runs the spec's setup commands whose outputs are
 * missing (EORACLE when one fails). */
l4p_status l4p_oracle_open_with(const struct l4p_spec *spec,
                                const struct l4p_oracle_opts *opts,
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
