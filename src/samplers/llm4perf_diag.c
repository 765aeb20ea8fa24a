/* Diagnostics of an LLM4Perf campaign from its stored artefacts
 * (include/llm4perf/llm4perf_diag.h, docs/LLM4PERF.md "Diagnostics"):
 * the proposals and votes documents give the counts and the agreement,
 * the batches' configuration keys give diversity, novelty, stagnation
 * and coverage. Reading only what the sampler stored, after the fact,
 * it judges any campaign: a run's, an old one, or one of a study.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "llm4perf_diag-int.h"
#include "llm4perf/spec.h"
#include "util/failf.h"
#include "util/banned.h"

static const char *const state_names[] = {[L4P_DIAG_FREE] = "free",
                                          [L4P_DIAG_PRUNED] = "pruned",
                                          [L4P_DIAG_FIXED] = "fixed"};

/* See llm4perf_diag.h. */
const char *l4p_llm4perf_diag_state_name(enum l4p_llm4perf_diag_state state)
{
  return (unsigned)state <= L4P_DIAG_FIXED ? state_names[state] : "?";
}

/* See llm4perf_diag.h. */
void l4p_llm4perf_diag_init(struct l4p_llm4perf_diag *d)
{
  memset(d, 0, sizeof *d);
  d->mean_agreement = d->mean_agreed_share = NAN;
  d->mean_diversity = d->mean_novelty = NAN;
  d->reference = d->threshold = d->mean_coverage = NAN;
}

/* See llm4perf_diag.h. */
void l4p_llm4perf_diag_release(struct l4p_llm4perf_diag *d)
{
  for (size_t k = 0; d->options && k < d->n_options; k++)
    free(d->options[k].name);
  free(d->options);
  free(d->iterations);
  free(d->warning);
  free(d->usage);
  l4p_llm4perf_diag_init(d);
}

/* ------------------------------------------------------ the reading */

/* The artefacts parsed once, and the batches' configurations. */
struct reader {
  const struct l4p_space *space;
  const struct l4p_artifact *list;
  size_t n, d;
  json_t **docs; /* per artefact, NULL when not JSON */
  double *cfgs;  /* every batch's configurations, in order */
  size_t n_cfgs;
  size_t *first; /* per iteration: its first row in cfgs */
};

static size_t count(const json_t *obj, const char *key)
{
  json_int_t v = json_integer_value(json_object_get(obj, key));
  return v > 0 ? (size_t)v : 0;
}

/* Add what the proposals document doc says to it. */
static void read_proposals(const json_t *doc, struct l4p_llm4perf_diag_iter *it)
{
  size_t k;
  const json_t *r;
  it->generators++;
  json_array_foreach (json_object_get(doc, "rounds"), k, r) {
    const json_t *dup = json_object_get(r, "duplicates");
    it->proposals += count(r, "proposed");
    it->invalid += count(r, "invalid");
    it->repaired += count(r, "repaired");
    it->dup_tried += count(dup, "tried");
    it->dup_repeated += count(dup, "repeated");
  }
  it->duplicates = it->dup_tried + it->dup_repeated;
}

/* The first round of the votes document: agreement, unless one
 * generator voted or the method took proposals in order (voting none). */
static l4p_status read_votes(const json_t *doc,
                             struct l4p_llm4perf_diag_iter *it)
{
  const json_t *round = json_array_get(json_object_get(doc, "rounds"), 0);
  const json_t *cands = json_object_get(round, "candidates");
  const char *method = json_string_value(json_object_get(round, "method"));
  size_t n = json_array_size(cands), k, j;
  uint32_t *voters = calloc(n + 1, sizeof *voters);
  if (!voters)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  const json_t *c, *g;
  json_array_foreach (cands, k, c) {
    json_array_foreach (json_object_get(c, "generators"), j, g) {
      json_int_t gen = json_integer_value(g);
      if (gen >= 0 && gen < 32)
        voters[k] |= (uint32_t)1 << gen;
    }
  }
  bool order = method && strcmp(method, "order") == 0;
  it->candidates = n;
  l4p__diag_agreement(voters, n, order ? 1 : it->generators, &it->agreed,
                      &it->agreed_share, &it->agreement);
  free(voters);
  return L4P_OK;
}

/* Append the batch's configurations (its keys, over space). */
static l4p_status read_batch(struct reader *rd, const json_t *doc,
                             long iteration, size_t *got)
{
  const json_t *keys = json_object_get(doc, "keys");
  size_t n = json_array_size(keys);
  double *grown =
      realloc(rd->cfgs, ((rd->n_cfgs + n) * rd->d + 1) * sizeof *grown);
  if (!grown)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  rd->cfgs = grown;
  for (size_t k = 0; k < n; k++) {
    const char *key = json_string_value(json_array_get(keys, k));
    double *cfg = rd->cfgs + (rd->n_cfgs + k) * rd->d;
    l4p_status st = key ? l4p_space_config_from_key(rd->space, key, cfg)
                        : l4p_failf(L4P_EPARSE, "a key is not a string");
    if (st) {
      char where[80];
      snprintf(where, sizeof where,
               "llm4perf diagnostics: iteration %ld: "
               "batch",
               iteration);
      l4p_error_prefix(where);
      return st;
    }
  }
  rd->n_cfgs += n;
  *got = n;
  return L4P_OK;
}

/* The iterations holding a batch, ascending, into d. */
static l4p_status list_iterations(struct reader *rd,
                                  struct l4p_llm4perf_diag *d)
{
  d->iterations = calloc(rd->n + 1, sizeof *d->iterations);
  rd->first = calloc(rd->n + 2, sizeof *rd->first);
  if (!d->iterations || !rd->first)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t a = 0; a < rd->n; a++) {
    if (strcmp(rd->list[a].kind, "batch") != 0 || !rd->docs[a])
      continue;
    long it = rd->list[a].iteration;
    size_t at = 0; /* insertion sort: a few dozen iterations */
    while (at < d->n_iterations && d->iterations[at].iteration < it)
      at++;
    if (at < d->n_iterations && d->iterations[at].iteration == it)
      continue;
    memmove(d->iterations + at + 1, d->iterations + at,
            (d->n_iterations - at) * sizeof *d->iterations);
    d->iterations[at] = (struct l4p_llm4perf_diag_iter){.iteration = it,
                                                        .agreed_share = NAN,
                                                        .agreement = NAN,
                                                        .diversity = NAN,
                                                        .novelty = NAN};
    d->n_iterations++;
  }
  return L4P_OK;
}

/* Counts, agreement and configurations of every iteration. */
static l4p_status read_iterations(struct reader *rd,
                                  struct l4p_llm4perf_diag *d)
{
  l4p_status st = L4P_OK;
  for (size_t k = 0; !st && k < d->n_iterations; k++) {
    struct l4p_llm4perf_diag_iter *it = &d->iterations[k];
    const json_t *votes = NULL, *batch = NULL;
    for (size_t a = 0; a < rd->n; a++) {
      if (rd->list[a].iteration != it->iteration || !rd->docs[a])
        continue;
      if (strcmp(rd->list[a].kind, "proposals") == 0)
        read_proposals(rd->docs[a], it);
      else if (strcmp(rd->list[a].kind, "votes") == 0)
        votes = rd->docs[a];
      else if (strcmp(rd->list[a].kind, "batch") == 0)
        batch = rd->docs[a];
    }
    if (votes)
      st = read_votes(votes, it);
    rd->first[k] = rd->n_cfgs;
    if (!st)
      st = read_batch(rd, batch, it->iteration, &it->batch);
  }
  rd->first[d->n_iterations] = rd->n_cfgs;
  return st;
}

/* ------------------------------------------------- the free options */

/* Options the decisions artefact prunes (pruned[i]). */
static void decided(const struct reader *rd, bool *pruned)
{
  for (size_t a = 0; a < rd->n; a++) {
    if (strcmp(rd->list[a].kind, "decisions") != 0 || !rd->docs[a])
      continue;
    size_t k;
    const json_t *dec;
    json_array_foreach (
        json_object_get(json_object_get(rd->docs[a], "prune"), "decisions"), k,
        dec) {
      const char *name = json_string_value(json_object_get(dec, "option"));
      int i = name ? l4p_space_find(rd->space, name) : -1;
      if (i >= 0 && json_is_false(json_object_get(dec, "keep")))
        pruned[i] = true;
    }
  }
}

/* Options named in the batches' configurations (named[i]); false when
 * no batch names any. */
static bool named_in_batches(const struct reader *rd, bool *named)
{
  bool any = false;
  for (size_t a = 0; a < rd->n; a++) {
    if (strcmp(rd->list[a].kind, "batch") != 0 || !rd->docs[a])
      continue;
    size_t k;
    const json_t *cfg;
    json_array_foreach (json_object_get(rd->docs[a], "configs"), k, cfg) {
      const char *name;
      const json_t *v;
      json_object_foreach ((json_t *)cfg, name, v) {
        int i = l4p_space_find(rd->space, name);
        if (i >= 0)
          named[i] = any = true;
      }
    }
  }
  return any;
}

/* Each option's state into d->options (names copied) and free[]. */
static l4p_status states(const struct reader *rd, struct l4p_llm4perf_diag *d,
                         bool *free_opt)
{
  bool *pruned = calloc(rd->d + 1, sizeof *pruned);
  bool *named = calloc(rd->d + 1, sizeof *named);
  d->options = calloc(rd->d + 1, sizeof *d->options);
  l4p_status st = pruned && named && d->options
                      ? L4P_OK
                      : l4p_failf(L4P_ENOMEM, "out of memory");
  bool by_batches = !st && named_in_batches(rd, named);
  if (!st)
    decided(rd, pruned);
  for (size_t i = 0; !st && i < rd->d; i++) {
    const struct l4p_option *opt = l4p_space_option(rd->space, i);
    size_t card = l4p_option_cardinality(opt);
    bool varies = !opt->fixed && (card ? card > 1 : opt->max > opt->min);
    free_opt[i] = varies && (by_batches ? named[i] : !pruned[i]);
    struct l4p_llm4perf_diag_option *o = &d->options[d->n_options++];
    o->state = free_opt[i]               ? L4P_DIAG_FREE
               : opt->fixed || pruned[i] ? L4P_DIAG_PRUNED
                                         : L4P_DIAG_FIXED;
    d->n_free += free_opt[i];
    if (!(o->name = strdup(opt->name)))
      st = l4p_failf(L4P_ENOMEM, "out of memory");
  }
  free(pruned);
  free(named);
  return st;
}

/* ------------------------------------------------------ the numbers */

/* A running mean of the defined values. */
struct mean {
  double sum;
  size_t n;
};

static void add(struct mean *m, double v)
{
  if (!isnan(v)) {
    m->sum += v;
    m->n++;
  }
}

static double mean(const struct mean *m)
{
  return m->n ? m->sum / (double)m->n : NAN;
}

/* Diversity, novelty, the stagnation reference, coverage, totals and
 * means, from what read_iterations gathered. */
static l4p_status numbers(struct reader *rd, struct l4p_llm4perf_diag *d,
                          bool *free_opt)
{
  double *tmp = malloc((rd->d + 1) * sizeof *tmp);
  if (!tmp)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  struct l4p__diag_metric m = {rd->space, free_opt, d->n_free, tmp};
  struct mean agreement = {0}, share = {0}, diversity = {0}, novelty = {0};
  for (size_t k = 0; k < d->n_iterations; k++) {
    struct l4p_llm4perf_diag_iter *it = &d->iterations[k];
    const double *batch = rd->cfgs + rd->first[k] * rd->d;
    it->diversity = l4p__diag_diversity(&m, batch, it->batch);
    it->novelty =
        l4p__diag_novelty(&m, batch, it->batch, rd->cfgs, rd->first[k]);
    d->proposals += it->proposals;
    d->invalid += it->invalid;
    d->repaired += it->repaired;
    d->duplicates += it->duplicates;
    add(&agreement, it->agreement);
    add(&share, it->agreed_share);
    add(&diversity, it->diversity);
    add(&novelty, it->novelty);
  }
  d->mean_agreement = mean(&agreement);
  d->mean_agreed_share = mean(&share);
  d->mean_diversity = mean(&diversity);
  d->mean_novelty = mean(&novelty);
  if (d->n_iterations)
    d->reference =
        l4p__diag_nearest_within(&m, rd->cfgs, d->iterations[0].batch);
  free(tmp);
  l4p_status st = l4p__diag_stagnation(d);
  double sum = 0;
  for (size_t i = 0; !st && i < rd->d; i++) {
    st = l4p__diag_coverage(l4p_space_option(rd->space, i), rd->cfgs + i,
                            rd->n_cfgs, rd->d, &d->options[i]);
    if (!st && free_opt[i])
      sum += d->options[i].coverage;
  }
  if (d->n_free)
    d->mean_coverage = sum / (double)d->n_free;
  return st;
}

/* See llm4perf_diag.h. */
l4p_status l4p_llm4perf_diag_compute(const struct l4p_space *space,
                                     const struct l4p_artifact *list, size_t n,
                                     struct l4p_llm4perf_diag *d)
{
  l4p_llm4perf_diag_init(d);
  struct reader rd = {space, list, n, l4p_space_n_options(space),
                      NULL,  NULL, 0, NULL};
  rd.docs = calloc(n + 1, sizeof *rd.docs);
  bool *free_opt = calloc(rd.d + 1, sizeof *free_opt);
  l4p_status st =
      rd.docs && free_opt ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t a = 0; !st && a < n; a++)
    rd.docs[a] = json_loads(list[a].json, 0, NULL);
  if (!st)
    st = list_iterations(&rd, d);
  if (!st)
    st = read_iterations(&rd, d);
  if (!st)
    st = states(&rd, d, free_opt);
  if (!st)
    st = numbers(&rd, d, free_opt);
  for (size_t a = 0; rd.docs && a < n; a++)
    json_decref(rd.docs[a]);
  free(rd.docs);
  free(rd.cfgs);
  free(rd.first);
  free(free_opt);
  return st;
}
