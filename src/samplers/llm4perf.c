/* llm4perf: the LLM4Perf sampler (METHOD.md, "The LLM4Perf sampler";
 * docs/LLM4PERF.md), built from agent roles that the builtin agent or an
 * LLM plays. On create, the filter role prunes options that cannot
 * matter (its decisions stored and reused on resume); the first propose
 * call returns a diverse initial batch; each later call is one feedback
 * iteration: analyze the measured history, design a strategy, run
 * N_generators generators concurrently, validate and vote. Every
 * intermediate document is an artefact in the run's store.
 *
 * Determinism and resume: every request depends only on the seed and the
 * history (seeds are mixed from both), so a campaign resumed after a kill
 * repeats its requests (the llm agent's exchange cache answers them) and
 * a batch already chosen for this very history is returned as stored.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "design-int.h"
#include "llm4perf-int.h"
#include "llm4perf/prune.h"
#include "llm4perf/store.h"
#include "util/failf.h"
#include "util/banned.h"

/* ---------------------------------------------------------- pruning */

/* Hold the options p prunes fixed in a copy of the sampler's space
 * (which may already be pruned: its fixings stay). NULL in *out when
 * that leaves nothing valid: the campaign then runs unpruned. */
static l4p_status apply_pruning(struct l4p_sampler *s,
                                const struct l4p_prune *p,
                                struct l4p_space **out)
{
  *out = NULL;
  struct l4p_space *space = l4p_space_clone(s->space);
  if (!space)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  size_t fixed = 0;
  for (size_t k = 0; k < p->n_decisions; k++) {
    const struct l4p_prune_decision *dec = &p->decisions[k];
    int i = l4p_space_find(space, dec->option);
    if (dec->keep || i < 0 || l4p_space_option(space, (size_t)i)->fixed)
      continue;
    if (l4p_space_fix(space, (size_t)i, dec->value) == L4P_OK)
      fixed++;
  }
  size_t constraint;
  struct l4p_rng *rng = l4p_rng_new(s->seed);
  double *cfg = malloc((l4p_space_n_options(space) + 1) * sizeof *cfg);
  bool ok = rng && cfg &&
            l4p_space_check_satisfiable(space, &constraint) == L4P_OK &&
            l4p_space_sample_uniform(space, rng, cfg) == L4P_OK;
  l4p_rng_free(rng);
  free(cfg);
  l4p_clear_error();
  if (ok && fixed)
    *out = space;
  else
    l4p_space_free(space);
  return L4P_OK;
}

/* Run the filter role; *doc gets the decisions artefact (the decisions
 * file and what was wrong with the answer, or the error). */
static l4p_status run_filter(struct l4p_sampler *s, struct l4p__lp *lp,
                             json_t **doc)
{
  char *input = NULL, *output = NULL;
  struct l4p_agent_ctx ctx = {s->spec, s->space, l4p__mix_seed(s->seed, 0, 0),
                              s->campaign};
  struct l4p_prune p;
  l4p_prune_init(&p);
  struct l4p_agent_decision_stats stats = {0};
  const char *agent = l4p_agent_player(lp->agent, L4P_ROLE_FILTER);
  char *text = NULL;
  l4p_status st = l4p_agent_filter_input(s->spec, NULL, 0, &input);
  if (!st)
    st = l4p_agent_run(lp->agent, L4P_ROLE_FILTER, &ctx, input, &output);
  if (!st)
    st = l4p_agent_read_decisions(s->spec, output, agent, NULL, 0, &p, &stats);
  if (!st)
    st = l4p_prune_to_json(&p, s->spec, &text);
  if (l4p__lp_recoverable(st)) { /* no pruning, and why */
    *doc = json_pack("{s:s, s:s}", "agent", agent, "error", l4p_last_error());
    l4p_clear_error();
    st = L4P_OK;
  } else if (!st) {
    *doc = json_pack("{s:s, s:o, s:{s:I, s:I, s:I, s:I}}", "agent", agent,
                     "prune", json_loads(text, 0, NULL), "answer", "unknown",
                     (json_int_t)stats.unknown, "repeated",
                     (json_int_t)stats.repeated, "missing",
                     (json_int_t)stats.missing, "restored",
                     (json_int_t)stats.restored);
    if (!*doc)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
  }
  free(text);
  free(input);
  free(output);
  l4p_prune_release(&p);
  return st;
}

/* The filter role's decisions (stored ones on resume) applied to the
 * sampler's own copy of its space. */
static l4p_status prune(struct l4p_sampler *s, struct l4p__lp *lp)
{
  if (lp->par.prune != L4P_PRUNE_FILTER)
    return L4P_OK;
  const struct l4p__art *art = l4p__artlog_find(&lp->log, 0, "decisions", -1);
  json_t *doc = art ? json_loads(art->json, 0, NULL) : NULL;
  l4p_status st = L4P_OK;
  if (!doc) {
    if ((st = run_filter(s, lp, &doc)))
      return st;
    st = l4p__artlog_add(&lp->log, 0, "decisions", -1, doc);
  }
  json_t *decisions = json_object_get(doc, "prune");
  char *text = decisions ? json_dumps(decisions, JSON_COMPACT) : NULL;
  struct l4p_prune p;
  l4p_prune_init(&p);
  if (!st && text &&
      !(st = l4p_prune_parse(text, "llm4perf decisions", s->spec, &p)))
    st = apply_pruning(s, &p, &lp->pruned);
  else if (l4p__lp_recoverable(st)) { /* a stored document gone bad */
    char msg[400];
    snprintf(msg, sizeof msg, "llm4perf: pruning decisions not applied: %s",
             l4p_last_error());
    st = s->store && s->campaign > 0
             ? l4p_store_event(s->store, s->campaign, "warning", msg)
             : L4P_OK;
  }
  l4p_prune_release(&p);
  free(text);
  json_decref(doc);
  return st;
}

/* ------------------------------------------------------- lifecycle */

static void lp_destroy(struct l4p_sampler *s)
{
  struct l4p__lp *lp = s->data;
  if (!lp)
    return;
  l4p__artlog_release(&lp->log);
  l4p_space_free(lp->pruned);
  l4p_agent_free(lp->own_agent);
  l4p_llm4perf_params_release(&lp->par);
  free(lp);
  s->data = NULL;
}

static l4p_status lp_create(struct l4p_sampler *s)
{
  struct l4p__lp *lp = calloc(1, sizeof *lp);
  if (!lp)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  s->data = lp;
  l4p_status st = l4p_llm4perf_params_parse(s->params, &lp->par);
  if (!st)
    st = l4p__lp_make_agent(s, lp);
  if (!st)
    st = l4p__artlog_init(&lp->log, s->store, s->campaign);
  if (!st)
    st = prune(s, lp);
  lp->space = lp->pruned ? lp->pruned : s->space;
  if (st)
    lp_destroy(s);
  return st;
}

/* ------------------------------------------------------ one call */

/* Fault injection for the resume tests, as in campaign.c:
 * L4P_FAULT_KILL="votes:N" SIGKILLs the process right after the N-th
 * votes artefact is stored: mid-iteration, every role answered, the
 * batch not yet stored. */
static void fault_point(const char *point)
{
  static int seen;
  const char *spec = getenv("L4P_FAULT_KILL");
  size_t len = strlen(point);
  if (spec && strncmp(spec, point, len) == 0 && spec[len] == ':' &&
      ++seen == (int)strtol(spec + len + 1, NULL, 10))
    raise(SIGKILL);
}

/* FNV-1a over the history's counts and configurations, as 16 hex
 * digits: a batch is reused only for exactly the history it was chosen
 * for. */
static void digest(const struct l4p_history *h, size_t d, char out[17])
{
  uint64_t x = 0xcbf29ce484222325ull;
  size_t counts[2] = {h ? h->n : 0, h ? h->n_failed : 0};
  const unsigned char *parts[3] = {(const unsigned char *)counts,
                                   h ? (const void *)h->configs : NULL,
                                   h ? (const void *)h->failed : NULL};
  size_t lens[3] = {sizeof counts, counts[0] * d * sizeof(double),
                    counts[1] * d * sizeof(double)};
  for (int p = 0; p < 3; p++)
    for (size_t k = 0; parts[p] && k < lens[p]; k++)
      x = (x ^ parts[p][k]) * 0x100000001b3ull;
  snprintf(out, 17, "%016" PRIx64, x);
}

/* A batch stored for this very history and size (a call redone after a
 * kill): *found and out filled. Anything not valid or new is ignored. */
static l4p_status stored_batch(struct l4p__iter *it, double *out, size_t *n_out,
                               bool *found)
{
  *found = false;
  const struct l4p__artlog *log = &it->lp->log;
  size_t d = l4p_space_n_options(it->s->space);
  for (size_t a = 0; a < log->n && !*found; a++) {
    if (strcmp(log->a[a].kind, "batch") != 0)
      continue;
    json_t *doc = json_loads(log->a[a].json, 0, NULL);
    json_t *keys = json_object_get(doc, "keys");
    const char *dg = json_string_value(
        json_object_get(json_object_get(doc, "history"), "digest"));
    size_t want = (size_t)json_integer_value(json_object_get(doc, "want"));
    if (dg && strcmp(dg, it->digest) == 0 && want == it->want &&
        json_array_size(keys) <= it->want) {
      size_t k = 0;
      for (; k < json_array_size(keys); k++) {
        double *cfg = out + k * d;
        const char *key = json_string_value(json_array_get(keys, k));
        if (!key || l4p_space_config_from_key(it->s->space, key, cfg) ||
            l4p_space_validate(it->lp->space, cfg))
          break;
      }
      l4p_clear_error();
      if (k == json_array_size(keys)) {
        *found = true;
        *n_out = k;
        it->iteration = log->a[a].iteration;
      }
    }
    json_decref(doc);
  }
  return L4P_OK;
}

/* Store the call's documents; the batch last (it marks the iteration
 * done). */
static l4p_status store_all(struct l4p__iter *it, const double *out, size_t got)
{
  struct l4p__lp *lp = it->lp;
  const struct l4p_history *h = it->h;
  size_t d = l4p_space_n_options(it->s->space);
  l4p_status st = L4P_OK;
  for (size_t g = 0; !st && g < it->n_gen; g++) {
    json_t *doc = json_pack("{s:I, s:O}", "generator", (json_int_t)g, "rounds",
                            it->proposals[g]);
    st = l4p__artlog_add(&lp->log, it->iteration, "proposals", (int)g, doc);
    json_decref(doc);
  }
  json_t *votes = json_pack("{s:O}", "rounds", it->votes);
  if (!st)
    st = l4p__artlog_add(&lp->log, it->iteration, "votes", -1, votes);
  json_decref(votes);
  if (!st)
    fault_point("votes");
  if (!st)
    st = l4p__artlog_add(&lp->log, it->iteration, "diagnostics", -1, it->diag);
  json_t *keys = json_array(), *configs = json_array();
  for (size_t k = 0; !st && k < got; k++) {
    char *key = l4p_space_config_key(it->s->space, out + k * d);
    if (!key)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
    json_array_append_new(keys, json_string(key ? key : ""));
    json_array_append_new(configs, l4p__lp_config_json(lp->space, out + k * d));
    free(key);
  }
  json_t *batch = json_pack(
      "{s:{s:I, s:I, s:s}, s:I, s:o, s:o, s:{s:I, s:I, s:I}}", "history",
      "measured", (json_int_t)(h ? h->n : 0), "excluded",
      (json_int_t)(h ? h->n_failed : 0), "digest", it->digest, "want",
      (json_int_t)it->want, "keys", keys, "configs", configs, "from", "vote",
      (json_int_t)it->from_vote, "topup", (json_int_t)it->from_topup, "uniform",
      (json_int_t)it->from_uniform);
  if (!st)
    st = batch ? l4p__artlog_add(&lp->log, it->iteration, "batch", -1, batch)
               : l4p_failf(L4P_ENOMEM, "out of memory");
  json_decref(batch);
  return st;
}

/* The one-line note of the call (the campaign's event log). */
static void note(struct l4p__iter *it, size_t got, bool reused)
{
  struct l4p__lp *lp = it->lp;
  if (reused) {
    snprintf(lp->note, sizeof lp->note,
             "llm4perf iteration %ld: batch of "
             "%zu stored before, reused",
             it->iteration, got);
    return;
  }
  size_t fallbacks = json_array_size(json_object_get(it->diag, "fallbacks"));
  snprintf(lp->note, sizeof lp->note,
           "llm4perf iteration %ld: %zu proposals from %zu generators "
           "(%zu invalid, %zu repaired, %zu duplicates); batch %zu (%zu "
           "from the proposals, %zu from top-up rounds, %zu uniform)%s",
           it->iteration, it->n_proposed, it->n_gen, it->n_invalid,
           it->n_repaired, it->n_dup, got, it->from_vote, it->from_topup,
           it->from_uniform, fallbacks ? "; fallbacks in the diagnostics" : "");
}

static void iter_release(struct l4p__iter *it)
{
  for (size_t g = 0; it->proposals && g < it->n_gen; g++)
    json_decref(it->proposals[g]);
  free(it->proposals);
  json_decref(it->votes);
  json_decref(it->diag);
}

static l4p_status lp_propose(struct l4p_sampler *s, const struct l4p_history *h,
                             size_t n, double *out, size_t *n_out)
{
  struct l4p__lp *lp = s->data;
  *n_out = 0;
  lp->note[0] = '\0';
  if (n == 0)
    return L4P_OK;
  size_t tried = h ? h->n + h->n_failed : 0;
  struct l4p__iter it = {.s = s, .lp = lp, .h = h, .want = n};
  it.seed = l4p__mix_seed(s->seed, h ? h->n : 0, h ? h->n_failed : 0);
  digest(h, l4p_space_n_options(s->space), it.digest);
  bool found;
  l4p_status st = stored_batch(&it, out, n_out, &found);
  if (st || found) {
    if (found)
      note(&it, *n_out, true);
    return st;
  }
  long last = l4p__artlog_last(&lp->log, "batch");
  it.iteration = last >= 0 ? last + 1 : tried ? 1 : 0;
  it.n_gen = lp->par.voting == L4P_VOTING_NONE ? 1 : lp->par.generators;
  it.proposals = calloc(it.n_gen, sizeof *it.proposals);
  it.votes = json_array();
  it.diag = json_pack("{s:s, s:I, s:{s:I, s:I, s:s}, s:[], s:{}}", "seed", "",
                      "generators", (json_int_t)it.n_gen, "history", "measured",
                      (json_int_t)(h ? h->n : 0), "excluded",
                      (json_int_t)(h ? h->n_failed : 0), "digest", it.digest,
                      "rounds", "seconds");
  for (size_t g = 0; it.proposals && g < it.n_gen; g++)
    it.proposals[g] = json_array();
  if (it.diag) /* who played this iteration's roles */
    json_object_set_new(it.diag, "agents", l4p__lp_agents_json(lp));
  if (!it.proposals || !it.votes || !it.diag) {
    iter_release(&it);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  char seed_hex[17];
  snprintf(seed_hex, sizeof seed_hex, "%016" PRIx64, it.seed);
  json_object_set_new(it.diag, "seed", json_string(seed_hex));
  size_t got = 0;
  st = tried == 0 ? l4p__lp_initial(&it, out, &got)
                  : l4p__lp_iteration(&it, out, &got);
  if (!st)
    st = store_all(&it, out, got);
  if (!st) {
    *n_out = got;
    note(&it, got, false);
  }
  iter_release(&it);
  return st;
}

static size_t lp_batch_size(struct l4p_sampler *s, const struct l4p_history *h)
{
  const struct l4p__lp *lp = s->data;
  bool fresh = !h || h->n + h->n_failed == 0;
  return fresh ? l4p_llm4perf_initial(&lp->par, s->budget) : lp->par.candidates;
}

static const char *lp_notes(struct l4p_sampler *s)
{
  const struct l4p__lp *lp = s->data;
  return lp->note[0] ? lp->note : NULL;
}

const struct l4p_sampler_ops l4p_sampler_llm4perf = {
    .name = "llm4perf",
    .summary = "LLM4Perf: prune, then analyze, design, generate and vote "
               "per batch (builtin or llm agent, or one per role)",
    .numeric_help = "generators draw each option's level (up to 16 slices "
                    "of a numeric range) from the strategy's weights, "
                    "then a value inside it; near values (less than half "
                    "an option apart) count as agreement when voting",
    .sequential = true,
    .create = lp_create,
    .propose = lp_propose,
    .destroy = lp_destroy,
    .notes = lp_notes,
    .batch_size = lp_batch_size,
};
