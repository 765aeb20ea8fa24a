/* One step of the llm4perf sampler (METHOD.md, "The LLM4Perf sampler"):
 * the initial batch (generators asked for a diverse batch under an
 * explore-everything strategy, spread by maximin distance), or one
 * feedback iteration (trend analysis of the history, strategy design,
 * concurrent generators, validation, voting), each with its top-up when
 * the generators come back short. Every intermediate document goes to the
 * artefact log; agent failures other than ENOMEM/ESTORE fall back (the
 * previous strategy, fewer proposals, uniform draws) and are recorded.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "design-int.h"
#include "llm4perf-int.h"
#include "seqkit.h"
#include "util/failf.h"
#include "util/banned.h"

/* The strategy of the initial batch: nothing measured, explore all. */
static const char initial_strategy[] =
    "{\"explore\":1,\"focus\":[],\"avoid\":[],\"rationale\":\"initial "
    "batch: nothing is measured yet, so spread the configurations over "
    "the whole space, each option's values about equally often\"}";

/* Whether a role failure falls back (true) or stops the campaign. */
bool l4p__lp_recoverable(l4p_status st)
{
  return st != L4P_OK && st != L4P_ENOMEM && st != L4P_ESTORE;
}

/* Note a fallback in the diagnostics: "what: message". */
static void fallback(struct l4p__iter *it, const char *what,
                     const char *message)
{
  json_t *list = json_object_get(it->diag, "fallbacks");
  if (!list) {
    list = json_array();
    json_object_set_new(it->diag, "fallbacks", list);
  }
  char line[600];
  snprintf(line, sizeof line, "%s: %s", what, message);
  json_array_append_new(list, json_string(line));
}

static json_t *hex_seed(uint64_t seed)
{
  char buf[17];
  snprintf(buf, sizeof buf, "%016" PRIx64, seed);
  return json_string(buf);
}

/* -------------------------------------------------------- reading */

/* The history the generators must avoid in a top-up round: h plus the
 * batch so far and everything proposed before. Heap rows in *rows. */
static l4p_status avoid_history(const struct l4p_history *h,
                                const double *batch, size_t n_batch,
                                const struct l4p__pool *seen, size_t d,
                                struct l4p_history *out, double **rows)
{
  size_t n_h = h ? h->n : 0, n = n_h + n_batch + seen->n;
  double *all = malloc((n * d + 1) * sizeof *all);
  if (!all)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  if (n_h)
    memcpy(all, h->configs, n_h * d * sizeof *all);
  if (n_batch)
    memcpy(all + n_h * d, batch, n_batch * d * sizeof *all);
  if (seen->n)
    memcpy(all + (n_h + n_batch) * d, seen->cfgs, seen->n * d * sizeof *all);
  *out = (struct l4p_history){n, all, NULL, h ? h->n_failed : 0,
                              h ? h->failed : NULL};
  *rows = all;
  return L4P_OK;
}

/* Read generator g's answer into the pool; its round document gets the
 * counts of what was wrong. */
static l4p_status read_answer(struct l4p__iter *it, unsigned g,
                              const struct l4p__gen_run *run,
                              struct l4p__pool *pool, json_t *doc)
{
  const struct l4p_space *space = it->lp->space;
  size_t d = l4p_space_n_options(space), invalid = 0;
  if (!run->output) {
    json_object_set_new(doc, "error",
                        json_string(run->error ? run->error : "failed"));
    fallback(it, "generate", run->error ? run->error : "failed");
    return L4P_OK;
  }
  json_object_set_new(doc, "answer", json_loads(run->output, 0, NULL));
  struct l4p_agent_configs c;
  l4p_status st = l4p_agent_read_generated(space, run->output, &c);
  if (st) {
    l4p_agent_configs_release(&c);
    if (!l4p__lp_recoverable(st))
      return st;
    json_object_set_new(doc, "error", json_string(l4p_last_error()));
    fallback(it, "generate", l4p_last_error());
    return L4P_OK;
  }
  json_t *notes = json_array();
  for (size_t k = 0; !st && k < c.n; k++) {
    const double *cfg = c.configs + k * d;
    if (c.notes[k] && json_array_size(notes) < 10)
      json_array_append_new(notes, json_string(c.notes[k]));
    if (c.status[k] == L4P_CONFIG_INVALID ||
        l4p_space_validate(space, cfg) != L4P_OK) {
      invalid++; /* never measured as proposed (tag-vote-validate) */
      continue;
    }
    st = l4p__pool_add(pool, cfg, g, k);
  }
  l4p_clear_error();
  json_object_set_new(doc, "proposed", json_integer((json_int_t)c.n));
  json_object_set_new(doc, "ok", json_integer((json_int_t)c.n_ok));
  json_object_set_new(doc, "repaired", json_integer((json_int_t)c.n_repaired));
  json_object_set_new(doc, "invalid", json_integer((json_int_t)invalid));
  json_object_set_new(
      doc, "problems",
      json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "unknown_options",
                (json_int_t)c.unknown_options, "type_errors",
                (json_int_t)c.type_errors, "out_of_domain",
                (json_int_t)c.out_of_domain, "missing", (json_int_t)c.missing,
                "fixed_changed", (json_int_t)c.fixed_changed,
                "constraint_violations", (json_int_t)c.constraint_violations));
  json_object_set_new(doc, "notes", notes);
  it->n_proposed += c.n;
  it->n_repaired += c.n_repaired;
  it->n_invalid += invalid;
  l4p_agent_configs_release(&c);
  return st;
}

/* The vote of one round as a document. */
static json_t *vote_json(const struct l4p__iter *it, int round,
                         enum l4p__select method, const struct l4p__pool *pool,
                         const struct l4p__vote *v)
{
  json_t *cands = json_array();
  for (size_t k = 0; k < v->n_candidates; k++) {
    const struct l4p__candidate *c = &v->c[k];
    json_t *voters = json_array();
    for (unsigned g = 0; g < 32; g++)
      if (c->voters & ((uint32_t)1 << g))
        json_array_append_new(voters, json_integer(g));
    json_array_append_new(
        cands,
        json_pack(
            "{s:o, s:o, s:I, s:o, s:o, s:o}", "config",
            l4p__lp_config_json(it->lp->space, pool->cfgs + c->first * pool->d),
            "generators", voters, "agreement", (json_int_t)c->agreement,
            "distance",
            c->rank >= 0 && isfinite(c->distance) ? json_real(c->distance)
                                                  : json_null(),
            "rank", c->rank >= 0 ? json_integer(c->rank) : json_null(),
            "merged_into",
            c->merged_into >= 0 ? json_integer(c->merged_into) : json_null()));
  }
  return json_pack("{s:i, s:s, s:I, s:o, s:I}", "round", round, "method",
                   l4p__select_name(method), "proposals", (json_int_t)pool->n,
                   "candidates", cands, "chosen", (json_int_t)v->n_chosen);
}

/* ------------------------------------------------------- one round */

/* Ask the generators once (round r) for ask configurations each and
 * vote the batch's next slots. seen collects every valid proposal. */
static l4p_status round_of(struct l4p__iter *it, int r, const char *strategy,
                           size_t ask, enum l4p__select method, double *out,
                           size_t *got, struct l4p__pool *seen)
{
  struct l4p_sampler *s = it->s;
  const struct l4p_space *space = it->lp->space;
  size_t d = l4p_space_n_options(space), G = it->n_gen;
  struct l4p_history avoid = it->h ? *it->h : (struct l4p_history){0};
  double *rows = NULL;
  l4p_status st =
      r == 0 ? L4P_OK : avoid_history(it->h, out, *got, seen, d, &avoid, &rows);
  char *input = NULL;
  if (!st)
    st =
        l4p_agent_generate_input(s->spec, space, strategy, &avoid, ask, &input);
  free(rows);
  if (st)
    return st;
  uint64_t seeds[L4P_LLM4PERF_MAX_GENERATORS];
  struct l4p__gen_run runs[L4P_LLM4PERF_MAX_GENERATORS];
  for (size_t g = 0; g < G; g++)
    seeds[g] = l4p__mix_seed(it->seed, 10 + (uint64_t)r, g);
  struct l4p_agent_ctx ctx = {s->spec, space, 0, s->campaign};
  int peak = 0;
  double start = l4p__lp_now();
  st = l4p__run_generators(it->lp->agent, &ctx, input, seeds, G, runs, &peak);
  free(input);
  if (st)
    return st;
  json_array_append_new(json_object_get(it->diag, "rounds"),
                        json_pack("{s:i, s:i, s:f}", "round", r,
                                  "peak_concurrent", peak, "seconds",
                                  l4p__lp_now() - start));
  struct l4p__pool pool;
  l4p__pool_init(&pool, d);
  json_t *docs[L4P_LLM4PERF_MAX_GENERATORS];
  for (size_t g = 0; g < G; g++) {
    docs[g] = json_pack("{s:i, s:o, s:I, s:f}", "round", r, "seed",
                        hex_seed(seeds[g]), "asked", (json_int_t)ask, "seconds",
                        runs[g].seconds);
    if (!st)
      st = read_answer(it, (unsigned)g, &runs[g], &pool, docs[g]);
  }
  l4p__gen_runs_release(runs, G);
  struct l4p__vote v = {0};
  if (!st)
    st = l4p__vote(space, it->h, out, *got, &pool, G, method, it->want - *got,
                   &v);
  for (size_t k = 0; !st && k < v.n_chosen; k++)
    memcpy(out + (*got + k) * d, pool.cfgs + v.c[v.chosen[k]].first * d,
           d * sizeof *out);
  for (size_t k = 0; !st && k < pool.n; k++)
    st = l4p__pool_add(seen, pool.cfgs + k * d, 0, 0);
  for (size_t g = 0; g < G; g++) {
    if (!st) {
      json_object_set_new(docs[g], "duplicates",
                          json_pack("{s:I, s:I}", "tried",
                                    (json_int_t)v.dup_tried[g], "repeated",
                                    (json_int_t)v.dup_repeated[g]));
      it->n_dup += v.dup_tried[g] + v.dup_repeated[g];
      json_array_append(it->proposals[g], docs[g]);
    }
    json_decref(docs[g]);
  }
  if (!st) {
    json_array_append_new(it->votes, vote_json(it, r, method, &pool, &v));
    *got += v.n_chosen;
    if (r == 0)
      it->from_vote += v.n_chosen;
    else
      it->from_topup += v.n_chosen;
  }
  l4p__vote_release(&v);
  l4p__pool_release(&pool);
  return st;
}

/* Uniform valid draws for what the rounds left missing. */
static l4p_status fill_uniform(struct l4p__iter *it, double *out, size_t *got)
{
  const struct l4p_space *space = it->lp->space;
  size_t d = l4p_space_n_options(space), added = 0;
  struct l4px_cfgset taken;
  l4px_cfgset_init(&taken, d);
  struct l4p_rng *rng = l4p_rng_new(l4p__mix_seed(it->seed, 99, 0));
  l4p_status st = rng ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st && l4p__taken_from_history(&taken, it->h, d) < 0)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; !st && k < *got; k++)
    if (l4px_cfgset_add(&taken, out + k * d) < 0)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st) {
    st = l4p__seq_fill_random(space, rng, &taken, it->want - *got,
                              out + *got * d, &added);
    if (st == L4P_ECONSTR) { /* nothing valid left at all */
      l4p_clear_error();
      st = L4P_OK;
      added = 0;
    }
  }
  *got += added;
  it->from_uniform += added;
  l4p_rng_free(rng);
  l4px_cfgset_release(&taken);
  return st;
}

/* Generation rounds (the first, then top-up rounds while the batch is
 * short and a round brings something new), then uniform draws. */
l4p_status l4p__lp_generate(struct l4p__iter *it, const char *strategy,
                            size_t per_gen, enum l4p__select method,
                            double *out, size_t *got)
{
  struct l4p__pool seen;
  l4p__pool_init(&seen, l4p_space_n_options(it->lp->space));
  l4p_status st = L4P_OK;
  *got = 0;
  for (int r = 0; !st && r <= L4P__TOPUP_ROUNDS && *got < it->want; r++) {
    size_t ask = r == 0 ? per_gen : it->want - *got;
    size_t before = *got;
    st = round_of(it, r, strategy, ask, method, out, got, &seen);
    if (!st && r > 0 && *got == before)
      break; /* the generators have nothing new: do not insist */
  }
  l4p__pool_release(&seen);
  if (!st && *got < it->want)
    st = fill_uniform(it, out, got);
  return st;
}

/* ------------------------------------------------- the two steps */

/* Method of the voting parameter. */
static enum l4p__select method_of(const struct l4p__lp *lp)
{
  switch (lp->par.voting) {
  case L4P_VOTING_AGREEMENT:
    return L4P__SELECT_AGREEMENT;
  case L4P_VOTING_NONE:
    return L4P__SELECT_ORDER;
  default:
    return L4P__SELECT_AGREEMENT_DISTANCE;
  }
}

/* The initial batch: the explore-everything strategy, spread. */
l4p_status l4p__lp_initial(struct l4p__iter *it, double *out, size_t *got)
{
  l4p_status st = l4p__artlog_add_text(&it->lp->log, it->iteration, "strategy",
                                       -1, initial_strategy);
  json_object_set_new(it->diag, "strategy_from", json_string("initial"));
  enum l4p__select method = it->lp->par.voting == L4P_VOTING_NONE
                                ? L4P__SELECT_ORDER
                                : L4P__SELECT_SPREAD;
  return st ? st
            : l4p__lp_generate(it, initial_strategy, it->want, method, out,
                               got);
}

/* Run one role (analyze or design) on input; a stored answer of this
 * iteration is reused (a resumed iteration asks nothing twice).
 * *output NULL with L4P_OK: the role failed and a fallback was noted. */
static l4p_status role(struct l4p__iter *it, enum l4p_role r, const char *kind,
                       const char *input, char **output)
{
  *output = NULL;
  const struct l4p__lp *lp = it->lp;
  const struct l4p__art *art =
      lp->log.store ? l4p__artlog_find(&lp->log, it->iteration, kind, -1)
                    : NULL;
  if (art)
    return (*output = strdup(art->json))
               ? L4P_OK
               : l4p_failf(L4P_ENOMEM, "out of memory");
  struct l4p_agent_ctx ctx = {it->s->spec, lp->space,
                              l4p__mix_seed(it->seed, (uint64_t)r, 0),
                              it->s->campaign};
  double start = l4p__lp_now();
  l4p_status st = l4p_agent_run(lp->agent, r, &ctx, input, output);
  json_t *secs = json_object_get(it->diag, "seconds");
  json_object_set_new(secs, kind, json_real(l4p__lp_now() - start));
  if (l4p__lp_recoverable(st)) {
    fallback(it, l4p_role_name(r), l4p_last_error());
    l4p_clear_error();
    return L4P_OK;
  }
  return st;
}

/* Analyze the history and design a strategy from it; *strategy NULL when
 * either role failed (noted). */
static l4p_status analyze_and_design(struct l4p__iter *it, char **strategy)
{
  struct l4p_sampler *s = it->s;
  const struct l4p_space *space = it->lp->space;
  char *input = NULL, *analysis = NULL;
  *strategy = NULL;
  l4p_status st = l4p_agent_analyze_input(s->spec, space, it->h, &input);
  if (!st)
    st = role(it, L4P_ROLE_ANALYZE, "analysis", input, &analysis);
  free(input);
  input = NULL;
  if (!st && analysis)
    st = l4p__artlog_add_text(&it->lp->log, it->iteration, "analysis", -1,
                              analysis);
  if (!st && analysis)
    st = l4p_agent_design_input(s->spec, space, analysis, it->h->n, s->budget,
                                &input);
  if (!st && analysis)
    st = role(it, L4P_ROLE_DESIGN, "strategy", input, strategy);
  free(input);
  free(analysis);
  return st;
}

/* One feedback iteration; the strategy comes from design, from the
 * first analysis (no feedback), or from a fallback. */
l4p_status l4p__lp_iteration(struct l4p__iter *it, double *out, size_t *got)
{
  struct l4p__lp *lp = it->lp;
  char *strategy = NULL;
  const char *from = "design";
  l4p_status st = L4P_OK;
  const struct l4p__art *kept =
      lp->par.feedback ? NULL : l4p__artlog_first(&lp->log, "strategy", 1);
  if (kept && kept->iteration < it->iteration) {
    /* no feedback: the strategy of the first analysis, unchanged */
    from = "kept";
    if (!(strategy = strdup(kept->json)))
      return l4p_failf(L4P_ENOMEM, "out of memory");
  } else if (it->h->values) {
    st = analyze_and_design(it, &strategy);
  } else {
    fallback(it, "analyze", "the history holds no objective values");
  }
  if (!st && !strategy) { /* the last strategy used, else explore all */
    long last = l4p__artlog_last(&lp->log, "strategy");
    const struct l4p__art *prev =
        last >= 0 && last < it->iteration
            ? l4p__artlog_find(&lp->log, last, "strategy", -1)
            : NULL;
    from = prev ? "previous" : "initial";
    strategy = strdup(prev ? prev->json : initial_strategy);
    if (!strategy)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
  }
  if (!st)
    st =
        l4p__artlog_add_text(&lp->log, it->iteration, "strategy", -1, strategy);
  json_object_set_new(it->diag, "strategy_from", json_string(from));
  size_t per_gen =
      lp->par.candidates > it->want ? lp->par.candidates : it->want;
  if (!st)
    st = l4p__lp_generate(it, strategy, per_gen, method_of(lp), out, got);
  free(strategy);
  return st;
}
