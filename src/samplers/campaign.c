/* The campaign loop: propose, store the plan, measure in batches, store
 * each batch, repeat until the budget is spent. Resuming is the same loop
 * starting from what the store holds: pending planned configurations are
 * measured first, then the sampler continues from the stored history.
 * The sampler gets the store and the campaign id too (the llm4perf
 * sampler keeps its artefacts there).
 * SPDX-License-Identifier: MIT */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/campaign.h"
#include "llm4perf/oracle.h"
#include "llm4perf/sampler.h"
#include "util/failf.h"
#include "util/banned.h"

/* Fault injection for the resume tests: L4P_FAULT_KILL="plan:N" or
 * "batch:N" makes the process SIGKILL itself right after the N-th stored
 * plan or measured batch, the worst moments for a crash. */
static void maybe_die(const char *point)
{
  static int seen_plan, seen_batch;
  const char *spec = getenv("L4P_FAULT_KILL");
  if (!spec)
    return;
  size_t len = strlen(point);
  if (strncmp(spec, point, len) != 0 || spec[len] != ':')
    return;
  int *seen = point[0] == 'p' ? &seen_plan : &seen_batch;
  if (++*seen == (int)strtol(spec + len + 1, NULL, 10))
    raise(SIGKILL);
}

struct run {
  const struct l4p_spec *spec;
  const struct l4p_space *space;
  struct l4p_store *store;
  const struct l4p_campaign_opts *opts;
  int64_t id;
  struct l4p_oracle *oracle;
  struct l4p_sampler *sampler;
};

/* Measure cfgs (n of them) in batches, storing each batch atomically. */
static l4p_status measure_and_store(struct run *r, const double *cfgs, size_t n,
                                    size_t *measured)
{
  size_t d = l4p_space_n_options(r->spec->space);
  size_t m = r->spec->n_objectives, batch = r->opts->batch;
  struct l4p_measurement *ms = calloc(batch, sizeof *ms);
  double *out = malloc(batch * (d + m) * sizeof *out);
  if (!ms || !out) {
    free(ms);
    free(out);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  l4p_status st = L4P_OK;
  for (size_t start = 0; start < n && !st; start += batch) {
    size_t len = n - start < batch ? n - start : batch;
    for (size_t k = 0; k < len; k++) {
      ms[k].requested = cfgs + (start + k) * d;
      ms[k].config = out + k * (d + m);
      ms[k].values = out + k * (d + m) + d;
    }
    if ((st = l4p_oracle_measure(r->oracle, ms, len)) ||
        (st = l4p_store_record(r->store, r->id, r->spec, ms, len)))
      break;
    maybe_die("batch");
    for (size_t k = 0; k < len; k++)
      *measured += ms[k].status == L4P_OK;
    if (r->opts->progress)
      r->opts->progress(*measured, r->opts->budget, r->opts->progress_arg);
  }
  free(ms);
  free(out);
  return st;
}

static l4p_status load_history(struct run *r, struct l4p_sample *sample)
{
  l4p_status st = l4p_store_sample(r->store, r->id, r->spec, sample);
  if (st)
    return st;
  size_t d = l4p_space_n_options(r->spec->space);
  for (size_t k = 0; k < sample->n; k++)
    l4p_oracle_mark_measured(r->oracle, sample->configs + k * d);
  for (size_t k = 0; k < sample->n_failed; k++)
    l4p_oracle_mark_measured(r->oracle, sample->failed + k * d);
  return L4P_OK;
}

/* Measure what was planned before an interruption. */
static l4p_status finish_pending(struct run *r, size_t *measured)
{
  double *pending;
  size_t n;
  l4p_status st =
      l4p_store_pending(r->store, r->id, r->spec->space, &pending, &n);
  if (st)
    return st;
  if (n)
    st = measure_and_store(r, pending, n, measured);
  free(pending);
  return st;
}

/* Ask the sampler for the next proposals and store them as planned. */
static l4p_status plan_next(struct run *r, const struct l4p_sample *sample,
                            size_t want, size_t *planned)
{
  size_t d = l4p_space_n_options(r->spec->space);
  /* failed and mapped-away requests are both "never again" */
  size_t n_excluded = sample->n_failed + sample->n_mapped;
  double *excluded = malloc(n_excluded * d * sizeof *excluded + 1);
  if (!excluded)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  if (sample->n_failed)
    memcpy(excluded, sample->failed, sample->n_failed * d * sizeof(double));
  if (sample->n_mapped)
    memcpy(excluded + sample->n_failed * d, sample->mapped,
           sample->n_mapped * d * sizeof(double));
  struct l4p_history h = {sample->n, sample->configs, sample->values,
                          n_excluded, excluded};
  const struct l4p_sampler_ops *ops = r->sampler->ops;
  if (ops->sequential && ops->batch_size) {
    size_t b = ops->batch_size(r->sampler, &h);
    if (!b)
      b = r->opts->batch;
    if (want > b)
      want = b;
  }
  double *cfgs = malloc(want * d * sizeof *cfgs + 1);
  if (!cfgs) {
    free(excluded);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  size_t got = 0;
  l4p_status st = l4p_sampler_propose(r->sampler, &h, want, cfgs, &got);
  if (!st)
    st = l4p_store_plan(r->store, r->id, r->spec->space, cfgs, got, planned);
  const char *note =
      r->sampler->ops->notes ? r->sampler->ops->notes(r->sampler) : NULL;
  if (!st && note)
    st = l4p_store_event(r->store, r->id, "sampler", note);
  free(cfgs);
  free(excluded);
  if (!st)
    maybe_die("plan");
  return st;
}

static l4p_status loop(struct run *r)
{
  size_t measured = 0, stalls = 0;
  for (;;) {
    struct l4p_sample sample;
    l4p_status st = finish_pending(r, &measured);
    if (st || (st = load_history(r, &sample)))
      return st;
    size_t have = sample.n, failed = sample.n_failed;
    if (have >= r->opts->budget) {
      l4p_sample_release(&sample);
      return l4p_store_campaign_finish(r->store, r->id);
    }
    if (failed > r->opts->budget + 10) {
      l4p_sample_release(&sample);
      return l4p_failf(L4P_EORACLE,
                       "%zu measurements failed; stopping "
                       "(see the events in the store)",
                       failed);
    }
    size_t want = r->opts->budget - have, planned = 0;
    if (r->sampler->ops->sequential && !r->sampler->ops->batch_size &&
        want > r->opts->batch)
      want = r->opts->batch;
    st = plan_next(r, &sample, want, &planned);
    l4p_sample_release(&sample);
    if (st)
      return st;
    if (planned == 0 && ++stalls >= 3) {
      char msg[160];
      snprintf(msg, sizeof msg,
               "the sampler found no new configuration; "
               "stopping at %zu of %zu",
               have, r->opts->budget);
      st = l4p_store_event(r->store, r->id, "exhausted", msg);
      return st ? st : l4p_store_campaign_finish(r->store, r->id);
    }
  }
}

l4p_status l4p_campaign_run(const struct l4p_spec *spec,
                            struct l4p_store *store,
                            const struct l4p_campaign_opts *opts,
                            int64_t *campaign)
{
  const struct l4p_sampler_ops *ops = l4p_sampler_find(opts->sampler);
  if (!ops)
    return l4p_failf(L4P_EUSAGE,
                     "unknown sampler '%s' (see 'llm4perf "
                     "samplers')",
                     opts->sampler);
  if (opts->budget == 0 || opts->batch == 0)
    return l4p_failf(L4P_EUSAGE, "budget and batch size must be positive");
  char *spec_json;
  l4p_status st = l4p_spec_to_json(spec, &spec_json);
  if (st)
    return st;
  struct l4p_campaign_key key = {
      spec->name,    spec_json,
      opts->sampler, opts->params ? opts->params : "{}",
      opts->seed,    opts->budget};
  struct run r = {
      spec, opts->space ? opts->space : spec->space, store, opts, 0, NULL,
      NULL};
  bool resumed;
  st = l4p_store_campaign(store, &key, &r.id, &resumed);
  free(spec_json);
  if (st)
    return st;
  *campaign = r.id;
  if (resumed &&
      (st = l4p_store_event(store, r.id, "resume", "campaign resumed")))
    return st;
  if ((st = l4p_oracle_open_with(spec, opts->oracle, &r.oracle)))
    return st;
  struct l4p_sampler_env env = {opts->params, store, r.id, opts->agent};
  if (!(st = l4p_sampler_new_env(ops, spec, r.space, opts->seed, opts->budget,
                                 &env, &r.sampler)))
    st = loop(&r);
  l4p_sampler_free(r.sampler);
  l4p_oracle_free(r.oracle);
  return st;
}
