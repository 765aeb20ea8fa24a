/* The llm4perf diagnostics of a stored campaign
 * (include/llm4perf/llm4perf_diag.h): its spec, the options its
 * parameters name as externally pruned ("prune": {...}, a decisions file
 * given to 'llm4perf sample --prune' or a study's pruned treatment), its
 * artefacts and its LLM usage, all read from the store, so 'llm4perf
 * show', a study's diagnostics.csv and the report judge a campaign from
 * its database alone.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include <jansson.h>

#include "llm4perf/llm4perf_diag.h"
#include "llm4perf/spec.h"
#include "util/failf.h"
#include "util/banned.h"

/* A copy of spec's space with the options params prune externally held
 * at their values. A value that does not read back (a spec changed
 * since) leaves its option free: it is then judged by the batches. */
static l4p_status campaign_space(const struct l4p_spec *spec,
                                 const char *params, struct l4p_space **out)
{
  if (!(*out = l4p_space_clone(spec->space)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  json_t *doc = json_loads(params ? params : "{}", 0, NULL);
  const char *name;
  json_t *v;
  json_object_foreach (json_object_get(doc, "prune"), name, v) {
    int i = l4p_space_find(*out, name);
    double value;
    if (i >= 0 && json_is_string(v) &&
        l4p_value_parse(*out, (size_t)i, json_string_value(v), &value) ==
            L4P_OK)
      l4p_space_fix(*out, (size_t)i, value);
  }
  l4p_clear_error();
  json_decref(doc);
  return L4P_OK;
}

/* See llm4perf_diag.h. */
l4p_status l4p_llm4perf_diag_load(struct l4p_store *store, int64_t campaign,
                                  struct l4p_llm4perf_diag *d)
{
  l4p_llm4perf_diag_init(d);
  struct l4p_spec *spec = NULL;
  struct l4p_space *space = NULL;
  struct l4p_artifact *list = NULL;
  struct l4p_llm_usage *usage = NULL;
  size_t n = 0, n_usage = 0;
  char *params = NULL;
  l4p_status st = l4p_store_campaign_spec(store, campaign, &spec);
  if (!st)
    st = l4p_store_campaign_params(store, campaign, &params);
  if (!st)
    st = campaign_space(spec, params, &space);
  if (!st)
    st = l4p_store_artifacts(store, campaign, NULL, &list, &n);
  if (!st)
    st = l4p_store_llm_usage(store, campaign, &usage, &n_usage);
  if (!st)
    st = l4p_llm4perf_diag_compute(space, list, n, d);
  if (!st) {
    d->usage = usage;
    d->n_usage = n_usage;
    usage = NULL;
  }
  free(usage);
  l4p_store_artifacts_free(list, n);
  free(params);
  l4p_space_free(space);
  l4p_spec_free(spec);
  return st;
}
