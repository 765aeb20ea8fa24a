/* The LLM4Perf sampler's parameters (docs/LLM4PERF.md): how many
 * candidates an iteration measures, how many generators vote, the size
 * of the initial batch, the agent that plays the roles (one for all, or
 * one per role), the LLM settings of this campaign, and the component
 * switches used by ablations (pruning, feedback, voting). They travel as
 * JSON in struct l4p_campaign_opts.params and are part of the campaign's
 * identity, so they are written in one canonical form.
 *
 * Invariants: parsed parameters are within their bounds; role agents are
 * known agents; LLM settings passed l4p_llm_settings_set's checks and
 * carry no secret; the canonical JSON names every parameter with its
 * resolved value (the initial batch size included), keys sorted, so two
 * runs differing only in how a default was spelled resume the same
 * campaign. "roles" and "llm" appear only when they say something, so a
 * campaign without them keeps the identity it had before they existed. */
#ifndef LLM4PERF_LLM4PERF_SAMPLER_H
#define LLM4PERF_LLM4PERF_SAMPLER_H

#include <stdbool.h>
#include <stddef.h>

#include "llm4perf/agent.h"
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
#define L4P_LLM4PERF_AGENT_NAME 32 /* room for an agent's name */

/* One LLM setting of the campaign, e.g. {"llm.analyze.model", "qwen"}. */
struct l4p_llm4perf_setting {
  char *name;  /* full setting name, "llm.NAME" or "llm.ROLE.NAME" */
  char *value; /* its text, as l4p_llm_settings_set takes it */
};

struct l4p_llm4perf_params {
  size_t candidates; /* N_candidates: batch per iteration (7) */
  size_t generators; /* N_generators (3); 1 with voting none */
  size_t initial;    /* initial batch; 0: the default for the budget */
  char agent[L4P_LLM4PERF_AGENT_NAME]; /* "builtin" (default), "llm" */
  /* per role, the agent playing it; "": agent. Only the sampler's roles
   * (filter, analyze, design, generate) are ever set. */
  char roles[L4P_ROLE_COUNT][L4P_LLM4PERF_AGENT_NAME];
  /* LLM settings applied on top of the process's own (heap, sorted by
   * name, one per name); released by l4p_llm4perf_params_release */
  size_t n_llm;
  struct l4p_llm4perf_setting *llm;
  enum l4p_llm4perf_prune prune;
  bool feedback; /* false: the strategy of the first analysis is
                          kept for every later iteration */
  enum l4p_voting voting;
};

/* The defaults: 7 candidates, 3 generators, initial 0 (by budget),
 * agent builtin for every role, no LLM settings, filter pruning,
 * feedback on, agreement+distance. p holds nothing to release after it
 * (its previous contents, if any, are forgotten, not freed). */
void l4p_llm4perf_params_init(struct l4p_llm4perf_params *p);

/* Free p's LLM settings and reset p to the defaults. */
void l4p_llm4perf_params_release(struct l4p_llm4perf_params *p);

/* The agent playing each role into names (pointers into p): the role's
 * "roles" entry, else "agent". Extract, which the sampler never plays,
 * gets the filter's agent, so that no agent is made for it alone. */
void l4p_llm4perf_agent_names(const struct l4p_llm4perf_params *p,
                              const char *names[L4P_ROLE_COUNT]);

/* Whether some role is played by the agent called name. */
bool l4p_llm4perf_uses_agent(const struct l4p_llm4perf_params *p,
                             const char *name);

/* Let the agent called agent play the role called role (a "roles" entry;
 * the --role flag). EUSAGE "roles.ROLE: unknown agent 'x' (known:
 * builtin, llm)", or for a role that is not the sampler's ("roles.x:
 * unknown role (known: filter, analyze, design, generate)"). */
l4p_status l4p_llm4perf_params_set_role(struct l4p_llm4perf_params *p,
                                        const char *role, const char *agent);

/* The initial batch size for budget: p->initial when set, else
 * max(candidates, round(budget / 10)); never above the budget. */
size_t l4p_llm4perf_initial(const struct l4p_llm4perf_params *p, size_t budget);

/* Read parameters from JSON text (NULL or "" : the defaults) into p,
 * starting from the defaults (l4p_llm4perf_params_init: release p first
 * when reusing it). Keys: candidates, generators, initial (integers),
 * agent (string), roles (an object: role name -> agent name), llm (an
 * object: setting name without "llm." -> its text, or a number; e.g.
 * "model", "analyze.model"), prune (true, false, or an object: the
 * campaign's external pruning identity), feedback (bool), voting
 * ("agreement+distance", "agreement", "none"). EUSAGE naming the key for
 * an unknown key, a wrong type or a value out of bounds (candidates 1 to
 * 1000, generators 1 to 16), an unknown role or agent, an LLM setting
 * l4p_llm_settings_set refuses, one that would carry a secret (the key
 * itself, credentials in a URL: only llm.api_key_env, a variable's name,
 * may be given), llm.cache (how a run is made, not what it is), LLM
 * settings when no role is played by the llm agent, or role settings
 * ("generate.model") for a role another agent plays; EPARSE when text is
 * not a JSON object. On failure p holds the defaults and nothing to
 * release. */
l4p_status l4p_llm4perf_params_parse(const char *text,
                                     struct l4p_llm4perf_params *p);

/* The canonical JSON of p for a campaign of budget (compact, sorted
 * keys, initial resolved; "roles" only with entries naming another agent
 * than "agent", "llm" only when settings are given, its values as text).
 * prune_identity, when not NULL, is the
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
