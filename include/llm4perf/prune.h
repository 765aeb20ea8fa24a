/* Pruning: the non-impactful option filter's decisions, and their effect.
 * A decisions file (JSON, docs/PRUNING.md) says for each option whether it
 * is kept or pruned, with a one-line reason; a pruned option is held at a
 * value (its default unless the decision names one) so any sampler works
 * on the smaller space. The LLM4Perf filter (builtin or llm agent) writes
 * these files; people may write them by hand.
 *
 * Invariants: a loaded set of decisions names only options of its spec,
 * each at most once, and every pruned value lies in its option's domain;
 * options with no decision are kept. */
#ifndef LLM4PERF_PRUNE_H
#define LLM4PERF_PRUNE_H

#include <stdbool.h>
#include <stddef.h>

#include "llm4perf/space.h"
#include "llm4perf/spec.h"
#include "llm4perf/status.h"

struct l4p_prune_decision {
  char *option;   /* option name */
  bool keep;      /* false: pruned, held at value */
  bool has_value; /* the file named the value (else the default) */
  double value;   /* internal value (enum: label index) when pruned */
  char *reason;   /* one line, may be NULL */
};

struct l4p_prune {
  char *system; /* spec name the decisions are for, or NULL */
  char *agent;  /* "builtin", "llm", "manual", or NULL */
  size_t n_objectives;
  char **objectives; /* objectives the decisions were made for */
  size_t n_decisions;
  struct l4p_prune_decision *decisions;
};

/* Empty decisions (everything kept); release with l4p_prune_release. */
void l4p_prune_init(struct l4p_prune *p);
void l4p_prune_release(struct l4p_prune *p);

/* Read and validate the decisions file path against spec: unknown keys,
 * unknown options or objectives, a system name other than the spec's,
 * repeated options and values outside their domain are errors reported as
 * "path:line:col: message" (EPARSE, EUSAGE or EDOMAIN). A pruned option
 * without a value gets its fixed value when the spec fixes it, else its
 * default. On failure p is left empty. */
l4p_status l4p_prune_load(const char *path, const struct l4p_spec *spec,
                          struct l4p_prune *p);
/* The same from text in memory; path is used in messages. */
l4p_status l4p_prune_parse(const char *text, const char *path,
                           const struct l4p_spec *spec, struct l4p_prune *p);

/* Add a decision (for writers such as the option filter). value may be
 * NULL for the default; reason may be NULL. EUSAGE for an unknown or
 * repeated option, EDOMAIN for a value outside the domain. */
l4p_status l4p_prune_decide(struct l4p_prune *p, const struct l4p_spec *spec,
                            const char *option, bool keep, const double *value,
                            const char *reason);

/* Write p as pretty JSON to path (atomically), in the format the loader
 * reads; values in their JSON form (true/false, label, number). */
l4p_status l4p_prune_save(const struct l4p_prune *p,
                          const struct l4p_spec *spec, const char *path);
/* The same as a heap string (free() it). */
l4p_status l4p_prune_to_json(const struct l4p_prune *p,
                             const struct l4p_spec *spec, char **text);

/* A copy of spec's space with every pruned option fixed at its value
 * (l4p_space_free() it). ECONSTR naming the pruned options and a
 * constraint when the fixings leave no valid configuration. */
l4p_status l4p_prune_apply(const struct l4p_prune *p,
                           const struct l4p_spec *spec,
                           struct l4p_space **pruned);

/* The pruning's effect as canonical compact JSON, for a campaign's
 * identity: {"prune":{"opt":"value",...}} with the pruned options sorted
 * by name and values in their text form; reasons and agent are left out,
 * as they do not change what is sampled. Heap string (free() it). */
l4p_status l4p_prune_identity(const struct l4p_prune *p,
                              const struct l4p_spec *spec, char **json);

#endif
