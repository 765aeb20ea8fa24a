/* Reading a study file (docs/STUDY.md): the top-level settings here, the
 * sampler, pruning and model entries in load_entries.c, the systems in
 * load_systems.c. Every check names its place in the file as
 * "file:line:col", like spec and decisions files (util/jsonloc.h).
 * SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/jsoncheck.h"
#include "util/jsonloc.h"
#include "util/banned.h"

#define MAX_REPETITIONS 1000

/* See study-int.h. */
l4p_status l4p__study_fail_at(const struct l4p__study_reader *rd,
                              l4p_status code, bool key, const char *where,
                              const char *fmt, ...)
{
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return l4px_json_fail(code, rd->text, rd->path, where, key, msg);
}

/* See study-int.h. */
l4p_status l4p__study_check_keys(const struct l4p__study_reader *rd,
                                 json_t *obj, const char *where,
                                 const char *const *allowed)
{
  const char *key = l4px_json_unknown_key(obj, allowed);
  if (!key)
    return L4P_OK;
  char at[256];
  snprintf(at, sizeof at, "%s%s%s", where, *where ? "/" : "", key);
  return l4p__study_fail_at(rd, L4P_EPARSE, true, at, "unknown key '%s'", key);
}

/* See study-int.h. */
l4p_status l4p__study_positive(const struct l4p__study_reader *rd, json_t *v,
                               const char *where, size_t max, size_t *out)
{
  if (!json_is_integer(v) || json_integer_value(v) < 1 ||
      (json_int_t)max < json_integer_value(v))
    return l4p__study_fail_at(rd, L4P_EPARSE, false, where,
                              "expected an "
                              "integer from 1 to %zu",
                              max);
  *out = (size_t)json_integer_value(v);
  return L4P_OK;
}

/* See study-int.h: a zeroed study. */
static struct l4p_study *study_alloc(const char *path, char *text)
{
  struct l4p_study *st = calloc(1, sizeof *st);
  if (!st || !(st->path = strdup(path))) {
    free(st);
    return NULL;
  }
  st->text = text;
  st->repetitions = 10;
  st->seed = 1;
  return st;
}

/* "name", "repetitions", "seed". */
static l4p_status read_settings(struct l4p__study_reader *rd, json_t *root)
{
  struct l4p_study *st = rd->st;
  json_t *name = json_object_get(root, "name");
  json_t *reps = json_object_get(root, "repetitions");
  json_t *seed = json_object_get(root, "seed");
  if (name && (!json_is_string(name) || !*json_string_value(name)))
    return l4p__study_fail_at(rd, L4P_EPARSE, false, "name",
                              "'name' must "
                              "be a non-empty string");
  const char *base = strrchr(st->path, '/');
  st->name = strdup(name   ? json_string_value(name)
                    : base ? base + 1
                           : st->path);
  if (!st->name)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status s = L4P_OK;
  if (reps)
    s = l4p__study_positive(rd, reps, "repetitions", MAX_REPETITIONS,
                            &st->repetitions);
  if (!s && seed) {
    if (!json_is_integer(seed) || json_integer_value(seed) < 0)
      return l4p__study_fail_at(rd, L4P_EPARSE, false, "seed",
                                "'seed' "
                                "must be a non-negative integer");
    st->seed = (uint64_t)json_integer_value(seed);
  }
  return s;
}

/* "baseline": a sampler label, by default "random" when there is one,
 * else the first entry's. */
static l4p_status read_baseline(struct l4p__study_reader *rd, json_t *root)
{
  struct l4p_study *st = rd->st;
  json_t *b = json_object_get(root, "baseline");
  const char *want = b ? json_string_value(b) : "random";
  if (b && !want)
    return l4p__study_fail_at(rd, L4P_EPARSE, false, "baseline",
                              "'baseline' must be a sampler label");
  size_t k = 0;
  while (k < st->n_samplers && strcmp(st->samplers[k].label, want) != 0)
    k++;
  if (k == st->n_samplers && b)
    return l4p__study_fail_at(rd, L4P_EUSAGE, false, "baseline",
                              "baseline "
                              "'%s' is not a sampler label of the study",
                              want);
  st->baseline = strdup(st->samplers[k < st->n_samplers ? k : 0].label);
  return st->baseline ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
}

static l4p_status parse(struct l4p__study_reader *rd)
{
  static const char *const keys[] = {
      "name",   "systems",     "budgets", "samplers", "pruning",
      "models", "repetitions", "seed",    "baseline", NULL};
  json_error_t err;
  json_t *root = json_loads(rd->text, JSON_REJECT_DUPLICATES, &err);
  if (!root)
    return l4p_failf(L4P_EPARSE, "%s:%d:%d: %s", rd->path, err.line, err.column,
                     err.text);
  l4p_status s = L4P_OK;
  if (!json_is_object(root))
    s = l4p__study_fail_at(rd, L4P_EPARSE, false, "",
                           "a study file is a "
                           "JSON object");
  if (!s)
    s = l4p__study_check_keys(rd, root, "", keys);
  if (!s)
    s = read_settings(rd, root);
  if (!s)
    s = l4p__study_load_samplers(rd, root);
  if (!s)
    s = read_baseline(rd, root);
  if (!s)
    s = l4p__study_load_pruning(rd, root);
  if (!s)
    s = l4p__study_load_models(rd, root);
  if (!s)
    s = l4p__study_load_systems(rd, root);
  if (!s)
    s = l4p__study_check_params(rd);
  json_decref(root);
  return s;
}

/* See study.h. */
l4p_status l4p_study_load(const char *path, struct l4p_study **study)
{
  *study = NULL;
  char *text;
  size_t len;
  l4p_status s = l4px_read_file(path, &text, &len);
  if (s)
    return s;
  if (strlen(text) != len) {
    free(text);
    return l4p_failf(L4P_EPARSE, "%s: contains a NUL byte", path);
  }
  struct l4p_study *st = study_alloc(path, text);
  char *dir = l4px_dirname(path);
  if (!st || !dir) {
    free(dir);
    if (st)
      l4p_study_free(st);
    else
      free(text);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  struct l4p__study_reader rd = {text, path, dir, st};
  s = parse(&rd);
  free(dir);
  if (s) {
    l4p_study_free(st);
    return s;
  }
  *study = st;
  return L4P_OK;
}

static void free_system(struct l4p__study_system *sys)
{
  free(sys->spec_path);
  free(sys->spec_json);
  free(sys->obj);
  free(sys->budgets);
  free(sys->decisions_path);
  free(sys->decisions_used);
  free(sys->prune_json);
  free(sys->features);
  l4p_space_free(sys->pruned);
  l4p__study_front_release(&sys->front);
  l4p_table_free(sys->table);
  l4p_spec_free(sys->spec);
}

/* See study.h. */
void l4p_study_free(struct l4p_study *st)
{
  if (!st)
    return;
  for (size_t k = 0; k < st->n_systems; k++)
    free_system(&st->systems[k]);
  for (size_t k = 0; k < st->n_samplers; k++) {
    free(st->samplers[k].name);
    free(st->samplers[k].label);
    free(st->samplers[k].params);
  }
  for (size_t k = 0; k < st->n_models; k++) {
    free(st->models[k].name);
    free(st->models[k].label);
    free(st->models[k].key);
  }
  free(st->systems);
  free(st->samplers);
  free(st->models);
  free(st->path);
  free(st->name);
  free(st->text);
  free(st->prune_agent);
  free(st->baseline);
  free(st);
}

/* See study.h. */
l4p_status l4p_study_keep_models(struct l4p_study *st,
                                 const char *const *labels, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    size_t k = 0;
    while (k < st->n_models && strcmp(st->models[k].label, labels[i]) != 0)
      k++;
    if (k == st->n_models)
      return l4p_failf(L4P_EUSAGE, "study '%s' has no model '%s'", st->path,
                       labels[i]);
  }
  size_t kept = 0;
  for (size_t k = 0; k < st->n_models; k++) {
    bool keep = false;
    for (size_t i = 0; i < n && !keep; i++)
      keep = strcmp(st->models[k].label, labels[i]) == 0;
    if (keep) {
      st->models[kept++] = st->models[k];
    } else {
      free(st->models[k].name);
      free(st->models[k].label);
      free(st->models[k].key);
    }
  }
  st->n_models = kept;
  return L4P_OK;
}

/* See study.h. */
void l4p_study_size(const struct l4p_study *st, struct l4p_study_size *size)
{
  size_t treatments = 0, dp = 0;
  for (size_t k = 0; k < st->n_samplers; k++)
    treatments += st->samplers[k].prune ? 2 : 1;
  for (size_t k = 0; k < st->n_models; k++)
    dp += strcmp(st->models[k].name, "deepperf") == 0;
  *size = (struct l4p_study_size){st->n_systems, treatments, 0, 0, 0};
  for (size_t k = 0; k < st->n_systems; k++) {
    const struct l4p__study_system *sys = &st->systems[k];
    size_t samples = sys->n_budgets * treatments * st->repetitions;
    size->samples += samples;
    size->cells += samples * sys->n_obj * st->n_models;
    size->hyper += sys->n_obj * sys->n_budgets * dp;
  }
}
