/* The sampler, pruning and model entries of a study file (docs/STUDY.md):
 * names checked against the registries, labels unique, parameters kept
 * as canonical JSON so that they can take part in campaign keys.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/sampler.h"
#include "study-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* Labels name columns and files: letters, digits, '.', '_' and '-'. */
static bool label_ok(const char *s)
{
  if (!*s)
    return false;
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
      return false;
  return true;
}

/* "unknown sampler 'x' (known: a, b, ...)" at where. */
static l4p_status unknown_sampler(const struct l4p__study_reader *rd,
                                  const char *where, const char *name)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  for (size_t k = 0; k < l4p_sampler_count(); k++)
    l4px_sb_printf(&sb, "%s%s", k ? ", " : "", l4p_sampler_at(k)->name);
  l4p_status s =
      l4p__study_fail_at(rd, L4P_EUSAGE, false, where,
                         "unknown sampler '%s' (known: %s)", name, sb.buf);
  l4px_sb_release(&sb);
  return s;
}

/* An entry's "name" (or the entry itself when a string) and "label",
 * after checking an object entry's keys against keys. */
static l4p_status entry_names(const struct l4p__study_reader *rd, json_t *e,
                              const char *where, const char *const *keys,
                              const char *what, const char **name,
                              const char **label)
{
  if (json_is_object(e)) {
    l4p_status s = l4p__study_check_keys(rd, e, where, keys);
    if (s)
      return s;
  }
  char at[96];
  json_t *n = json_is_string(e) ? e : json_object_get(e, "name");
  json_t *l = json_is_object(e) ? json_object_get(e, "label") : NULL;
  snprintf(at, sizeof at, "%s/name", where);
  if (!json_is_string(n))
    return l4p__study_fail_at(
        rd, L4P_EPARSE, false, json_is_object(e) && n ? at : where,
        "a %s is a name or an object with a \"name\"", what);
  snprintf(at, sizeof at, "%s/label", where);
  if (l && (!json_is_string(l) || !label_ok(json_string_value(l))))
    return l4p__study_fail_at(rd, L4P_EPARSE, false, at,
                              "a label is made "
                              "of letters, digits, '.', '_' and '-'");
  *name = json_string_value(n);
  *label = l ? json_string_value(l) : *name;
  return L4P_OK;
}

/* The label of an entry at where is already taken by an earlier one. */
static l4p_status label_twice(const struct l4p__study_reader *rd,
                              const char *where, const char *label)
{
  return l4p__study_fail_at(rd, L4P_EUSAGE, false, where,
                            "label '%s' "
                            "is used twice; give each entry its own "
                            "\"label\"",
                            label);
}

static l4p_status read_sampler(struct l4p__study_reader *rd, json_t *e,
                               size_t k)
{
  static const char *const keys[] = {"name", "label", "params", NULL};
  struct l4p_study *st = rd->st;
  char where[64], at[96];
  snprintf(where, sizeof where, "samplers/%zu", k);
  const char *name, *label;
  l4p_status s = entry_names(rd, e, where, keys, "sampler", &name, &label);
  if (s)
    return s;
  snprintf(at, sizeof at, "%s%s", where, json_is_object(e) ? "/name" : "");
  if (!l4p_sampler_find(name))
    return unknown_sampler(rd, at, name);
  for (size_t i = 0; i < k; i++)
    if (strcmp(st->samplers[i].label, label) == 0)
      return label_twice(rd, where, label);
  struct l4p__study_sampler *smp = &st->samplers[k];
  json_t *params = json_is_object(e) ? json_object_get(e, "params") : NULL;
  snprintf(at, sizeof at, "%s/params", where);
  if (params && !json_is_object(params))
    return l4p__study_fail_at(rd, L4P_EPARSE, false, at,
                              "'params' must be "
                              "an object");
  smp->name = strdup(name);
  smp->label = strdup(label);
  smp->params =
      params ? json_dumps(params, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  if (!smp->name || !smp->label || (params && !smp->params))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  return L4P_OK;
}

/* See study-int.h: "samplers", a non-empty array. */
l4p_status l4p__study_load_samplers(struct l4p__study_reader *rd, json_t *root)
{
  json_t *list = json_object_get(root, "samplers");
  if (!json_is_array(list) || json_array_size(list) == 0)
    return l4p__study_fail_at(rd, L4P_EPARSE, false, list ? "samplers" : "",
                              "a study needs a non-empty \"samplers\" "
                              "array");
  struct l4p_study *st = rd->st;
  st->samplers = calloc(json_array_size(list), sizeof *st->samplers);
  if (!st->samplers)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < json_array_size(list); k++) {
    l4p_status s = read_sampler(rd, json_array_get(list, k), k);
    st->n_samplers = k + 1; /* freed with the study, even half read */
    if (s)
      return s;
  }
  return L4P_OK;
}

/* See study-int.h: "pruning": {"agent", "samplers"}. Without it nothing
 * is pruned. */
l4p_status l4p__study_load_pruning(struct l4p__study_reader *rd, json_t *root)
{
  static const char *const keys[] = {"agent", "samplers", NULL};
  struct l4p_study *st = rd->st;
  json_t *p = json_object_get(root, "pruning");
  if (!p)
    return L4P_OK;
  if (!json_is_object(p))
    return l4p__study_fail_at(rd, L4P_EPARSE, false, "pruning",
                              "'pruning' "
                              "must be an object");
  l4p_status s = l4p__study_check_keys(rd, p, "pruning", keys);
  if (s)
    return s;
  json_t *agent = json_object_get(p, "agent");
  json_t *which = json_object_get(p, "samplers");
  if (agent && (!json_is_string(agent) ||
                strcmp(json_string_value(agent), "builtin") != 0))
    return l4p__study_fail_at(rd, L4P_EUSAGE, false, "pruning/agent",
                              "a study derives decisions with the "
                              "\"builtin\" agent only; give other agents' "
                              "decisions as a system's \"decisions\" file");
  if (agent && !(st->prune_agent = strdup("builtin")))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  if (which && !json_is_array(which))
    return l4p__study_fail_at(rd, L4P_EPARSE, false, "pruning/samplers",
                              "'samplers' must be an array of labels");
  for (size_t k = 0; k < st->n_samplers && !which; k++)
    st->samplers[k].prune = true;
  for (size_t i = 0; which && i < json_array_size(which); i++) {
    const char *l = json_string_value(json_array_get(which, i));
    size_t k = 0;
    while (l && k < st->n_samplers && strcmp(st->samplers[k].label, l))
      k++;
    char at[64];
    snprintf(at, sizeof at, "pruning/samplers/%zu", i);
    if (!l || k == st->n_samplers)
      return l4p__study_fail_at(rd, L4P_EUSAGE, false, at,
                                "'%s' is not a "
                                "sampler label of the study",
                                l ? l : "?");
    st->samplers[k].prune = true;
  }
  return L4P_OK;
}

/* The canonical settings of a model entry, its cells' key: the name and
 * the settings that model reads (DeepPerf's profile, XGBoost's tune). */
static char *model_key(const struct l4p__study_model *m)
{
  const char *profile = m->profile == L4P_PROFILE_FAST ? "fast" : "full";
  json_t *o = strcmp(m->name, "deepperf") == 0
                  ? json_pack("{s:s, s:s}", "name", m->name, "profile", profile)
                  : json_pack("{s:s, s:b}", "name", m->name, "tune", m->tune);
  if (o && m->search_per_sample) /* absent for the default: old keys hold */
    json_object_set_new(o, "search", json_string("sample"));
  char *text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  json_decref(o);
  return text;
}

static l4p_status read_model(struct l4p__study_reader *rd, json_t *e, size_t k)
{
  static const char *const keys[] = {"name",   "label", "profile",
                                     "search", "tune",  NULL};
  struct l4p_study *st = rd->st;
  char where[64], at[96];
  snprintf(where, sizeof where, "models/%zu", k);
  const char *name, *label;
  l4p_status s = entry_names(rd, e, where, keys, "model", &name, &label);
  if (s)
    return s;
  struct l4p__study_model *m = &st->models[k];
  snprintf(at, sizeof at, "%s%s", where, json_is_object(e) ? "/name" : "");
  if (!(m->ops = l4p_model_find(name)))
    return l4p__study_fail_at(rd, L4P_EUSAGE, false, at,
                              "unknown model "
                              "'%s' (known: xgboost, deepperf)",
                              name);
  for (size_t i = 0; i < k; i++)
    if (strcmp(st->models[i].label, label) == 0)
      return label_twice(rd, where, label);
  json_t *profile = json_is_object(e) ? json_object_get(e, "profile") : 0;
  json_t *tune = json_is_object(e) ? json_object_get(e, "tune") : NULL;
  const char *pn = profile ? json_string_value(profile) : "fast";
  snprintf(at, sizeof at, "%s/profile", where);
  if (!pn || (strcmp(pn, "fast") && strcmp(pn, "full")))
    return l4p__study_fail_at(rd, L4P_EPARSE, false, at,
                              "'profile' is "
                              "\"fast\" or \"full\"");
  snprintf(at, sizeof at, "%s/tune", where);
  if (tune && !json_is_boolean(tune))
    return l4p__study_fail_at(rd, L4P_EPARSE, false, at,
                              "'tune' is true "
                              "or false");
  json_t *search = json_is_object(e) ? json_object_get(e, "search") : NULL;
  const char *sn = search ? json_string_value(search) : "scenario";
  snprintf(at, sizeof at, "%s/search", where);
  if (!sn || (strcmp(sn, "scenario") && strcmp(sn, "sample")))
    return l4p__study_fail_at(rd, L4P_EPARSE, false, at,
                              "'search' is \"scenario\" or \"sample\"");
  if (search && strcmp(name, "deepperf") != 0)
    return l4p__study_fail_at(rd, L4P_EUSAGE, false, at,
                              "'search' is a DeepPerf setting");
  m->search_per_sample = strcmp(sn, "sample") == 0;
  m->profile = strcmp(pn, "fast") ? L4P_PROFILE_FULL : L4P_PROFILE_FAST;
  m->tune = json_is_true(tune);
  m->name = strdup(name);
  m->label = strdup(label);
  if (!m->name || !m->label || !(m->key = model_key(m)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  return L4P_OK;
}

/* See study-int.h: "models", by default [xgboost]. */
l4p_status l4p__study_load_models(struct l4p__study_reader *rd, json_t *root)
{
  struct l4p_study *st = rd->st;
  json_t *list = json_object_get(root, "models");
  json_t *fallback = NULL;
  if (!list)
    list = fallback = json_pack("[s]", "xgboost");
  if (!json_is_array(list) || json_array_size(list) == 0) {
    json_decref(fallback);
    return l4p__study_fail_at(rd, L4P_EPARSE, false, "models",
                              "'models' "
                              "must be a non-empty array");
  }
  st->models = calloc(json_array_size(list), sizeof *st->models);
  l4p_status s = st->models ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; !s && k < json_array_size(list); k++) {
    s = read_model(rd, json_array_get(list, k), k);
    st->n_models = k + 1;
  }
  json_decref(fallback);
  return s;
}

/* See study-int.h: each sampler entry with "params" is created once per
 * system, so that parameters it refuses fail now, at their place, and
 * not hours into the study. */
l4p_status l4p__study_check_params(struct l4p__study_reader *rd)
{
  const struct l4p_study *st = rd->st;
  for (size_t k = 0; k < st->n_samplers; k++) {
    const struct l4p__study_sampler *smp = &st->samplers[k];
    for (size_t y = 0; smp->params && y < st->n_systems; y++) {
      const struct l4p__study_system *sys = &st->systems[y];
      struct l4p_sampler_env env = {.params = smp->params};
      struct l4p_sampler *s;
      l4p_status code = l4p_sampler_new_env(
          l4p_sampler_find(smp->name), sys->spec, sys->spec->space, st->seed,
          sys->budgets[0], &env, &s);
      if (code) {
        char msg[512], at[64];
        snprintf(msg, sizeof msg, "%s", l4p_last_error());
        snprintf(at, sizeof at, "samplers/%zu/params", k);
        return l4p__study_fail_at(rd, code, false, at, "system '%s': %s",
                                  sys->spec->name, msg);
      }
      l4p_sampler_free(s);
    }
  }
  return L4P_OK;
}
