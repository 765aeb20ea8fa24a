/* The llm4perf diagnostics as one JSON document
 * (include/llm4perf/llm4perf_diag.h; fields in docs/LLM4PERF.md
 * "Diagnostics"), for 'llm4perf show --json' and any program reading a
 * campaign's diagnostics. Undefined numbers (NAN) are null, keys sorted,
 * so the same diagnostics give the same bytes.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>

#include <jansson.h>

#include "llm4perf/llm4perf_diag.h"
#include "util/failf.h"
#include "util/banned.h"

/* A number, or null when it is not defined. */
static json_t *number(double v)
{
  return isfinite(v) ? json_real(v) : json_null();
}

static json_t *iteration_json(const struct l4p_llm4perf_diag_iter *it)
{
  return json_pack(
      "{s:I, s:I, s:I, s:I, s:I, s:{s:I, s:I, s:I}, s:I, s:I, s:o, s:o, "
      "s:I, s:o, s:o, s:b}",
      "iteration", (json_int_t)it->iteration, "generators",
      (json_int_t)it->generators, "proposals", (json_int_t)it->proposals,
      "invalid", (json_int_t)it->invalid, "repaired", (json_int_t)it->repaired,
      "duplicates", "tried", (json_int_t)it->dup_tried, "repeated",
      (json_int_t)it->dup_repeated, "total", (json_int_t)it->duplicates,
      "candidates", (json_int_t)it->candidates, "agreed",
      (json_int_t)it->agreed, "agreed_share", number(it->agreed_share),
      "agreement", number(it->agreement), "batch", (json_int_t)it->batch,
      "diversity", number(it->diversity), "novelty", number(it->novelty),
      "stagnant", it->stagnant);
}

static json_t *option_json(const struct l4p_llm4perf_diag_option *o)
{
  return json_pack("{s:s, s:s, s:b, s:I, s:I, s:o}", "option", o->name, "state",
                   l4p_llm4perf_diag_state_name(o->state), "binned", o->binned,
                   "levels", (json_int_t)o->levels, "seen", (json_int_t)o->seen,
                   "coverage", number(o->coverage));
}

static json_t *usage_json(const struct l4p_llm_usage *u)
{
  return json_pack(
      "{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:o}", "role", u->role, "calls",
      (json_int_t)u->calls, "attempts", (json_int_t)u->attempts, "retries",
      (json_int_t)u->retries, "failed", (json_int_t)u->failed, "prompt_tokens",
      (json_int_t)u->prompt_tokens, "completion_tokens",
      (json_int_t)u->completion_tokens, "latency_s", number(u->latency_s));
}

/* Everything but the lists. */
static json_t *frame(const struct l4p_llm4perf_diag *d)
{
  json_t *stagnant = json_array();
  for (size_t k = 0; stagnant && k < d->n_iterations; k++)
    if (d->iterations[k].stagnant)
      json_array_append_new(stagnant, json_integer(d->iterations[k].iteration));
  return json_pack(
      "{s:I, s:[], s:{s:I, s:I, s:I, s:I}, s:{s:o, s:o, s:o, s:o}, "
      "s:{s:f, s:I, s:o, s:o, s:o, s:b, s:o}, s:{s:o, s:I, s:[]}, s:[]}",
      "free_options", (json_int_t)d->n_free, "iterations", "totals",
      "proposals", (json_int_t)d->proposals, "invalid", (json_int_t)d->invalid,
      "repaired", (json_int_t)d->repaired, "duplicates",
      (json_int_t)d->duplicates, "means", "agreement",
      number(d->mean_agreement), "agreed_share", number(d->mean_agreed_share),
      "diversity", number(d->mean_diversity), "novelty",
      number(d->mean_novelty), "stagnation", "fraction",
      L4P_LLM4PERF_DIAG_STAGNATION_FRACTION, "run",
      (json_int_t)L4P_LLM4PERF_DIAG_STAGNATION_RUN, "reference",
      number(d->reference), "threshold", number(d->threshold), "stagnant",
      stagnant ? stagnant : json_null(), "warning", d->stagnation_warning,
      "message", d->warning ? json_string(d->warning) : json_null(), "coverage",
      "mean", number(d->mean_coverage), "bins",
      (json_int_t)L4P_LLM4PERF_DIAG_BINS, "options", "llm_usage");
}

/* See llm4perf_diag.h. */
l4p_status l4p_llm4perf_diag_json(const struct l4p_llm4perf_diag *d,
                                  char **json)
{
  *json = NULL;
  json_t *doc = frame(d);
  json_t *its = json_object_get(doc, "iterations");
  json_t *opts = json_object_get(json_object_get(doc, "coverage"), "options");
  json_t *use = json_object_get(doc, "llm_usage");
  bool ok = doc != NULL;
  for (size_t k = 0; ok && k < d->n_iterations; k++)
    ok = json_array_append_new(its, iteration_json(&d->iterations[k])) == 0;
  for (size_t k = 0; ok && k < d->n_options; k++)
    ok = json_array_append_new(opts, option_json(&d->options[k])) == 0;
  for (size_t k = 0; ok && k < d->n_usage; k++)
    ok = json_array_append_new(use, usage_json(&d->usage[k])) == 0;
  if (ok)
    *json = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(doc);
  return *json ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
}
