/* Unit tests for the llm4perf sampler (src/samplers/llm4perf*.c) beyond
 * the registry's contract tests: voting on hand-made proposals
 * (agreement counts, near-identical proposals merged, ties broken by
 * distance, duplicates of the history dropped, the spread of the initial
 * batch), the parameters, the component switches really changing what
 * the sampler does (no pruning never calls the filter; no feedback calls
 * analyze and design once and keeps one strategy; voting none asks one
 * generator and takes its proposals in order; agreement and
 * agreement+distance choose different batches from the same proposals;
 * generators N gives N proposals documents; candidates and initial set
 * the batch sizes), generators really running at
 * once, and resume from the store (a batch stored for a history comes
 * back as stored, artefacts are never duplicated).
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "llm4perf/campaign.h"
#include "llm4perf/store.h"
#include "samplers/llm4perf-int.h"
#include "testutil.h"

/* ---------------------------------------------------------- a space */

/* Options a, b, c (bools), lvl (int 0..9), mode (enum x|y|z), verbose
 * (bool, documented as logging: the builtin filter prunes it). */
enum { A, B, C, LVL, MODE, VERBOSE, D };

static struct l4p_spec *make_spec(void)
{
  static char *modes[] = {"x", "y", "z"};
  struct l4p_spec *spec = l4p_spec_new("lp");
  assert_non_null(spec);
  struct l4p_option opts[D] = {
      {.name = "a", .type = L4P_OPT_BOOL, .max = 1},
      {.name = "b", .type = L4P_OPT_BOOL, .max = 1},
      {.name = "c", .type = L4P_OPT_BOOL, .max = 1},
      {.name = "lvl", .type = L4P_OPT_INT, .max = 9, .step = 1},
      {.name = "mode",
       .type = L4P_OPT_ENUM,
       .labels = modes,
       .n_values = 3,
       .max = 2},
      {.name = "verbose",
       .type = L4P_OPT_BOOL,
       .max = 1,
       .doc = "Print progress messages."}};
  for (int i = 0; i < D; i++)
    assert_int_equal(l4p_space_add_option(spec->space, &opts[i]), L4P_OK);
  assert_int_equal(l4p_spec_add_objective(spec, "time", "s", L4P_MINIMIZE),
                   L4P_OK);
  assert_int_equal(l4p_spec_add_objective(spec, "size", "bytes", L4P_MINIMIZE),
                   L4P_OK);
  return spec;
}

/* A made-up system: both objectives depend on every option. */
static void oracle(const double *cfg, double *values)
{
  values[0] = 1 + 2 * cfg[A] + cfg[LVL] * (cfg[MODE] + 1) + 0.5 * cfg[C];
  values[1] = 100 - 7 * cfg[LVL] + 3 * cfg[B] + 10 * cfg[MODE];
}

/* ------------------------------------------------------------ voting */

/* Fill a pool from rows of (generator, a, b, c, lvl, mode, verbose). */
static void fill_pool(struct l4p__pool *pool, const double (*rows)[D + 1],
                      size_t n)
{
  l4p__pool_init(pool, D);
  size_t pos[4] = {0};
  for (size_t k = 0; k < n; k++) {
    unsigned g = (unsigned)rows[k][0];
    assert_int_equal(l4p__pool_add(pool, rows[k] + 1, g, pos[g]++), L4P_OK);
  }
}

/* The pool index of the candidate chosen at rank r. */
static size_t chosen_at(const struct l4p__vote *v, size_t r)
{
  assert_true(r < v->n_chosen);
  return v->c[v->chosen[r]].first;
}

static void test_vote_agreement(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  /* P and Q differ only in lvl by 1 (distance 1/9: near-identical);
   * R is a different configuration, S another. */
  const double rows[][D + 1] = {
      {0, 1, 0, 0, 3, 0, 0}, /* 0: g0 P */
      {0, 0, 1, 1, 9, 2, 0}, /* 1: g0 R */
      {1, 1, 0, 0, 3, 0, 0}, /* 2: g1 P (exact agreement) */
      {1, 0, 0, 1, 0, 1, 0}, /* 3: g1 S */
      {2, 1, 0, 0, 4, 0, 0}, /* 4: g2 Q (near P) */
      {2, 0, 1, 1, 9, 2, 0}, /* 5: g2 R */
  };
  struct l4p__pool pool;
  fill_pool(&pool, rows, 6);
  struct l4p__vote v;
  assert_int_equal(l4p__vote(spec->space, NULL, NULL, 0, &pool, 3,
                             L4P__SELECT_AGREEMENT_DISTANCE, 4, &v),
                   L4P_OK);
  assert_int_equal(v.n_candidates, 4);   /* P, R, S, Q */
  assert_int_equal(v.c[0].voters, 3);    /* P: generators 0 and 1 */
  assert_int_equal(v.c[0].agreement, 3); /* with Q's generator 2 */
  assert_int_equal(v.c[1].agreement, 2); /* R: 0 and 2 */
  assert_int_equal(v.c[2].agreement, 1); /* S */
  assert_int_equal(v.c[3].agreement, 3); /* Q: near P */
  /* P first (agreement 3, earlier than Q at equal distance); Q merged
   * into P; then R; then S; Q only when nothing else is left. */
  assert_int_equal(v.n_chosen, 4);
  assert_int_equal(chosen_at(&v, 0), 0);
  assert_int_equal(v.c[3].merged_into, 0);
  assert_int_equal(chosen_at(&v, 1), 1);
  assert_int_equal(chosen_at(&v, 2), 3);
  assert_int_equal(chosen_at(&v, 3), 4);
  l4p__vote_release(&v);
  /* asked for two: P and R, Q never */
  assert_int_equal(l4p__vote(spec->space, NULL, NULL, 0, &pool, 3,
                             L4P__SELECT_AGREEMENT, 2, &v),
                   L4P_OK);
  assert_int_equal(v.n_chosen, 2);
  assert_int_equal(chosen_at(&v, 0), 0);
  assert_int_equal(chosen_at(&v, 1), 1);
  assert_int_equal(v.c[3].rank, -1);
  l4p__vote_release(&v);
  l4p__pool_release(&pool);
  l4p_spec_free(spec);
}

/* Equal agreement: the candidate farthest from the measured set first
 * (agreement+distance), proposal order otherwise. */
static void test_vote_tie_by_distance(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  const double rows[][D + 1] = {
      {0, 0, 0, 0, 0, 0, 0}, /* close to the history */
      {1, 1, 1, 1, 9, 2, 0}, /* far from it */
      {2, 0, 0, 1, 0, 0, 0}, /* close */
  };
  const double measured[] = {0, 0, 0, 1, 0, 0};
  struct l4p_history h = {1, measured, NULL, 0, NULL};
  struct l4p__pool pool;
  fill_pool(&pool, rows, 3);
  struct l4p__vote v;
  assert_int_equal(l4p__vote(spec->space, &h, NULL, 0, &pool, 3,
                             L4P__SELECT_AGREEMENT_DISTANCE, 3, &v),
                   L4P_OK);
  assert_int_equal(chosen_at(&v, 0), 1);
  assert_true(fabs(v.c[1].distance - (3 + 8.0 / 9 + 1)) < 1e-12);
  l4p__vote_release(&v);
  assert_int_equal(l4p__vote(spec->space, &h, NULL, 0, &pool, 3,
                             L4P__SELECT_AGREEMENT, 3, &v),
                   L4P_OK);
  assert_int_equal(chosen_at(&v, 0), 0);
  assert_int_equal(chosen_at(&v, 1), 1);
  l4p__vote_release(&v);
  l4p__pool_release(&pool);
  l4p_spec_free(spec);
}

/* Proposals already measured, failed or in the batch are dropped and
 * counted; a generator proposing one configuration twice is counted. */
static void test_vote_dedup(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  const double rows[][D + 1] = {
      {0, 1, 1, 1, 1, 1, 0}, /* measured */
      {0, 0, 0, 0, 5, 1, 0}, /* new */
      {0, 0, 0, 0, 5, 1, 0}, /* new again, same generator */
      {1, 1, 0, 1, 2, 2, 0}, /* failed */
      {1, 0, 1, 0, 7, 0, 0}, /* in the batch already */
      {1, 0, 0, 0, 5, 1, 0}, /* new, agreeing with generator 0 */
  };
  const double measured[] = {1, 1, 1, 1, 1, 0};
  const double failed[] = {1, 0, 1, 2, 2, 0};
  const double extra[] = {0, 1, 0, 7, 0, 0};
  struct l4p_history h = {1, measured, NULL, 1, failed};
  struct l4p__pool pool;
  fill_pool(&pool, rows, 6);
  struct l4p__vote v;
  assert_int_equal(l4p__vote(spec->space, &h, extra, 1, &pool, 2,
                             L4P__SELECT_AGREEMENT_DISTANCE, 5, &v),
                   L4P_OK);
  assert_int_equal(v.n_candidates, 1);
  assert_int_equal(v.n_chosen, 1);
  assert_int_equal(v.c[0].agreement, 2);
  assert_int_equal(v.dup_tried[0], 1);
  assert_int_equal(v.dup_repeated[0], 1);
  assert_int_equal(v.dup_tried[1], 2);
  assert_int_equal(v.dup_repeated[1], 0);
  l4p__vote_release(&v);
  l4p__pool_release(&pool);
  l4p_spec_free(spec);
}

/* The initial batch's spread: farthest first, agreement ignored. */
static void test_vote_spread(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  const double rows[][D + 1] = {
      {0, 0, 0, 0, 0, 0, 0},
      {0, 0, 0, 0, 1, 0, 0}, /* next to the first */
      {1, 1, 1, 1, 9, 2, 0}, /* opposite corner */
      {1, 0, 0, 0, 1, 0, 0}, /* agreed on, still next to the first */
  };
  struct l4p__pool pool;
  fill_pool(&pool, rows, 4);
  struct l4p__vote v;
  assert_int_equal(l4p__vote(spec->space, NULL, NULL, 0, &pool, 2,
                             L4P__SELECT_SPREAD, 2, &v),
                   L4P_OK);
  assert_int_equal(chosen_at(&v, 0), 0); /* nothing tried: first */
  assert_int_equal(chosen_at(&v, 1), 2); /* then the farthest */
  l4p__vote_release(&v);
  l4p__pool_release(&pool);
  l4p_spec_free(spec);
}

/* -------------------------------------------------------- parameters */

static void test_params(void **state)
{
  (void)state;
  struct l4p_llm4perf_params p;
  assert_int_equal(l4p_llm4perf_params_parse(NULL, &p), L4P_OK);
  assert_int_equal(p.candidates, 7);
  assert_int_equal(p.generators, 3);
  assert_true(p.feedback);
  assert_int_equal(l4p_llm4perf_initial(&p, 40), 7);
  assert_int_equal(l4p_llm4perf_initial(&p, 200), 20);
  assert_int_equal(l4p_llm4perf_initial(&p, 5), 5);
  char *json;
  assert_int_equal(l4p_llm4perf_params_json(&p, 200, NULL, &json), L4P_OK);
  assert_string_equal(json, "{\"agent\":\"builtin\",\"candidates\":7,"
                            "\"feedback\":true,\"generators\":3,"
                            "\"initial\":20,\"prune\":true,"
                            "\"voting\":\"agreement+distance\"}");
  assert_int_equal(l4p_llm4perf_params_parse(json, &p), L4P_OK);
  assert_int_equal(p.initial, 20);
  free(json);
  assert_int_equal(
      l4p_llm4perf_params_parse("{\"voting\":\"none\",\"generators\":5,"
                                "\"feedback\":false,\"prune\":{\"v\":\"0\"}}",
                                &p),
      L4P_OK);
  assert_int_equal(p.generators, 1);
  assert_int_equal(p.prune, L4P_PRUNE_EXTERNAL);
  assert_false(p.feedback);
  assert_int_equal(l4p_llm4perf_params_json(&p, 10,
                                            "{\"prune\":{\"v\":"
                                            "\"0\"}}",
                                            &json),
                   L4P_OK);
  assert_non_null(strstr(json, "\"prune\":{\"v\":\"0\"}"));
  assert_non_null(strstr(json, "\"generators\":1"));
  free(json);
  assert_int_equal(l4p_llm4perf_params_parse("{\"candidates\":0}", &p),
                   L4P_EUSAGE);
  assert_int_equal(l4p_llm4perf_params_parse("{\"generators\":17}", &p),
                   L4P_EUSAGE);
  assert_int_equal(l4p_llm4perf_params_parse("{\"voting\":\"most\"}", &p),
                   L4P_EUSAGE);
  assert_int_equal(l4p_llm4perf_params_parse("{\"nope\":1}", &p), L4P_EUSAGE);
  assert_non_null(strstr(l4p_last_error(), "'nope'"));
  assert_int_equal(l4p_llm4perf_params_parse("[1]", &p), L4P_EPARSE);
}

/* ------------------------------------------------- driving the sampler */

/* A sampler over spec driven for calls batches (with history grown by
 * the oracle); returns it for inspection (l4p_sampler_free it). */
static struct l4p_sampler *drive(const struct l4p_spec *spec,
                                 const char *params, struct l4p_agent *agent,
                                 struct l4p_store *store, int64_t campaign,
                                 size_t budget, size_t calls)
{
  struct l4p_sampler_env env = {params, store, campaign, agent};
  struct l4p_sampler *s;
  if (l4p_sampler_new_env(l4p_sampler_find("llm4perf"), spec, spec->space, 5,
                          budget, &env, &s))
    fail_msg("create: %s", l4p_last_error());
  double cfgs[200 * D], values[200 * 2];
  size_t have = 0;
  for (size_t call = 0; call < calls; call++) {
    struct l4p_history h = {have, cfgs, values, 0, NULL};
    size_t want = s->ops->batch_size(s, &h), got;
    assert_true(have + want <= 200);
    if (l4p_sampler_propose(s, &h, want, cfgs + have * D, &got))
      fail_msg("propose: %s", l4p_last_error());
    for (size_t k = 0; k < got; k++)
      oracle(cfgs + (have + k) * D, values + (have + k) * 2);
    have += got;
  }
  return s;
}

/* The document of artefact (iteration, kind, generator), or NULL. */
static const char *art(struct l4p_sampler *s, long iteration, const char *kind,
                       int generator)
{
  const struct l4p__lp *lp = s->data;
  const struct l4p__art *a =
      l4p__artlog_find(&lp->log, iteration, kind, generator);
  return a ? a->json : NULL;
}

static void test_no_feedback(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  struct l4p_sampler *s =
      drive(spec, "{\"feedback\":false}", NULL, NULL, 0, 60, 5);
  const char *first = art(s, 1, "strategy", -1);
  assert_non_null(first);
  assert_non_null(art(s, 1, "analysis", -1));
  for (long it = 2; it <= 4; it++) {
    assert_non_null(art(s, it, "strategy", -1));
    assert_string_equal(art(s, it, "strategy", -1), first);
    assert_null(art(s, it, "analysis", -1)); /* never analysed again */
  }
  l4p_sampler_free(s);
  /* with feedback, every iteration analyses and the strategy moves */
  s = drive(spec, NULL, NULL, NULL, 0, 60, 5);
  bool moved = false;
  for (long it = 2; it <= 4; it++) {
    assert_non_null(art(s, it, "analysis", -1));
    moved |= strcmp(art(s, it, "strategy", -1), art(s, 1, "strategy", -1)) != 0;
  }
  assert_true(moved);
  l4p_sampler_free(s);
  l4p_spec_free(spec);
}

static void test_voting_none(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  struct l4p_sampler *s =
      drive(spec, "{\"voting\":\"none\"}", NULL, NULL, 0, 60, 3);
  for (long it = 0; it <= 2; it++) {
    assert_non_null(art(s, it, "proposals", 0));
    assert_null(art(s, it, "proposals", 1));
    assert_non_null(strstr(art(s, it, "votes", -1), "\"method\":\"order\""));
  }
  l4p_sampler_free(s);
  s = drive(spec, "{\"voting\":\"agreement\"}", NULL, NULL, 0, 60, 2);
  assert_non_null(art(s, 1, "proposals", 2));
  assert_non_null(strstr(art(s, 1, "votes", -1), "\"method\":\"agreement\""));
  assert_non_null(strstr(art(s, 0, "votes", -1), "\"method\":\"spread\""));
  l4p_sampler_free(s);
  l4p_spec_free(spec);
}

/* Pruning: the builtin filter holds 'verbose' at its default; with
 * "prune": false nothing is decided and verbose varies. */
static void test_prune_switch(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  struct l4p_sampler *s = drive(spec, NULL, NULL, NULL, 0, 60, 4);
  assert_non_null(strstr(art(s, 0, "decisions", -1), "\"option\":\"verbose\""));
  const struct l4p__lp *lp = s->data;
  assert_true(l4p_space_option(lp->space, VERBOSE)->fixed);
  assert_null(strstr(art(s, 3, "batch", -1), "verbose"));
  l4p_sampler_free(s);
  s = drive(spec, "{\"prune\":false}", NULL, NULL, 0, 60, 4);
  assert_null(art(s, 0, "decisions", -1));
  lp = s->data;
  assert_false(l4p_space_option(lp->space, VERBOSE)->fixed);
  assert_non_null(strstr(art(s, 0, "batch", -1), "verbose"));
  l4p_sampler_free(s);
  l4p_spec_free(spec);
}

/* ------------------------------------------------------- concurrency */

/* An agent that is the builtin one, except that its generate role takes
 * a while and records how many generators run at once. */
static atomic_int running, most;
static struct l4p_agent *builtin;

static l4p_status counting_run(struct l4p_agent *agent, enum l4p_role role,
                               const struct l4p_agent_ctx *ctx,
                               const char *input, char **output)
{
  (void)agent;
  if (role != L4P_ROLE_GENERATE)
    return builtin->ops->run(builtin, role, ctx, input, output);
  int now = atomic_fetch_add(&running, 1) + 1;
  int seen = atomic_load(&most);
  while (now > seen && !atomic_compare_exchange_weak(&most, &seen, now))
    ;
  struct timespec pause = {0, 30 * 1000 * 1000};
  nanosleep(&pause, NULL);
  l4p_status st = builtin->ops->run(builtin, role, ctx, input, output);
  atomic_fetch_sub(&running, 1);
  return st;
}

static const struct l4p_agent_ops counting_ops = {
    .name = "counting",
    .summary = "builtin, counting generators",
    .run = counting_run};

static void test_generators_concurrent(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  builtin = l4p_agent_builtin_new();
  struct l4p_agent counting = {&counting_ops, NULL};
  atomic_store(&most, 0);
  struct l4p_sampler *s =
      drive(spec, "{\"agent\":\"counting\"}", &counting, NULL, 0, 60, 3);
  if (atomic_load(&most) < 2)
    fail_msg("at most %d generators ran at once", atomic_load(&most));
  l4p_sampler_free(s);
  /* one generator: never two at once */
  atomic_store(&most, 0);
  s = drive(spec, "{\"agent\":\"counting\",\"voting\":\"none\"}", &counting,
            NULL, 0, 60, 2);
  assert_int_equal(atomic_load(&most), 1);
  l4p_sampler_free(s);
  /* an agent other than the parameters name is refused */
  struct l4p_sampler_env env = {"{\"agent\":\"builtin\"}", NULL, 0, &counting};
  assert_int_equal(l4p_sampler_new_env(l4p_sampler_find("llm4perf"), spec,
                                       spec->space, 1, 10, &env, &s),
                   L4P_EUSAGE);
  l4p_agent_free(builtin);
  l4p_spec_free(spec);
}

/* ------------------------------------------------- component switches */

/* An agent that is the builtin one, counting the calls of each role
 * (generators run on threads, hence atomics). */
static atomic_int calls[L4P_ROLE_COUNT];

static l4p_status tally_run(struct l4p_agent *agent, enum l4p_role role,
                            const struct l4p_agent_ctx *ctx, const char *input,
                            char **output)
{
  (void)agent;
  atomic_fetch_add(&calls[role], 1);
  return builtin->ops->run(builtin, role, ctx, input, output);
}

static const struct l4p_agent_ops tally_ops = {
    .name = "tally", .summary = "builtin, counting calls", .run = tally_run};
static struct l4p_agent tally = {&tally_ops, NULL};

/* Drive with the tally agent (its name added to params), counts reset. */
static struct l4p_sampler *drive_tally(const struct l4p_spec *spec,
                                       const char *params, size_t calls_n)
{
  for (int r = 0; r < L4P_ROLE_COUNT; r++)
    atomic_store(&calls[r], 0);
  char all[256];
  snprintf(all, sizeof all, "{\"agent\":\"tally\"%s%s}", *params ? "," : "",
           params);
  return drive(spec, all, &tally, NULL, 0, 60, calls_n);
}

/* The parsed document of an artefact (json_decref it). */
static json_t *doc_of(struct l4p_sampler *s, long iteration, const char *kind,
                      int generator)
{
  const char *text = art(s, iteration, kind, generator);
  assert_non_null(text);
  json_t *doc = json_loads(text, 0, NULL);
  assert_non_null(doc);
  return doc;
}

/* Configurations in the batch of iteration. */
static size_t batch_size_of(struct l4p_sampler *s, long iteration)
{
  json_t *doc = doc_of(s, iteration, "batch", -1);
  size_t n = json_array_size(json_object_get(doc, "keys"));
  json_decref(doc);
  return n;
}

/* Rounds the generators of iteration were asked (generator 0's). */
static size_t rounds_of(struct l4p_sampler *s, long iteration)
{
  json_t *doc = doc_of(s, iteration, "proposals", 0);
  size_t n = json_array_size(json_object_get(doc, "rounds"));
  json_decref(doc);
  return n;
}

/* "prune": false: the filter role is never called, no option is fixed
 * and every batch varies all six options; by default the filter is
 * called once and verbose is held. */
static void test_switch_prune(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  builtin = l4p_agent_builtin_new();
  struct l4p_sampler *s = drive_tally(spec, "\"prune\":false", 3);
  assert_int_equal(atomic_load(&calls[L4P_ROLE_FILTER]), 0);
  const struct l4p__lp *lp = s->data;
  assert_null(lp->pruned);
  for (size_t i = 0; i < D; i++)
    assert_false(l4p_space_option(lp->space, i)->fixed);
  for (long it = 0; it < 3; it++) {
    json_t *doc = doc_of(s, it, "batch", -1);
    size_t k;
    json_t *cfg;
    json_array_foreach (json_object_get(doc, "configs"), k, cfg)
      assert_int_equal(json_object_size(cfg), D);
    json_decref(doc);
  }
  l4p_sampler_free(s);
  /* by default the filter runs once and its decisions apply, whichever
   * agent made them (here "tally") */
  s = drive_tally(spec, "", 3);
  assert_int_equal(atomic_load(&calls[L4P_ROLE_FILTER]), 1);
  lp = s->data;
  assert_non_null(lp->pruned);
  assert_true(l4p_space_option(lp->space, VERBOSE)->fixed);
  l4p_sampler_free(s);
  l4p_agent_free(builtin);
  l4p_spec_free(spec);
}

/* "feedback": false: analyze and design run once (iteration 1), the
 * later iterations use the kept strategy; with feedback they run every
 * iteration. */
static void test_switch_feedback(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  builtin = l4p_agent_builtin_new();
  struct l4p_sampler *s = drive_tally(spec, "\"feedback\":false", 5);
  assert_int_equal(atomic_load(&calls[L4P_ROLE_ANALYZE]), 1);
  assert_int_equal(atomic_load(&calls[L4P_ROLE_DESIGN]), 1);
  for (long it = 2; it <= 4; it++) {
    json_t *diag = doc_of(s, it, "diagnostics", -1);
    assert_string_equal(
        json_string_value(json_object_get(diag, "strategy_from")), "kept");
    json_decref(diag);
    assert_string_equal(art(s, it, "strategy", -1), art(s, 1, "strategy", -1));
  }
  l4p_sampler_free(s);
  s = drive_tally(spec, "", 5);
  assert_int_equal(atomic_load(&calls[L4P_ROLE_ANALYZE]), 4);
  assert_int_equal(atomic_load(&calls[L4P_ROLE_DESIGN]), 4);
  l4p_sampler_free(s);
  l4p_agent_free(builtin);
  l4p_spec_free(spec);
}

/* Whether the first round of iteration's vote chose its candidates in
 * proposal order (candidate k at rank k). */
static bool chosen_in_order(struct l4p_sampler *s, long iteration)
{
  json_t *votes = doc_of(s, iteration, "votes", -1);
  json_t *round = json_array_get(json_object_get(votes, "rounds"), 0);
  json_int_t chosen = json_integer_value(json_object_get(round, "chosen"));
  bool in_order = chosen > 0;
  for (json_int_t k = 0; k < chosen; k++) {
    json_t *c = json_array_get(json_object_get(round, "candidates"), (size_t)k);
    in_order &= json_integer_value(json_object_get(c, "rank")) == k;
  }
  json_decref(votes);
  return in_order;
}

/* "voting": "none": one generator per round (one generate call per
 * round), its new proposals taken in the order it gave them; with
 * agreement+distance the batch is reordered. */
static void test_switch_voting_none(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  builtin = l4p_agent_builtin_new();
  struct l4p_sampler *s = drive_tally(spec, "\"voting\":\"none\"", 4);
  size_t rounds = 0;
  for (long it = 0; it < 4; it++) {
    rounds += rounds_of(s, it);
    assert_null(art(s, it, "proposals", 1));
    assert_true(chosen_in_order(s, it));
  }
  assert_int_equal(atomic_load(&calls[L4P_ROLE_GENERATE]), rounds);
  l4p_sampler_free(s);
  s = drive_tally(spec, "", 4);
  bool reordered = false;
  for (long it = 0; it < 4; it++)
    reordered |= !chosen_in_order(s, it);
  assert_true(reordered);
  l4p_sampler_free(s);
  l4p_agent_free(builtin);
  l4p_spec_free(spec);
}

/* agreement vs agreement+distance on the same seed: the same initial
 * batch (both spread it) and the same proposals in iteration 1, but a
 * different batch, as only the tie-break differs (tested on a hand-made
 * pool in test_vote_tie_by_distance). */
static void test_switch_agreement_distance(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  struct l4p_sampler *a =
      drive(spec, "{\"voting\":\"agreement\"}", NULL, NULL, 0, 60, 2);
  struct l4p_sampler *ad = drive(spec, NULL, NULL, NULL, 0, 60, 2);
  assert_string_equal(art(a, 0, "batch", -1), art(ad, 0, "batch", -1));
  for (int g = 0; g < 3; g++) {
    json_t *pa = doc_of(a, 1, "proposals", g),
           *pd = doc_of(ad, 1, "proposals", g);
    json_t *ra = json_array_get(json_object_get(pa, "rounds"), 0);
    json_t *rd = json_array_get(json_object_get(pd, "rounds"), 0);
    assert_true(json_equal(json_object_get(ra, "answer"),
                           json_object_get(rd, "answer")));
    json_decref(pa);
    json_decref(pd);
  }
  assert_string_not_equal(art(a, 1, "batch", -1), art(ad, 1, "batch", -1));
  l4p_sampler_free(a);
  l4p_sampler_free(ad);
  l4p_spec_free(spec);
}

/* "generators": N: N proposals documents per iteration, N generate
 * calls per round, and the vote pools the valid proposals of all N. */
static void test_switch_generators(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  builtin = l4p_agent_builtin_new();
  for (int n = 2; n <= 5; n += 3) {
    char params[32];
    snprintf(params, sizeof params, "\"generators\":%d", n);
    struct l4p_sampler *s = drive_tally(spec, params, 3);
    size_t rounds = 0;
    for (long it = 0; it < 3; it++) {
      rounds += rounds_of(s, it);
      json_int_t valid = 0;
      for (int g = 0; g < n; g++) {
        json_t *doc = doc_of(s, it, "proposals", g);
        json_t *r0 = json_array_get(json_object_get(doc, "rounds"), 0);
        valid += json_integer_value(json_object_get(r0, "proposed")) -
                 json_integer_value(json_object_get(r0, "invalid"));
        json_decref(doc);
      }
      assert_null(art(s, it, "proposals", n));
      json_t *votes = doc_of(s, it, "votes", -1);
      json_t *r0 = json_array_get(json_object_get(votes, "rounds"), 0);
      assert_int_equal(json_integer_value(json_object_get(r0, "proposals")),
                       valid);
      json_decref(votes);
    }
    assert_int_equal(atomic_load(&calls[L4P_ROLE_GENERATE]), n * rounds);
    l4p_sampler_free(s);
  }
  l4p_agent_free(builtin);
  l4p_spec_free(spec);
}

/* "candidates" sets the batch of every feedback iteration (the
 * sampler's batch size hook and the stored batches); "initial" the
 * first batch, each generator being asked for that many. */
static void test_switch_batch_sizes(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  struct l4p_sampler *s =
      drive(spec, "{\"candidates\":4}", NULL, NULL, 0, 60, 4);
  assert_int_equal(batch_size_of(s, 0), 6); /* max(4, 60 / 10) */
  for (long it = 1; it <= 3; it++)
    assert_int_equal(batch_size_of(s, it), 4);
  double cfgs[7 * D] = {0}, values[7 * 2] = {0};
  struct l4p_history h = {1, cfgs, values, 0, NULL};
  assert_int_equal(s->ops->batch_size(s, &h), 4);
  assert_int_equal(s->ops->batch_size(s, NULL), 6);
  l4p_sampler_free(s);
  s = drive(spec, "{\"initial\":11}", NULL, NULL, 0, 60, 2);
  assert_int_equal(batch_size_of(s, 0), 11);
  assert_int_equal(batch_size_of(s, 1), 7);
  json_t *doc = doc_of(s, 0, "proposals", 1);
  json_t *r0 = json_array_get(json_object_get(doc, "rounds"), 0);
  assert_int_equal(json_integer_value(json_object_get(r0, "asked")), 11);
  json_decref(doc);
  l4p_sampler_free(s);
  l4p_spec_free(spec);
}

/* ------------------------------------------------------------ resume */

static size_t count_artifacts(struct l4p_store *store, int64_t campaign)
{
  struct l4p_artifact *list;
  size_t n;
  assert_int_equal(l4p_store_artifacts(store, campaign, NULL, &list, &n),
                   L4P_OK);
  l4p_store_artifacts_free(list, n);
  return n;
}

/* A sampler made again on the same store (a resumed campaign) returns
 * the batch stored for a history as it was, reuses the decisions, and
 * stores nothing twice. */
static void test_resume_from_store(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  struct l4p_store *store;
  assert_int_equal(l4p_store_open(tu_tmp("resume.db"), &store), L4P_OK);
  char *spec_json;
  assert_int_equal(l4p_spec_to_json(spec, &spec_json), L4P_OK);
  struct l4p_campaign_key key = {"lp", spec_json, "llm4perf", "{}", 5, 60};
  int64_t id;
  bool resumed;
  assert_int_equal(l4p_store_campaign(store, &key, &id, &resumed), L4P_OK);
  struct l4p_sampler *s = drive(spec, NULL, NULL, store, id, 60, 3);
  size_t stored = count_artifacts(store, id);
  assert_true(stored > 10);
  l4p_sampler_free(s);
  /* again from scratch: every call finds its batch stored */
  s = drive(spec, NULL, NULL, store, id, 60, 3);
  assert_int_equal(count_artifacts(store, id), stored);
  assert_non_null(strstr(s->ops->notes(s), "stored before, reused"));
  l4p_sampler_free(s);
  /* one call further: a new iteration, numbered on */
  s = drive(spec, NULL, NULL, store, id, 60, 4);
  assert_true(count_artifacts(store, id) > stored);
  assert_non_null(art(s, 3, "batch", -1));
  l4p_sampler_free(s);
  free(spec_json);
  l4p_store_close(store);
  l4p_spec_free(spec);
}

/* A whole campaign through l4p_campaign_run on a table-less oracle is
 * covered by the CLI tests (tests/cli/t5101-llm4perf.sh). */

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_vote_agreement),
      cmocka_unit_test(test_vote_tie_by_distance),
      cmocka_unit_test(test_vote_dedup),
      cmocka_unit_test(test_vote_spread),
      cmocka_unit_test(test_params),
      cmocka_unit_test(test_no_feedback),
      cmocka_unit_test(test_voting_none),
      cmocka_unit_test(test_prune_switch),
      cmocka_unit_test(test_generators_concurrent),
      cmocka_unit_test(test_switch_prune),
      cmocka_unit_test(test_switch_feedback),
      cmocka_unit_test(test_switch_voting_none),
      cmocka_unit_test(test_switch_agreement_distance),
      cmocka_unit_test(test_switch_generators),
      cmocka_unit_test(test_switch_batch_sizes),
      cmocka_unit_test(test_resume_from_store),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
