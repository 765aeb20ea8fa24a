/* The llm4perf sampler's artefact log: every intermediate document of a
 * campaign (decisions, analyses, strategies, proposals, votes, batches,
 * diagnostics) kept in memory and, when the sampler has a store, in its
 * artifact table (schema v3). Adding is idempotent by (iteration, kind,
 * generator), so an iteration redone after a kill stores nothing twice;
 * the log is loaded on create, so a resumed campaign reuses what it had
 * decided (its pruning, its batches, a strategy kept without feedback).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf-int.h"
#include "llm4perf/store.h"
#include "space/value_json.h"
#include "util/failf.h"
#include "util/banned.h"

/* Append to memory only (json is copied). */
static l4p_status remember(struct l4p__artlog *log, long iteration,
                           const char *kind, int generator, const char *json)
{
  if (log->n == log->cap) {
    size_t cap = log->cap ? 2 * log->cap : 16;
    struct l4p__art *a = realloc(log->a, cap * sizeof *a);
    if (!a)
      return l4p_failf(L4P_ENOMEM, "out of memory");
    log->a = a;
    log->cap = cap;
  }
  struct l4p__art *a = &log->a[log->n];
  a->iteration = iteration;
  snprintf(a->kind, sizeof a->kind, "%s", kind);
  a->generator = generator;
  if (!(a->json = strdup(json)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  log->n++;
  return L4P_OK;
}

/* Start the log, loading the campaign's stored artefacts (llm4perf-int.h). */
l4p_status l4p__artlog_init(struct l4p__artlog *log, struct l4p_store *store,
                            int64_t campaign)
{
  memset(log, 0, sizeof *log);
  log->store = campaign > 0 ? store : NULL;
  log->campaign = campaign;
  if (!log->store)
    return L4P_OK;
  struct l4p_artifact *list;
  size_t n;
  l4p_status st = l4p_store_artifacts(store, campaign, NULL, &list, &n);
  for (size_t k = 0; !st && k < n; k++)
    st = remember(log, list[k].iteration, list[k].kind, list[k].generator,
                  list[k].json);
  l4p_store_artifacts_free(list, n);
  return st;
}

/* Free every document of the log and empty it. */
void l4p__artlog_release(struct l4p__artlog *log)
{
  for (size_t k = 0; k < log->n; k++)
    free(log->a[k].json);
  free(log->a);
  memset(log, 0, sizeof *log);
}

/* The artefact with this key, or NULL (a linear scan: logs are short). */
const struct l4p__art *l4p__artlog_find(const struct l4p__artlog *log,
                                        long iteration, const char *kind,
                                        int generator)
{
  for (size_t k = 0; k < log->n; k++) {
    const struct l4p__art *a = &log->a[k];
    if (a->iteration == iteration && a->generator == generator &&
        strcmp(a->kind, kind) == 0)
      return a;
  }
  return NULL;
}

/* The largest iteration holding kind, or -1. */
long l4p__artlog_last(const struct l4p__artlog *log, const char *kind)
{
  long last = -1;
  for (size_t k = 0; k < log->n; k++)
    if (strcmp(log->a[k].kind, kind) == 0 && log->a[k].iteration > last)
      last = log->a[k].iteration;
  return last;
}

/* The earliest artefact of kind from iteration from on, or NULL. */
const struct l4p__art *l4p__artlog_first(const struct l4p__artlog *log,
                                         const char *kind, long from)
{
  const struct l4p__art *best = NULL;
  for (size_t k = 0; k < log->n; k++) {
    const struct l4p__art *a = &log->a[k];
    if (strcmp(a->kind, kind) == 0 && a->iteration >= from &&
        (!best || a->iteration < best->iteration))
      best = a;
  }
  return best;
}

/* Add a document once (store first, then memory); a key already held
 * keeps its first document. ESTORE, ENOMEM. */
l4p_status l4p__artlog_add_text(struct l4p__artlog *log, long iteration,
                                const char *kind, int generator,
                                const char *json)
{
  if (l4p__artlog_find(log, iteration, kind, generator))
    return L4P_OK; /* stored once: the first document stays */
  l4p_status st = L4P_OK;
  if (log->store)
    st = l4p_store_artifact_add(log->store, log->campaign, iteration, kind,
                                generator, json, NULL);
  return st ? st : remember(log, iteration, kind, generator, json);
}

/* l4p__artlog_add_text with doc dumped compactly, keys sorted. */
l4p_status l4p__artlog_add(struct l4p__artlog *log, long iteration,
                           const char *kind, int generator, const json_t *doc)
{
  char *json = doc ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  if (!json)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = l4p__artlog_add_text(log, iteration, kind, generator, json);
  free(json);
  return st;
}

/* {"option": value} over the free options; NULL when out of memory. */
json_t *l4p__lp_config_json(const struct l4p_space *space, const double *cfg)
{
  json_t *obj = json_object();
  for (size_t i = 0; obj && i < l4p_space_n_options(space); i++) {
    const struct l4p_option *opt = l4p_space_option(space, i);
    if (opt->fixed)
      continue;
    if (json_object_set_new(obj, opt->name, l4p__value_json(opt, cfg[i]))) {
      json_decref(obj);
      return NULL;
    }
  }
  return obj;
}
