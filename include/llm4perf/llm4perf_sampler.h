/* The LLM4Perf sampler's parameters (docs/LLM4PERF.md): how many
 * candidates an iteration measures, how many generators vote, the size
 * of the initial batch, the agent that plays the roles, and the component
 * switches used by ablations (pruning, feedback, voting). They travel as
 * JSON in struct l4p_campaign_opts.params and are part of the campaign's
 * identity, so they are written in one canonical form.
 *
 * Invariants: parsed parameters are within their bounds; the canonical
 * JSON names every parameter with its resolved value (the initial batch
 * size included), keys sorted, so two runs differing only in how a
 * default was spelled resume the same campaign. */
#ifndef LLM4PERF_LLM4PERF_SAMPLER_H
#define LLM4PERF_LLM4PERF_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>

#include "llm4perf/status.h"

/* How the batch is chosen among the generators' proposals. */
enum l4p_voting {
  L4P_VOTING_AGREEMENT_DISTANCE, /* "agreement+distance": most generators
                                    agreeing first, ties to the proposal
                                    farthest from what was measured */
  L4P_VOTING_AGREEMENT,          /* "agreement": ties in proposal order */
  L4P_VOTING_NONE                /* "none": one generator, its proposals
                                    in order */
};

/* Where the pruned space comes from. */
enum l4p_llm4perf_prune {
  L4P_PRUNE_FILTER,  /* the agent's filter role decides (default) */
  L4P_PRUNE_OFF,     /* no pruning ("prune": false) */
  L4P_PRUNE_EXTERNAL /* the campaign runs on a space pruned by a
                         decisions file (--prune): nothing more */
};

#define L4P_LLM4PERF_MAX_GENERATORS 16
#define L4P_LLM4PERF_MAX_CANDIDATES 1000

struct l4p_llm4perf_params {
  size_t candidates; /* N_candidates: batch per iteration (7) */
  size_t generators; /* N_generators (3); 1 with voting none */
  size_t initial;    /* initial batch; 0: the default for the budget */
  char agent[32];    /* "builtin" (default), "llm", ... */
  enum l4p_llm4perf_prune prune;
  bool feedback; /* false: the strategy of the first analysis is
                          kept for every later iteration */
  enum l4p_voting voting;
};

/* The defaults: 7 candidates, 3 generators, initial 0 (by budget),
 * agent builtin, filter pruning, feedback on, agreement+distance. */
void l4p_llm4perf_params_init(struct l4p_llm4perf_params *p);

/* The initial batch size for budget: p->initial when set, else
 * max(candidates, round(budget / 10)); never above the budget. */
size_t l4p_llm4perf_initial(const struct l4p_llm4perf_params *p, size_t budget);

/* Read parameters from JSON text (NULL or "" : the defaults) into p,
 * starting from the defaults. Keys: candidates, generators, initial
 * (integers), agent (string), prune (true, false, or an object: the
 * campaign's external pruning identity), feedback (bool), voting
 * ("agreement+distance", "agreement", "none"). EUSAGE naming the key for
 * an unknown key, a wrong type or a value out of bounds (candidates 1 to
 * 1000, generators 1 to 16); EPARSE when text is not a JSON object. */
l4p_status l4p_llm4perf_params_parse(const char *text,
                                     struct l4p_llm4perf_params *p);

/* The canonical JSON of p for a campaign of budget (compact, sorted
 * keys, initial resolved). prune_identity, when not NULL, is the
 * pruning's identity ({"prune":{...}}, l4p_prune_identity) of a campaign
 * run on an externally pruned space: its object becomes the "prune"
 * value. Heap string (free() it); EPARSE for a bad identity; ENOMEM. */
l4p_status l4p_llm4perf_params_json(const struct l4p_llm4perf_params *p,
                                    size_t budget, const char *prune_identity,
                                    char **json);

/* "agreement+distance", "agreement", "none"; and back (false when
 * unknown). */
const char *l4p_voting_name(enum l4p_voting voting);
bool l4p_voting_parse(const char *name, enum l4p_voting *voting);

#endif
