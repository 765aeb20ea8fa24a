/* Campaigns: a sampler and an oracle alternating until the budget of
 * distinct measured configurations is reached, with everything stored.
 *
 * Invariants: proposals are stored (planned) before they are measured and
 * each measured batch is stored in one transaction, so rerunning the same
 * campaign after any interruption measures only what is missing: nothing
 * stored is lost and nothing is measured twice. */
#ifndef LLM4PERF_CAMPAIGN_H
#define LLM4PERF_CAMPAIGN_H

#include <stddef.h>
#include <stdint.h>

#include "llm4perf/spec.h"
#include "llm4perf/status.h"
#include "llm4perf/store.h"

struct l4p_agent;

/* A sequential sampler proposes min(budget left, its batch_size() or else
 * batch) configurations per call; they are measured and stored in batches
 * of batch. */
struct l4p_campaign_opts {
  const char *sampler;           /* registry name, e.g. "random" */
  const char *params;            /* sampler parameters as JSON, or NULL */
  const struct l4p_space *space; /* pruned space, or NULL for spec's own */
  size_t budget;                 /* distinct configurations to measure */
  size_t batch;                  /* configurations per measured batch (>= 1) */
  uint64_t seed;
  const struct l4p_oracle_opts *oracle; /* live oracle settings, or NULL */
  /* agent the llm4perf sampler runs its roles with (borrowed; NULL: the
   * one its parameters name, builtin by default) */
  struct l4p_agent *agent;
  /* called after each stored batch; may be NULL */
  void (*progress)(size_t measured, size_t budget, void *arg);
  void *progress_arg;
};

/* Run (or resume) the campaign. *campaign gets its id in the store. The
 * result is L4P_OK when the budget is reached or the space is exhausted
 * (an event records which). */
l4p_status l4p_campaign_run(const struct l4p_spec *spec,
                            struct l4p_store *store,
                            const struct l4p_campaign_opts *opts,
                            int64_t *campaign);

#endif
