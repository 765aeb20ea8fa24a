/* Samplers choose which configurations to measure. One-shot samplers
 * propose the whole budget at once; sequential ones alternate with the
 * oracle and look at the measured history each time.
 *
 * Invariants: every proposed configuration is valid in the sampler's space
 * (repaired or dropped, never invalid), proposals within one call are
 * distinct and distinct from the history, and the same seed and history
 * give the same proposals. Adding a sampler is one file plus one line in
 * src/samplers/registry.c (see docs/internals/SAMPLER-API.md). */
#ifndef LLM4PERF_SAMPLER_H
#define LLM4PERF_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "llm4perf/rng.h"
#include "llm4perf/spec.h"
#include "llm4perf/status.h"

/* What has been measured so far (configs n x n_options, values n x
 * n_objectives) plus configurations that must not come back: those whose
 * measurement failed and those requested but measured as another row. */
struct l4p_history {
  size_t n;
  const double *configs;
  const double *values;
  size_t n_failed;
  const double *failed;
};

struct l4p_sampler;

struct l4p_sampler_ops {
  const char *name;
  const char *summary;      /* one line for "llm4perf samplers" */
  const char *numeric_help; /* how numeric options are handled */
  bool sequential;
  /* Set up s->data; s->space, s->spec, s->rng, s->budget are ready. */
  l4p_status (*create)(struct l4p_sampler *s);
  /* Propose up to n new configurations into out (n x n_options); *n_out
   * says how many (fewer only when the space runs out). */
  l4p_status (*propose)(struct l4p_sampler *s, const struct l4p_history *h,
                        size_t n, double *out, size_t *n_out);
  void (*destroy)(struct l4p_sampler *s);
  /* Optional: one line on the last propose call worth keeping in the
   * campaign's event log (e.g. value pairs a covering array had to leave
   * out), or NULL. The string belongs to the sampler. */
  const char *(*notes)(struct l4p_sampler *s);
  /* Optional, sequential samplers: how many configurations the next
   * propose call should be asked for, given the history (llm4perf: its
   * initial batch, then N_candidates per iteration); 0 for the
   * campaign's batch size. */
  size_t (*batch_size)(struct l4p_sampler *s, const struct l4p_history *h);
};

struct l4p_store;
struct l4p_agent;

/* What a sampler may use besides its space; every field is optional
 * (a zeroed struct, or NULL, gives none). */
struct l4p_sampler_env {
  const char *params;      /* sampler parameters as JSON, or NULL */
  struct l4p_store *store; /* the campaign's store (artefacts), or NULL */
  int64_t campaign;        /* its id in the store; 0 when none */
  struct l4p_agent *agent; /* agent for LLM roles (borrowed), or NULL */
};

struct l4p_sampler {
  const struct l4p_sampler_ops *ops;
  const struct l4p_spec *spec;
  const struct l4p_space *space; /* possibly pruned copy of spec->space */
  struct l4p_rng *rng;
  uint64_t seed;
  size_t budget;
  void *data; /* the implementation's own state */
  /* from struct l4p_sampler_env, set before create */
  const char *params;
  struct l4p_store *store;
  int64_t campaign;
  struct l4p_agent *agent;
};

/* The sampler called name, or NULL. */
const struct l4p_sampler_ops *l4p_sampler_find(const char *name);
size_t l4p_sampler_count(void);
const struct l4p_sampler_ops *l4p_sampler_at(size_t i);

/* Create a sampler over space (which must outlive it). */
l4p_status l4p_sampler_new(const struct l4p_sampler_ops *ops,
                           const struct l4p_spec *spec,
                           const struct l4p_space *space, uint64_t seed,
                           size_t budget, struct l4p_sampler **sampler);
/* The same with parameters, a store, a campaign and an agent (env may be
 * NULL; the strings and handles must outlive the sampler). A sampler's
 * create may fail with EUSAGE for parameters it does not accept. */
l4p_status l4p_sampler_new_env(const struct l4p_sampler_ops *ops,
                               const struct l4p_spec *spec,
                               const struct l4p_space *space, uint64_t seed,
                               size_t budget, const struct l4p_sampler_env *env,
                               struct l4p_sampler **sampler);
l4p_status l4p_sampler_propose(struct l4p_sampler *s,
                               const struct l4p_history *h, size_t n,
                               double *out, size_t *n_out);
void l4p_sampler_free(struct l4p_sampler *s);

#endif
