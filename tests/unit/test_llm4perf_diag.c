/* Unit tests for the llm4perf diagnostics (include/llm4perf/llm4perf_diag.h,
 * src/samplers/llm4perf_diag*.c): each number checked against a value
 * computed by hand (the computation is in the comments) on hand-made
 * campaigns: a small space, artefact documents written out for three
 * iterations, batches chosen so that one campaign keeps moving and
 * another stagnates; the pure functions on hand-made sets and values;
 * the NaN cases (one generator, nothing new proposed, one batch); and a
 * campaign read back from a store with its parameters' external pruning
 * and its LLM usage.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "llm4perf/llm4perf_diag.h"
#include "llm4perf/spec.h"
#include "llm4perf/store.h"
#include "samplers/llm4perf_diag-int.h"
#include "testutil.h"

#define EPS 1e-12
#define near(a, b) assert_true(fabs((a) - (b)) < EPS)

/* ---------------------------------------------------------- the space */

/* fast (bool), mode (enum a|b|c), level (int 0..4: 5 levels, distance
 * |a-b|/4), size (int 0..100: 101 values, so 10 bins; distance
 * |a-b|/100) and log (bool; the decisions artefact prunes it, so it is
 * never in a batch and never varies). Four free options: a normalised
 * distance is the raw one divided by 4. */
enum { FAST, MODE, LEVEL, SIZE, LOG, D };

static struct l4p_spec *make_spec(void)
{
  static char *modes[] = {"a", "b", "c"};
  struct l4p_spec *spec = l4p_spec_new("diag");
  assert_non_null(spec);
  struct l4p_option opts[D] = {
      {.name = "fast", .type = L4P_OPT_BOOL, .max = 1},
      {.name = "mode",
       .type = L4P_OPT_ENUM,
       .labels = modes,
       .n_values = 3,
       .max = 2},
      {.name = "level", .type = L4P_OPT_INT, .max = 4, .step = 1},
      {.name = "size", .type = L4P_OPT_INT, .max = 100, .step = 1},
      {.name = "log", .type = L4P_OPT_BOOL, .max = 1}};
  for (int i = 0; i < D; i++)
    assert_int_equal(l4p_space_add_option(spec->space, &opts[i]), L4P_OK);
  assert_int_equal(l4p_spec_add_objective(spec, "time", "s", L4P_MINIMIZE),
                   L4P_OK);
  return spec;
}

/* ------------------------------------------------- a campaign by hand */

struct camp {
  size_t n;
  struct l4p_artifact a[32];
};

static void add(struct camp *c, long iteration, const char *kind, int generator,
                const char *json)
{
  assert_true(c->n < 32);
  struct l4p_artifact *a = &c->a[c->n++];
  memset(a, 0, sizeof *a);
  a->iteration = iteration;
  snprintf(a->kind, sizeof a->kind, "%s", kind);
  a->generator = generator;
  a->json = strdup(json);
  assert_non_null(a->json);
}

static void camp_release(struct camp *c)
{
  for (size_t k = 0; k < c->n; k++)
    free(c->a[k].json);
  c->n = 0;
}

/* The batch document of n configurations (fast, mode, level, size; log
 * held at false): keys from the space, configurations over the four
 * free options, as the sampler writes them. */
static void add_batch(struct camp *c, const struct l4p_space *space,
                      long iteration, const double (*cfgs)[D], size_t n)
{
  static const char *const labels[] = {"a", "b", "c"};
  json_t *keys = json_array(), *configs = json_array();
  for (size_t k = 0; k < n; k++) {
    char *key = l4p_space_config_key(space, cfgs[k]);
    json_array_append_new(keys, json_string(key));
    free(key);
    json_array_append_new(
        configs, json_pack("{s:b, s:s, s:I, s:I}", "fast", cfgs[k][FAST] != 0,
                           "mode", labels[(int)cfgs[k][MODE]], "level",
                           (json_int_t)cfgs[k][LEVEL], "size",
                           (json_int_t)cfgs[k][SIZE]));
  }
  json_t *doc = json_pack("{s:o, s:o, s:I}", "keys", keys, "configs", configs,
                          "want", (json_int_t)n);
  char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
  add(c, iteration, "batch", -1, text);
  free(text);
  json_decref(doc);
}

/* One generator's proposals document with one or two rounds. */
static void add_round(struct camp *c, long iteration, int g, const char *rounds)
{
  char doc[1024];
  snprintf(doc, sizeof doc, "{\"generator\":%d,\"rounds\":[%s]}", g, rounds);
  add(c, iteration, "proposals", g, doc);
}

#define ROUND(r, proposed, invalid, repaired, tried, repeated)         \
  "{\"round\":" #r ",\"proposed\":" #proposed ",\"invalid\":" #invalid \
  ",\"repaired\":" #repaired ",\"duplicates\":{\"tried\":" #tried      \
  ",\"repeated\":" #repeated "}}"

/* The batches. Raw distances between them (fast + mode + level/4 +
 * size/100), normalised by the 4 free options:
 *   B0 = c1 (0,a,0,0), c2 (1,b,4,100), c3 (0,c,2,50)
 *     c1-c2 = 1+1+1+1 = 4 -> 1.0; c1-c3 = 0+1+0.5+0.5 = 2 -> 0.5;
 *     c2-c3 = 1+1+0.5+0.5 = 3 -> 0.75
 *     diversity = (1 + 0.5 + 0.75) / 3 = 0.75
 *     nearest within: c1 0.5, c2 0.75, c3 0.5 -> reference 1.75/3 = 7/12
 *     threshold = 0.25 x 7/12 = 7/48 (0.1458) */
static const double b0[][D] = {
    {0, 0, 0, 0, 0}, {1, 1, 4, 100, 0}, {0, 2, 2, 50, 0}};
/* Campaign "moving":
 *   B1 = c4 (1,a,1,20), c5 (0,b,3,80)
 *     c4-c5 = 1+1+0.5+0.6 = 3.1 -> diversity 0.775
 *     c4: to c1 1+0+0.25+0.2 = 1.45, c2 2.55, c3 2.55 -> 1.45 -> 0.3625
 *     c5: to c1 2.55, c2 1+0+0.25+0.2 = 1.45, c3 1.55 -> 0.3625
 *     novelty 0.3625 (not below 0.1458)
 *   B2 = c6 (1,c,0,100), c7 (0,a,4,0)
 *     c6-c7 = 4 -> diversity 1.0
 *     c6: c1 3, c2 2, c3 2, c4 2.05, c5 2.95 -> 2 -> 0.5
 *     c7: c1 0+0+1+0 = 1, c2 3, c3 2, c4 1.95, c5 2.05 -> 1 -> 0.25
 *     novelty (0.5 + 0.25) / 2 = 0.375 */
static const double b1_moving[][D] = {{1, 0, 1, 20, 0}, {0, 1, 3, 80, 0}};
static const double b2_moving[][D] = {{1, 2, 0, 100, 0}, {0, 0, 4, 0, 0}};
/* Campaign "stuck": batches next to c1.
 *   B1 = s4 (0,a,0,10), s5 (0,a,1,0)
 *     s4-s5 = 0.25+0.1 = 0.35 -> diversity 0.0875
 *     s4: c1 0.1 -> 0.025; s5: c1 0.25 -> 0.0625 (others are farther)
 *     novelty 0.04375 < 0.1458: stagnant
 *   B2 = s6 (0,a,0,20), s7 (0,a,1,10)
 *     s6: s4 0.1 -> 0.025 (c1 0.2); s7: s5 0.1 -> 0.025 (s4 0.25)
 *     novelty 0.025: stagnant; iterations 1 and 2 in a row: warning */
static const double b1_stuck[][D] = {{0, 0, 0, 10, 0}, {0, 0, 1, 0, 0}};
static const double b2_stuck[][D] = {{0, 0, 0, 20, 0}, {0, 0, 1, 10, 0}};
/* Campaign "once": stuck's B1, then moving's B2.
 *   c6: c1 3, c2 2, c3 2, s4 1+1+0+0.9 = 2.9, s5 1+1+0.25+1 = 3.25 -> 0.5
 *   c7: c1 1, s4 0+0+1+0.1 = 1.1, s5 0+0+0.75+0 = 0.75 -> 0.1875
 *   novelty 0.34375: one stagnant iteration only, no warning */

/* The documents of iterations 0 to 2 besides the batches:
 * iteration 0, three generators:
 *   proposals 4+4+3 = 11, invalid 0+1+0 = 1, repaired 1+1+0 = 2,
 *   duplicates (0+1)+(0+0)+(0+0) = 1
 *   first round's candidates: k0 {0,1}, k1 {0}, k2 {1,2}, k3 {2},
 *   k4 {0,1,2}; agreed (2+ generators) k0, k2, k4: 3 of 5 -> share 0.6
 *   S0 = {k0,k1,k4}, S1 = {k0,k2,k4}, S2 = {k2,k3,k4}:
 *   J01 = |{k0,k4}| / |{k0,k1,k2,k4}| = 2/4; J02 = |{k4}| / 5 = 1/5;
 *   J12 = |{k2,k4}| / |{k0,k2,k3,k4}| = 2/4 -> agreement 1.2/3 = 0.4
 *   (the top-up round, where all three agree, is not counted)
 * iteration 1: generator 0 with a top-up round, generator 2 failed:
 *   proposals 3+2+3 = 8, invalid 0+1+0 = 1, repaired 1, duplicates 1
 *   candidates k0 {0}, k1 {1}, k2 {0}: agreed 0 -> share 0;
 *   J01 = 0/3, J02 = 0/2, J12 = 0/1 -> agreement 0
 * iteration 2: nothing new proposed:
 *   proposals 2+2+1 = 5, duplicates (2+0)+(1+1)+(1+0) = 5
 *   no candidate: share and agreement undefined (NaN) */
static void add_documents(struct camp *c)
{
  add(c, 0, "decisions", -1,
      "{\"agent\":\"hand\",\"prune\":{\"decisions\":[{\"option\":\"log\","
      "\"keep\":false,\"reason\":\"logging\"},{\"option\":\"size\","
      "\"keep\":true}]}}");
  add_round(c, 0, 0, ROUND(0, 4, 0, 1, 0, 1));
  add_round(c, 0, 1, ROUND(0, 4, 1, 1, 0, 0));
  add_round(c, 0, 2, ROUND(0, 3, 0, 0, 0, 0));
  add(c, 0, "votes", -1,
      "{\"rounds\":[{\"round\":0,\"method\":\"spread\",\"candidates\":["
      "{\"generators\":[0,1]},{\"generators\":[0]},{\"generators\":[1,2]},"
      "{\"generators\":[2]},{\"generators\":[0,1,2]}]},"
      "{\"round\":1,\"method\":\"spread\",\"candidates\":["
      "{\"generators\":[0,1,2]}]}]}");
  add_round(c, 1, 0, ROUND(0, 3, 0, 0, 1, 0) "," ROUND(1, 2, 1, 0, 0, 0));
  add_round(c, 1, 1, ROUND(0, 3, 0, 1, 0, 0));
  add_round(c, 1, 2, "{\"round\":0,\"error\":\"timeout\"}");
  add(c, 1, "votes", -1,
      "{\"rounds\":[{\"round\":0,\"method\":\"agreement+distance\","
      "\"candidates\":[{\"generators\":[0]},{\"generators\":[1]},"
      "{\"generators\":[0]}]}]}");
  add_round(c, 2, 0, ROUND(0, 2, 0, 0, 2, 0));
  add_round(c, 2, 1, ROUND(0, 2, 0, 0, 1, 1));
  add_round(c, 2, 2, ROUND(0, 1, 0, 0, 1, 0));
  add(c, 2, "votes", -1,
      "{\"rounds\":[{\"round\":0,\"method\":\"agreement+distance\","
      "\"candidates\":[]}]}");
  /* a half-done iteration (no batch) is not an iteration yet */
  add_round(c, 3, 0, ROUND(0, 9, 9, 9, 9, 9));
}

/* A campaign of the three batches, documents added in a shuffled order
 * (the store's order is not assumed). */
static void make(struct camp *c, const struct l4p_space *space,
                 const double (*b1)[D], const double (*b2)[D])
{
  c->n = 0;
  add_batch(c, space, 2, b2, 2);
  add_documents(c);
  add_batch(c, space, 0, b0, 3);
  add_batch(c, space, 1, b1, 2);
}

static void test_moving_campaign(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  struct camp c;
  make(&c, spec->space, b1_moving, b2_moving);
  struct l4p_llm4perf_diag d;
  assert_int_equal(l4p_llm4perf_diag_compute(spec->space, c.a, c.n, &d),
                   L4P_OK);
  assert_int_equal(d.n_free, 4);
  assert_int_equal(d.n_iterations, 3);
  const struct l4p_llm4perf_diag_iter *it = d.iterations;
  assert_int_equal(it[0].iteration, 0);
  assert_int_equal(it[2].iteration, 2);
  /* counts */
  assert_int_equal(it[0].generators, 3);
  assert_int_equal(it[0].proposals, 11);
  assert_int_equal(it[0].invalid, 1);
  assert_int_equal(it[0].repaired, 2);
  assert_int_equal(it[0].dup_repeated, 1);
  assert_int_equal(it[0].duplicates, 1);
  assert_int_equal(it[1].proposals, 8);
  assert_int_equal(it[1].invalid, 1);
  assert_int_equal(it[1].repaired, 1);
  assert_int_equal(it[1].dup_tried, 1);
  assert_int_equal(it[2].proposals, 5);
  assert_int_equal(it[2].duplicates, 5);
  assert_int_equal(d.proposals, 24);
  assert_int_equal(d.invalid, 2);
  assert_int_equal(d.repaired, 3);
  assert_int_equal(d.duplicates, 7);
  /* agreement */
  assert_int_equal(it[0].candidates, 5);
  assert_int_equal(it[0].agreed, 3);
  near(it[0].agreed_share, 0.6);
  near(it[0].agreement, 0.4);
  near(it[1].agreed_share, 0);
  near(it[1].agreement, 0);
  assert_true(isnan(it[2].agreed_share));
  assert_true(isnan(it[2].agreement));
  near(d.mean_agreement, 0.2);    /* (0.4 + 0) / 2 */
  near(d.mean_agreed_share, 0.3); /* (0.6 + 0) / 2 */
  /* spread */
  assert_int_equal(it[0].batch, 3);
  near(it[0].diversity, 0.75);
  near(it[1].diversity, 0.775);
  near(it[2].diversity, 1.0);
  near(d.mean_diversity, 2.525 / 3);
  assert_true(isnan(it[0].novelty));
  near(it[1].novelty, 0.3625);
  near(it[2].novelty, 0.375);
  near(d.mean_novelty, 0.36875);
  /* stagnation: none */
  near(d.reference, 7.0 / 12);
  near(d.threshold, 7.0 / 48);
  assert_int_equal(d.n_stagnant, 0);
  assert_false(d.stagnation_warning);
  assert_null(d.warning);
  /* coverage over c1..c7: fast {0,1} 2/2; mode {a,b,c} 3/3; level
   * {0,1,2,3,4} 5/5; size 0,100,50,20,80 -> bins {0,9,5,2,8} 5/10; log
   * pruned (1 of 2 seen, not in the mean): (1+1+1+0.5)/4 = 0.875 */
  assert_int_equal(d.n_options, D);
  assert_string_equal(d.options[SIZE].name, "size");
  assert_true(d.options[SIZE].binned);
  assert_int_equal(d.options[SIZE].levels, 10);
  assert_int_equal(d.options[SIZE].seen, 5);
  assert_false(d.options[LEVEL].binned);
  assert_int_equal(d.options[LEVEL].levels, 5);
  assert_int_equal(d.options[LEVEL].seen, 5);
  assert_int_equal(d.options[MODE].seen, 3);
  assert_int_equal(d.options[FAST].state, L4P_DIAG_FREE);
  assert_int_equal(d.options[LOG].state, L4P_DIAG_PRUNED);
  assert_int_equal(d.options[LOG].seen, 1);
  near(d.mean_coverage, 0.875);
  l4p_llm4perf_diag_release(&d);
  camp_release(&c);
  l4p_spec_free(spec);
}

static void test_stuck_campaign(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  struct camp c;
  make(&c, spec->space, b1_stuck, b2_stuck);
  struct l4p_llm4perf_diag d;
  assert_int_equal(l4p_llm4perf_diag_compute(spec->space, c.a, c.n, &d),
                   L4P_OK);
  const struct l4p_llm4perf_diag_iter *it = d.iterations;
  near(it[1].diversity, 0.0875);
  near(it[1].novelty, 0.04375);
  near(it[2].novelty, 0.025);
  assert_false(it[0].stagnant);
  assert_true(it[1].stagnant);
  assert_true(it[2].stagnant);
  assert_int_equal(d.n_stagnant, 2);
  assert_true(d.stagnation_warning);
  assert_non_null(d.warning);
  assert_non_null(strstr(d.warning, "iterations 1, 2 are stagnant"));
  assert_non_null(strstr(d.warning, "same region"));
  /* coverage: level {0,4,2,1} 4/5, size bins {0,9,5,1,2} 5/10:
   * (1 + 1 + 0.8 + 0.5) / 4 = 0.825 */
  assert_int_equal(d.options[LEVEL].seen, 4);
  near(d.mean_coverage, 0.825);
  l4p_llm4perf_diag_release(&d);
  camp_release(&c);
  /* one stagnant iteration is not a run: no warning */
  make(&c, spec->space, b1_stuck, b2_moving);
  assert_int_equal(l4p_llm4perf_diag_compute(spec->space, c.a, c.n, &d),
                   L4P_OK);
  assert_true(d.iterations[1].stagnant);
  near(d.iterations[2].novelty, 0.34375);
  assert_false(d.iterations[2].stagnant);
  assert_int_equal(d.n_stagnant, 1);
  assert_false(d.stagnation_warning);
  l4p_llm4perf_diag_release(&d);
  camp_release(&c);
  l4p_spec_free(spec);
}

/* Voting none: one generator, proposals taken in order; agreement is
 * not defined, the rest is. */
static void test_one_generator(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  struct camp c = {0};
  const char votes[] =
      "{\"rounds\":[{\"round\":0,\"method\":\"order\",\"candidates\":["
      "{\"generators\":[0]},{\"generators\":[0]}]}]}";
  for (long i = 0; i < 2; i++) {
    add_round(&c, i, 0, ROUND(0, 3, 0, 0, 0, 0));
    add(&c, i, "votes", -1, votes);
  }
  add_batch(&c, spec->space, 0, b0, 3);
  add_batch(&c, spec->space, 1, b1_moving, 2);
  struct l4p_llm4perf_diag d;
  assert_int_equal(l4p_llm4perf_diag_compute(spec->space, c.a, c.n, &d),
                   L4P_OK);
  assert_int_equal(d.iterations[1].generators, 1);
  assert_int_equal(d.iterations[1].candidates, 2);
  assert_true(isnan(d.iterations[0].agreement));
  assert_true(isnan(d.iterations[1].agreed_share));
  assert_true(isnan(d.mean_agreement));
  assert_true(isnan(d.mean_agreed_share));
  near(d.iterations[1].novelty, 0.3625);
  /* no decisions artefact: log is not named in the batches, so it was
   * never varied (fixed, not pruned) */
  assert_int_equal(d.options[LOG].state, L4P_DIAG_FIXED);
  /* the JSON document: NaN as null */
  char *json;
  assert_int_equal(l4p_llm4perf_diag_json(&d, &json), L4P_OK);
  json_t *doc = json_loads(json, 0, NULL);
  assert_non_null(doc);
  json_t *it1 = json_array_get(json_object_get(doc, "iterations"), 1);
  assert_true(json_is_null(json_object_get(it1, "agreement")));
  assert_true(json_is_real(json_object_get(it1, "novelty")));
  assert_true(json_is_null(
      json_object_get(json_object_get(doc, "means"), "agreement")));
  assert_int_equal(json_integer_value(json_object_get(doc, "free_options")), 4);
  json_decref(doc);
  free(json);
  l4p_llm4perf_diag_release(&d);
  camp_release(&c);
  /* a lone batch: no pair, no earlier batch, no reference */
  add_batch(&c, spec->space, 0, b0, 1);
  assert_int_equal(l4p_llm4perf_diag_compute(spec->space, c.a, c.n, &d),
                   L4P_OK);
  assert_true(isnan(d.iterations[0].diversity));
  assert_true(isnan(d.reference));
  assert_false(d.stagnation_warning);
  l4p_llm4perf_diag_release(&d);
  camp_release(&c);
  /* no artefacts at all: nothing, every mean undefined */
  assert_int_equal(l4p_llm4perf_diag_compute(spec->space, NULL, 0, &d), L4P_OK);
  assert_int_equal(d.n_iterations, 0);
  assert_true(isnan(d.mean_diversity));
  l4p_llm4perf_diag_release(&d);
  /* a key that does not fit the space: EPARSE naming the iteration */
  add(&c, 4, "batch", -1, "{\"keys\":[\"1,2\"],\"configs\":[]}");
  assert_int_equal(l4p_llm4perf_diag_compute(spec->space, c.a, c.n, &d),
                   L4P_EPARSE);
  assert_non_null(strstr(l4p_last_error(), "iteration 4"));
  l4p_llm4perf_diag_release(&d);
  camp_release(&c);
  l4p_spec_free(spec);
}

/* ------------------------------------------------- the pure functions */

static void test_agreement_math(void **state)
{
  (void)state;
  /* the sets of iteration 0 above */
  const uint32_t voters[] = {3, 1, 6, 4, 7};
  size_t agreed;
  double share, jaccard;
  l4p__diag_agreement(voters, 5, 3, &agreed, &share, &jaccard);
  assert_int_equal(agreed, 3);
  near(share, 0.6);
  near(jaccard, 0.4);
  /* one generator: nothing to agree with */
  l4p__diag_agreement(voters, 5, 1, &agreed, &share, &jaccard);
  assert_true(isnan(share) && isnan(jaccard));
  /* generator 2 proposed nothing new: pairs (0,2) and (1,2) still count
   * (their unions are not empty): {k0} and {k0,k1}: J01 = 1/2, J02 = 0,
   * J12 = 0 -> 1/6 */
  const uint32_t two[] = {3, 2};
  l4p__diag_agreement(two, 2, 3, &agreed, &share, &jaccard);
  assert_int_equal(agreed, 1);
  near(share, 0.5);
  near(jaccard, 1.0 / 6);
  /* generators 1 and 2 both proposed nothing new: their pair is left
   * out; J01 = 0/2, J02 = 0/2 -> 0 (not undefined) */
  const uint32_t only0[] = {1, 1};
  l4p__diag_agreement(only0, 2, 3, &agreed, &share, &jaccard);
  assert_int_equal(agreed, 0);
  near(share, 0);
  near(jaccard, 0);
}

/* Distances count free options only, each at most 1, over their
 * number. */
static void test_distance_math(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  const bool free_opt[D] = {true, true, true, true, false};
  double tmp[D];
  struct l4p__diag_metric m = {spec->space, free_opt, 4, tmp};
  const double c1[D] = {0, 0, 0, 0, 0}, c1_log[D] = {0, 0, 0, 0, 1};
  const double c2[D] = {1, 1, 4, 100, 1}, c3[D] = {0, 2, 2, 50, 0};
  near(l4p__diag_distance(&m, c1, c1_log), 0); /* log is not free */
  near(l4p__diag_distance(&m, c1, c2), 1);     /* 4 of 4 */
  near(l4p__diag_distance(&m, c2, c3), 0.75);  /* 1+1+0.5+0.5 = 3 */
  /* the batch B0 of the campaigns: pairs 1, 0.5, 0.75 */
  const double b[] = {0, 0, 0, 0, 0, 1, 1, 4, 100, 1, 0, 2, 2, 50, 0};
  near(l4p__diag_diversity(&m, b, 3), 0.75);
  near(l4p__diag_nearest_within(&m, b, 3), 7.0 / 12);
  near(l4p__diag_novelty(&m, c1_log, 1, b, 3), 0); /* c1 again */
  assert_true(isnan(l4p__diag_novelty(&m, c1, 1, b, 0)));
  assert_true(isnan(l4p__diag_diversity(&m, b, 1)));
  m.n_free = 0;
  assert_true(isnan(l4p__diag_distance(&m, c1, c2)));
  l4p_spec_free(spec);
}

static void test_coverage_math(void **state)
{
  (void)state;
  /* 11 listed values (binned): [1, 100] in bins of 9.9; 1..10 all fall
   * in bin 0, 100 in bin 9: two bins available; 5 and 100 reach both */
  double list[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100};
  struct l4p_option opt = {.name = "x",
                           .type = L4P_OPT_INT,
                           .n_values = 11,
                           .values = list,
                           .min = 1,
                           .max = 100};
  struct l4p_llm4perf_diag_option out = {0};
  const double seen[] = {5, 100, 7};
  assert_int_equal(l4p__diag_coverage(&opt, seen, 3, 1, &out), L4P_OK);
  assert_true(out.binned);
  assert_int_equal(out.levels, 2);
  assert_int_equal(out.seen, 2);
  near(out.coverage, 1);
  /* a continuous float over [0, 1]: ten bins, 0.05 and 0.07 share bin
   * 0, 1.0 is in the last: 2 of 10 */
  struct l4p_option f = {.name = "f", .type = L4P_OPT_FLOAT, .max = 1};
  const double fv[] = {0.05, 0.07, 1.0};
  assert_int_equal(l4p__diag_coverage(&f, fv, 3, 1, &out), L4P_OK);
  assert_int_equal(out.levels, 10);
  assert_int_equal(out.seen, 2);
  near(out.coverage, 0.2);
  /* an enum with 12 labels is never binned; stride skips other columns */
  static char *labels[12] = {"a", "b", "c", "d", "e", "f",
                             "g", "h", "i", "j", "k", "l"};
  struct l4p_option e = {.name = "e",
                         .type = L4P_OPT_ENUM,
                         .labels = labels,
                         .n_values = 12,
                         .max = 11};
  const double rows[] = {11, 99, 3, 99, 11, 99};
  assert_int_equal(l4p__diag_coverage(&e, rows, 3, 2, &out), L4P_OK);
  assert_false(out.binned);
  assert_int_equal(out.levels, 12);
  assert_int_equal(out.seen, 2);
}

static void test_stagnation_math(void **state)
{
  (void)state;
  struct l4p_llm4perf_diag d;
  l4p_llm4perf_diag_init(&d);
  struct l4p_llm4perf_diag_iter its[7];
  /* reference 1.0, threshold 0.25; novelty of iterations 1..6:
   * 0.1 0.1 0.5 0.1 0.1 0.1 -> stagnant 1 2 _ 4 5 6 */
  const double novelty[] = {NAN, 0.1, 0.1, 0.5, 0.1, 0.1, 0.1};
  for (size_t k = 0; k < 7; k++)
    its[k] = (struct l4p_llm4perf_diag_iter){.iteration = (long)k + 10,
                                             .novelty = novelty[k]};
  d.iterations = its;
  d.n_iterations = 7;
  d.reference = 1.0;
  assert_int_equal(l4p__diag_stagnation(&d), L4P_OK);
  near(d.threshold, 0.25);
  assert_int_equal(d.n_stagnant, 5);
  assert_true(d.stagnation_warning);
  assert_non_null(
      strstr(d.warning, "iterations 11, 12, 14, 15, 16 are stagnant"));
  /* exactly the threshold is not below it */
  its[2].novelty = its[5].novelty = 0.25;
  assert_int_equal(l4p__diag_stagnation(&d), L4P_OK);
  assert_int_equal(d.n_stagnant, 3); /* 11, 14, 16: no two in a row */
  assert_false(d.stagnation_warning);
  assert_null(d.warning);
  /* no reference: nothing is stagnant */
  its[2].novelty = its[5].novelty = 0.0;
  d.reference = NAN;
  assert_int_equal(l4p__diag_stagnation(&d), L4P_OK);
  assert_int_equal(d.n_stagnant, 0);
  free(d.warning);
}

/* ---------------------------------------------- from a store, whole */

/* A stored campaign whose parameters prune 'log' externally (no
 * decisions artefact) and whose generate role asked an LLM. */
static void test_load_from_store(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  struct l4p_store *store;
  assert_int_equal(l4p_store_open(tu_tmp("diag.db"), &store), L4P_OK);
  char *spec_json;
  assert_int_equal(l4p_spec_to_json(spec, &spec_json), L4P_OK);
  struct l4p_campaign_key key = {
      "diag", spec_json, "llm4perf", "{\"prune\":{\"log\":\"false\"}}", 1, 20};
  int64_t id;
  bool resumed;
  assert_int_equal(l4p_store_campaign(store, &key, &id, &resumed), L4P_OK);
  struct camp c = {0};
  add_batch(&c, spec->space, 0, b0, 3);
  add_batch(&c, spec->space, 1, b1_stuck, 2);
  add_batch(&c, spec->space, 2, b2_stuck, 2);
  for (size_t k = 0; k < c.n; k++)
    assert_int_equal(l4p_store_artifact_add(store, id, c.a[k].iteration,
                                            c.a[k].kind, -1, c.a[k].json, NULL),
                     L4P_OK);
  struct l4p_llm_exchange ex = {.campaign = id,
                                .role = "generate",
                                .model = "m",
                                .request_hash = "h",
                                .request_json = "{}",
                                .response_text = "{}",
                                .reply_json = "{}",
                                .status = "ok",
                                .prompt_tokens = 30,
                                .completion_tokens = 12,
                                .latency_ms = 500,
                                .attempt = 1};
  assert_int_equal(l4p_store_exchange_add(store, &ex, NULL), L4P_OK);
  struct l4p_llm4perf_diag d;
  assert_int_equal(l4p_llm4perf_diag_load(store, id, &d), L4P_OK);
  assert_int_equal(d.n_iterations, 3);
  assert_int_equal(d.options[LOG].state, L4P_DIAG_PRUNED);
  assert_int_equal(d.n_free, 4);
  assert_true(d.stagnation_warning);
  assert_int_equal(d.n_usage, 1);
  assert_string_equal(d.usage[0].role, "generate");
  assert_int_equal(d.usage[0].prompt_tokens, 30);
  char *json;
  assert_int_equal(l4p_llm4perf_diag_json(&d, &json), L4P_OK);
  assert_non_null(strstr(json, "\"llm_usage\":[{\"attempts\":1,"));
  assert_non_null(strstr(json, "\"stagnant\":[1,2]"));
  free(json);
  l4p_llm4perf_diag_release(&d);
  /* a campaign that does not exist */
  assert_int_equal(l4p_llm4perf_diag_load(store, id + 7, &d), L4P_ESTORE);
  l4p_llm4perf_diag_release(&d);
  camp_release(&c);
  free(spec_json);
  l4p_store_close(store);
  l4p_spec_free(spec);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_moving_campaign),
      cmocka_unit_test(test_stuck_campaign),
      cmocka_unit_test(test_one_generator),
      cmocka_unit_test(test_agreement_math),
      cmocka_unit_test(test_distance_math),
      cmocka_unit_test(test_coverage_math),
      cmocka_unit_test(test_stagnation_math),
      cmocka_unit_test(test_load_from_store),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
