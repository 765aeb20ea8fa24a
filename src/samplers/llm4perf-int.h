/* Internals of the llm4perf sampler (docs/LLM4PERF.md), split by concern:
 * llm4perf.c (the vtable, create, pruning, one propose call),
 * llm4perf_loop.c (the initial batch and the feedback iteration),
 * llm4perf_gen.c (generators on threads, reading their answers),
 * llm4perf_vote.c (voting and the spread of the initial batch),
 * llm4perf_artifacts.c (the artefact log kept in memory and the store),
 * llm4perf_params.c and llm4perf_roles.c (the parameters; the latter
 * their per-role agents and LLM settings), llm4perf_agent.c (the agent
 * the roles run through).
 * Tests include this header to check voting on hand-made proposals. */
#ifndef L4P_LLM4PERF_INT_H
#define L4P_LLM4PERF_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "llm4perf/agent.h"
#include "llm4perf/llm4perf_sampler.h"
#include "sampler-int.h"

/* Proposals closer than this (l4p_space_distance: each option adds at
 * most 1) are near-identical: they count as agreement and only one of
 * them is measured while other candidates remain (tag-vote-near). Half an
 * option: numeric values a little apart, never a different bool or
 * label. */
#define L4P__NEAR 0.5

/* Extra generation rounds when a round leaves the batch short, before
 * uniform draws fill it (tag-vote-topup). */
#define L4P__TOPUP_ROUNDS 2

/* --------------------------------------------------------- artefacts */

struct l4p__art {
  long iteration;
  char kind[16];
  int generator; /* -1: none */
  char *json;
};

/* The artefacts of a campaign: always in memory, mirrored to the store
 * when the sampler has one (and loaded from it on create, so a resumed
 * campaign sees what it stored before it was killed). */
struct l4p__artlog {
  size_t n, cap;
  struct l4p__art *a;
  struct l4p_store *store; /* NULL: memory only */
  int64_t campaign;
};

/* Start a log (empty), loading the campaign's stored artefacts when
 * store is not NULL. ESTORE, ENOMEM. */
l4p_status l4p__artlog_init(struct l4p__artlog *log, struct l4p_store *store,
                            int64_t campaign);
void l4p__artlog_release(struct l4p__artlog *log);
/* Add an artefact unless one with the same iteration, kind and generator
 * exists (idempotent: the first one stays). doc is dumped compactly with
 * sorted keys; it is not stolen. ESTORE, ENOMEM. */
l4p_status l4p__artlog_add(struct l4p__artlog *log, long iteration,
                           const char *kind, int generator, const json_t *doc);
/* The same with a JSON text. */
l4p_status l4p__artlog_add_text(struct l4p__artlog *log, long iteration,
                                const char *kind, int generator,
                                const char *json);
/* The artefact (iteration, kind, generator), or NULL. */
const struct l4p__art *l4p__artlog_find(const struct l4p__artlog *log,
                                        long iteration, const char *kind,
                                        int generator);
/* The largest iteration holding an artefact of kind, or -1. */
long l4p__artlog_last(const struct l4p__artlog *log, const char *kind);
/* The artefact of kind with the smallest iteration >= from, or NULL. */
const struct l4p__art *l4p__artlog_first(const struct l4p__artlog *log,
                                         const char *kind, long from);

/* {"option": value} over the free options of space (JSON forms: bools,
 * labels, numbers); NULL when out of memory. */
json_t *l4p__lp_config_json(const struct l4p_space *space, const double *cfg);

/* ------------------------------------------------------------ voting */

/* How a batch is chosen from the candidates. */
enum l4p__select {
  L4P__SELECT_AGREEMENT_DISTANCE, /* agreement, ties: farthest first */
  L4P__SELECT_AGREEMENT,          /* agreement, ties: proposal order */
  L4P__SELECT_ORDER,              /* proposal order (one generator) */
  L4P__SELECT_SPREAD              /* greedy maximin distance (initial) */
};

/* The proposals of one round, in the order generators gave them. */
struct l4p__pool {
  size_t d, n, cap;
  double *cfgs;        /* n x d, each valid */
  unsigned *generator; /* who proposed each */
  size_t *position;    /* its place in that generator's answer */
};

void l4p__pool_init(struct l4p__pool *pool, size_t d);
void l4p__pool_release(struct l4p__pool *pool);
/* Append a proposal of generator g at position pos; ENOMEM. */
l4p_status l4p__pool_add(struct l4p__pool *pool, const double *cfg, unsigned g,
                         size_t pos);

/* One distinct, new candidate. */
struct l4p__candidate {
  size_t first;     /* its first proposal in the pool */
  uint32_t voters;  /* bit g: generator g proposed exactly it */
  size_t agreement; /* generators proposing it or one near it */
  double distance;  /* to the tried set and the batch before it, when
                         chosen; INFINITY when nothing was tried */
  long rank;        /* its place in the batch, -1: not chosen */
  long merged_into; /* the chosen candidate it agreed with, -1: none */
};

/* The outcome of one vote. */
struct l4p__vote {
  size_t n_candidates;
  struct l4p__candidate *c;
  size_t n_generators;
  size_t *dup_tried;    /* per generator: proposals already measured,
                           failed or in the batch */
  size_t *dup_repeated; /* per generator: the same proposal twice */
  size_t n_chosen;
  size_t *chosen; /* candidate indices in batch order */
};

/* Choose up to n configurations from pool by method: proposals tried
 * before (h's measured and failed ones, and the n_extra configurations
 * extra, e.g. the batch so far) are dropped, identical ones merged (the
 * generators proposing them agree); agreement counts the distinct
 * generators proposing a candidate or one within L4P__NEAR of it. The
 * batch takes the best candidate, counts those near it as its votes,
 * and repeats; merged candidates come last, when nothing else is left.
 * Nothing is copied: v->chosen indexes v->c, whose first indexes the
 * pool. ENOMEM. Release v with l4p__vote_release. */
l4p_status l4p__vote(const struct l4p_space *space, const struct l4p_history *h,
                     const double *extra, size_t n_extra,
                     const struct l4p__pool *pool, size_t n_generators,
                     enum l4p__select method, size_t n, struct l4p__vote *v);
void l4p__vote_release(struct l4p__vote *v);
/* "agreement+distance", "agreement", "order", "spread". */
const char *l4p__select_name(enum l4p__select method);

/* -------------------------------------------------------- generators */

/* One generator's run: its answer (a generate output, checked against
 * the schema) or why it failed. */
struct l4p__gen_run {
  uint64_t seed;
  char *output; /* NULL on failure */
  char *error;  /* NULL on success */
  l4p_status status;
  double seconds;
};

/* Run the generate role n_gen times at once, one thread per generator,
 * each with its own seed (seeds[g]) on the same input, into runs (n_gen
 * entries, released with l4p__gen_runs_release). A failed generator is
 * recorded in its run, not returned. *peak gets the most generators seen
 * running at the same time. ENOMEM only. */
l4p_status l4p__run_generators(struct l4p_agent *agent,
                               const struct l4p_agent_ctx *ctx,
                               const char *input, const uint64_t *seeds,
                               size_t n_gen, struct l4p__gen_run *runs,
                               int *peak);
void l4p__gen_runs_release(struct l4p__gen_run *runs, size_t n);

/* ------------------------------------------- roles and LLM settings */

/* The "roles" parameter (an object: role -> agent) into p; EUSAGE
 * "llm4perf parameters: roles.ROLE: ..." (llm4perf_roles.c). */
l4p_status l4p__lp_read_roles(const json_t *v, struct l4p_llm4perf_params *p);
/* The "llm" parameter (an object: setting -> text or number) into p,
 * each setting checked as l4p_llm_settings_set does and for secrets;
 * EUSAGE "llm4perf parameters: llm.NAME: ...", ENOMEM. */
l4p_status l4p__lp_read_llm(const json_t *v, struct l4p_llm4perf_params *p);
/* Checks between the two, once every key is read: LLM settings need a
 * role played by the llm agent, a role's own settings that role. */
l4p_status l4p__lp_check_llm(const struct l4p_llm4perf_params *p);
/* Add "roles" and "llm" to doc (the canonical parameters) when they say
 * something; -1 when out of memory. */
int l4p__lp_roles_json(const struct l4p_llm4perf_params *p, json_t *doc);

/* ----------------------------------------------------- the sampler */

/* The sampler's state (s->data). */
struct l4p__lp {
  struct l4p_llm4perf_params par;
  struct l4p_agent *agent;       /* the agent roles run through */
  struct l4p_agent *own_agent;   /* made here (freed here), or NULL */
  struct l4p_space *pruned;      /* own pruned space, or NULL */
  const struct l4p_space *space; /* where proposals are made */
  struct l4p__artlog log;
  char note[400]; /* the last call, for the event log */
};

/* One propose call. */
struct l4p__iter {
  struct l4p_sampler *s;
  struct l4p__lp *lp;
  const struct l4p_history *h;
  long iteration;
  uint64_t seed;      /* from the sampler's seed and the history */
  char digest[17];    /* of the history, hex */
  size_t want;        /* configurations asked for */
  json_t *diag;       /* the diagnostics artefact being built */
  json_t *votes;      /* the votes artefact: one entry per round */
  json_t **proposals; /* per generator: its rounds */
  size_t n_gen;
  size_t from_vote, from_topup, from_uniform;
  size_t n_proposed, n_invalid, n_repaired, n_dup;
};

/* Agent role failures that fall back (recorded in the diagnostics)
 * rather than stop the campaign: anything but ENOMEM and ESTORE. */
bool l4p__lp_recoverable(l4p_status st);

/* The initial batch (nothing tried yet): generators asked for a diverse
 * batch with an explore-everything strategy, then spread by maximin
 * distance. out has room for it->want configurations; *got says how
 * many were chosen. */
l4p_status l4p__lp_initial(struct l4p__iter *it, double *out, size_t *got);

/* One feedback iteration: analyze, design (or the strategy kept without
 * feedback), generators, voting. */
l4p_status l4p__lp_iteration(struct l4p__iter *it, double *out, size_t *got);

/* Generate with strategy (design output JSON) and choose the batch:
 * rounds of n_gen generators asked for per_gen each, voted by method,
 * then uniform draws for what is still missing. Records proposals and
 * votes into it. */
l4p_status l4p__lp_generate(struct l4p__iter *it, const char *strategy,
                            size_t per_gen, enum l4p__select method,
                            double *out, size_t *got);

/* Seconds on a monotonic clock. */
double l4p__lp_now(void);

/* The agent the roles run through (llm4perf_agent.c): the campaign's
 * (s->agent), checked against the parameters' role agents, else one made
 * here from them, each distinct agent once, llm settings from the
 * standard sources with the parameters' on top. Sets lp->agent (and
 * lp->own_agent when made). EUSAGE for a given agent that the parameters
 * contradict; the errors of l4p_agent_new. */
l4p_status l4p__lp_make_agent(struct l4p_sampler *s, struct l4p__lp *lp);

/* {"analyze": NAME, "design": NAME, "generate": NAME}: who plays the
 * roles of an iteration, for the diagnostics artefact. */
json_t *l4p__lp_agents_json(const struct l4p__lp *lp);

#endif
