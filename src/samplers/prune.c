/* Pruning decisions in memory: adding them, writing them out, applying
 * them to a spec's space (a copy with pruned options fixed) and the
 * canonical form that keeps pruned and unpruned campaigns apart. Reading
 * a decisions file is prune_load.c; the format is docs/PRUNING.md.
 * SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/prune.h"
#include "space/value_json.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/banned.h"

void l4p_prune_init(struct l4p_prune *p)
{
  memset(p, 0, sizeof *p);
}

void l4p_prune_release(struct l4p_prune *p)
{
  free(p->system);
  free(p->agent);
  for (size_t k = 0; k < p->n_objectives; k++)
    free(p->objectives[k]);
  free(p->objectives);
  for (size_t k = 0; k < p->n_decisions; k++) {
    free(p->decisions[k].option);
    free(p->decisions[k].reason);
  }
  free(p->decisions);
  l4p_prune_init(p);
}

l4p_status l4p_prune_decide(struct l4p_prune *p, const struct l4p_spec *spec,
                            const char *option, bool keep, const double *value,
                            const char *reason)
{
  int i = l4p_space_find(spec->space, option);
  if (i < 0)
    return l4p_failf(L4P_EUSAGE, "unknown option '%s' (not in system '%s')",
                     option, spec->name ? spec->name : "");
  for (size_t k = 0; k < p->n_decisions; k++)
    if (strcmp(p->decisions[k].option, option) == 0)
      return l4p_failf(L4P_EUSAGE, "option '%s' has two decisions", option);
  const struct l4p_option *opt = l4p_space_option(spec->space, (size_t)i);
  if (keep && value)
    return l4p_failf(L4P_EUSAGE,
                     "option '%s' is kept: a value is only "
                     "for pruned options",
                     option);
  if (value && !l4p_option_contains(opt, *value)) {
    char text[64];
    snprintf(text, sizeof text, "%g", *value);
    return l4p_failf(L4P_EDOMAIN,
                     "option '%s': cannot prune at %s, outside "
                     "its domain",
                     option, text);
  }
  struct l4p_prune_decision *grown =
      realloc(p->decisions, (p->n_decisions + 1) * sizeof *grown);
  if (!grown)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  p->decisions = grown;
  struct l4p_prune_decision *d = &grown[p->n_decisions];
  memset(d, 0, sizeof *d);
  d->keep = keep;
  d->has_value = value != NULL;
  d->value = value ? (l4p_option_cardinality(opt) ? l4p_option_snap(opt, *value)
                                                  : *value)
             : opt->fixed ? opt->fixed_value
                          : opt->default_value;
  d->option = strdup(option);
  d->reason = reason ? strdup(reason) : NULL;
  if (!d->option || (reason && !d->reason)) {
    free(d->option);
    free(d->reason);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  p->n_decisions++;
  return L4P_OK;
}

l4p_status l4p_prune_to_json(const struct l4p_prune *p,
                             const struct l4p_spec *spec, char **text)
{
  json_t *root = json_object(), *objs = json_array(), *list = json_array();
  if (p->system)
    json_object_set_new(root, "system", json_string(p->system));
  if (p->agent)
    json_object_set_new(root, "agent", json_string(p->agent));
  for (size_t k = 0; k < p->n_objectives; k++)
    json_array_append_new(objs, json_string(p->objectives[k]));
  if (p->n_objectives)
    json_object_set(root, "objectives", objs);
  for (size_t k = 0; k < p->n_decisions; k++) {
    const struct l4p_prune_decision *d = &p->decisions[k];
    int i = l4p_space_find(spec->space, d->option);
    json_t *o = json_object();
    json_object_set_new(o, "option", json_string(d->option));
    json_object_set_new(o, "keep", json_boolean(d->keep));
    if (!d->keep && d->has_value && i >= 0)
      json_object_set_new(
          o, "value",
          l4p__value_json(l4p_space_option(spec->space, (size_t)i), d->value));
    if (d->reason)
      json_object_set_new(o, "reason", json_string(d->reason));
    json_array_append_new(list, o);
  }
  json_object_set(root, "decisions", list);
  *text = json_dumps(root, JSON_INDENT(2));
  json_decref(objs);
  json_decref(list);
  json_decref(root);
  if (!*text)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  return L4P_OK;
}

l4p_status l4p_prune_save(const struct l4p_prune *p,
                          const struct l4p_spec *spec, const char *path)
{
  char *text;
  l4p_status st = l4p_prune_to_json(p, spec, &text);
  if (st)
    return st;
  st = l4px_write_text_atomic(path, text);
  free(text);
  return st;
}

l4p_status l4p_prune_apply(const struct l4p_prune *p,
                           const struct l4p_spec *spec,
                           struct l4p_space **pruned)
{
  struct l4p_space *space = l4p_space_clone(spec->space);
  if (!space)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  struct l4px_sb names;
  l4px_sb_init(&names);
  l4p_status st = L4P_OK;
  for (size_t k = 0; !st && k < p->n_decisions; k++) {
    const struct l4p_prune_decision *d = &p->decisions[k];
    if (d->keep)
      continue;
    int i = l4p_space_find(space, d->option);
    st = i < 0 ? l4p_failf(L4P_EUSAGE, "unknown option '%s'", d->option)
               : l4p_space_fix(space, (size_t)i, d->value);
    char text[64];
    if (i >= 0)
      l4p_value_format(space, (size_t)i, d->value, text, sizeof text);
    l4px_sb_printf(&names, "%s%s=%s", names.len ? ", " : "", d->option,
                   i >= 0 ? text : "?");
  }
  size_t bad;
  if (!st && l4p_space_check_satisfiable(space, &bad) != L4P_OK)
    st = l4p_failf(L4P_ECONSTR,
                   "pruning (%s) leaves no valid "
                   "configuration: constraint '%s' cannot hold",
                   l4px_sb_failed(&names) ? "?" : names.buf,
                   l4p_space_constraint_text(space, bad));
  l4px_sb_release(&names);
  if (st) {
    l4p_space_free(space);
    return st;
  }
  *pruned = space;
  return L4P_OK;
}

/* Order pruned decisions by option name (for the canonical form). */
static int by_option(const void *a, const void *b)
{
  const struct l4p_prune_decision *x =
      *(const struct l4p_prune_decision *const *)a;
  const struct l4p_prune_decision *y =
      *(const struct l4p_prune_decision *const *)b;
  return strcmp(x->option, y->option);
}

l4p_status l4p_prune_identity(const struct l4p_prune *p,
                              const struct l4p_spec *spec, char **json)
{
  const struct l4p_prune_decision **sorted =
      malloc((p->n_decisions + 1) * sizeof *sorted);
  if (!sorted)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  size_t n = 0;
  for (size_t k = 0; k < p->n_decisions; k++)
    if (!p->decisions[k].keep)
      sorted[n++] = &p->decisions[k];
  qsort(sorted, n, sizeof *sorted, by_option);
  json_t *fixed = json_object(), *root = json_object();
  for (size_t k = 0; k < n; k++) {
    int i = l4p_space_find(spec->space, sorted[k]->option);
    char text[64] = "?";
    if (i >= 0)
      l4p_value_format(spec->space, (size_t)i, sorted[k]->value, text,
                       sizeof text);
    json_object_set_new(fixed, sorted[k]->option, json_string(text));
  }
  json_object_set(root, "prune", fixed);
  *json = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
  json_decref(fixed);
  json_decref(root);
  free(sorted);
  if (!*json)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  return L4P_OK;
}
