/* The systems of a study file (docs/STUDY.md): each spec is loaded with
 * its measured table (studies need the table oracle: it is the ground
 * truth), the studied objectives and budgets are checked against them,
 * and a system's own decisions file is validated now rather than after
 * hours of work.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "llm4perf/prune.h"
#include "study-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

#define MAX_BUDGET 100000000

/* A budgets array at where into a new array. */
static l4p_status read_budgets(const struct l4p__study_reader *rd, json_t *list,
                               const char *where, size_t **out, size_t *n)
{
  if (!json_is_array(list) || json_array_size(list) == 0)
    return l4p__study_fail_at(rd, L4P_EPARSE, false, where,
                              "'budgets' "
                              "must be a non-empty array of integers");
  size_t *b = calloc(json_array_size(list), sizeof *b);
  if (!b)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < json_array_size(list); k++) {
    char at[96];
    snprintf(at, sizeof at, "%s/%zu", where, k);
    l4p_status s =
        l4p__study_positive(rd, json_array_get(list, k), at, MAX_BUDGET, &b[k]);
    for (size_t i = 0; !s && i < k; i++)
      if (b[i] == b[k])
        s = l4p__study_fail_at(rd, L4P_EUSAGE, false, at,
                               "budget %zu is "
                               "listed twice",
                               b[k]);
    if (s) {
      free(b);
      return s;
    }
  }
  *out = b;
  *n = json_array_size(list);
  return L4P_OK;
}

/* The spec and its table, or an error at where naming the file. */
static l4p_status read_spec(const struct l4p__study_reader *rd,
                            struct l4p__study_system *sys, json_t *path,
                            const char *where)
{
  if (!json_is_string(path) || !*json_string_value(path))
    return l4p__study_fail_at(rd, L4P_EPARSE, false, where,
                              "a system is a "
                              "spec path or an object with a \"spec\" "
                              "path");
  if (!(sys->spec_path = l4px_path_join(rd->dir, json_string_value(path))))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  if (access(sys->spec_path, R_OK) != 0)
    return l4p__study_fail_at(rd, L4P_EIO, false, where,
                              "cannot read "
                              "system file '%s': %s",
                              sys->spec_path, strerror(errno));
  l4p_status s = l4p_spec_load(sys->spec_path, &sys->spec);
  if (s)
    return s;
  if (!sys->spec->oracle_type || strcmp(sys->spec->oracle_type, "table"))
    return l4p__study_fail_at(rd, L4P_EUSAGE, false, where,
                              "system '%s' "
                              "has no table oracle: a study needs a "
                              "measured table as ground truth",
                              sys->spec->name);
  if ((s = l4p_table_load_for(sys->spec, &sys->table)))
    return s;
  return l4p_spec_to_json(sys->spec, &sys->spec_json);
}

/* "objectives": names of the spec's objectives; all by default. */
static l4p_status read_objectives(const struct l4p__study_reader *rd,
                                  struct l4p__study_system *sys, json_t *list,
                                  const char *where)
{
  const struct l4p_spec *spec = sys->spec;
  if (list && (!json_is_array(list) || json_array_size(list) == 0))
    return l4p__study_fail_at(rd, L4P_EPARSE, false, where,
                              "'objectives' "
                              "must be a non-empty array of names");
  size_t n = list ? json_array_size(list) : spec->n_objectives;
  if (!(sys->obj = calloc(n, sizeof *sys->obj)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < n; k++) {
    sys->obj[k] = k;
    if (!list)
      continue;
    char at[96];
    snprintf(at, sizeof at, "%s/%zu", where, k);
    const char *name = json_string_value(json_array_get(list, k));
    int j = name ? l4p_spec_find_objective(spec, name) : -1;
    if (j < 0)
      return l4p__study_fail_at(rd, L4P_EUSAGE, false, at,
                                "system '%s' "
                                "has no objective '%s'",
                                spec->name, name ? name : "?");
    for (size_t i = 0; i < k; i++)
      if (sys->obj[i] == (size_t)j)
        return l4p__study_fail_at(rd, L4P_EUSAGE, false, at,
                                  "objective "
                                  "'%s' is listed twice",
                                  name);
    sys->obj[k] = (size_t)j;
  }
  sys->n_obj = n;
  return L4P_OK;
}

/* Budgets: the system's own or the study's; each must leave at least one
 * configuration of the table to test on. */
static l4p_status check_budgets(const struct l4p__study_reader *rd,
                                struct l4p__study_system *sys, json_t *own,
                                json_t *common, const char *where)
{
  const char *at_list = own ? where : "budgets";
  if (!own && !common)
    return l4p__study_fail_at(rd, L4P_EPARSE, false, "",
                              "no \"budgets\": "
                              "give them for the study or for each system");
  l4p_status s = read_budgets(rd, own ? own : common, at_list, &sys->budgets,
                              &sys->n_budgets);
  for (size_t k = 0; !s && k < sys->n_budgets; k++) {
    char at[96];
    snprintf(at, sizeof at, "%s/%zu", at_list, k);
    if (sys->budgets[k] >= sys->table->n_rows)
      s = l4p__study_fail_at(rd, L4P_EUSAGE, false, at,
                             "budget %zu is not "
                             "smaller than the table of system '%s' (%zu "
                             "configurations): nothing would be left to "
                             "test on",
                             sys->budgets[k], sys->spec->name,
                             sys->table->n_rows);
  }
  return s;
}

/* A system's own decisions file, checked against its spec now. */
static l4p_status read_decisions(const struct l4p__study_reader *rd,
                                 struct l4p__study_system *sys, json_t *d,
                                 const char *where)
{
  if (!json_is_string(d))
    return l4p__study_fail_at(rd, L4P_EPARSE, false, where,
                              "'decisions' "
                              "must be the path of a decisions file");
  if (!(sys->decisions_path = l4px_path_join(rd->dir, json_string_value(d))))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  if (access(sys->decisions_path, R_OK) != 0)
    return l4p__study_fail_at(rd, L4P_EIO, false, where,
                              "cannot read "
                              "decisions file '%s': %s",
                              sys->decisions_path, strerror(errno));
  struct l4p_prune p;
  l4p_status s = l4p_prune_load(sys->decisions_path, sys->spec, &p);
  l4p_prune_release(&p);
  return s;
}

static l4p_status read_system(struct l4p__study_reader *rd, json_t *e,
                              json_t *budgets, size_t k)
{
  static const char *const keys[] = {"spec", "objectives", "budgets",
                                     "decisions", NULL};
  struct l4p_study *st = rd->st;
  struct l4p__study_system *sys = &st->systems[k];
  char where[64], at[96];
  snprintf(where, sizeof where, "systems/%zu", k);
  bool obj = json_is_object(e);
  l4p_status s = obj ? l4p__study_check_keys(rd, e, where, keys) : L4P_OK;
  snprintf(at, sizeof at, "%s%s", where, obj ? "/spec" : "");
  if (!s)
    s = read_spec(rd, sys, obj ? json_object_get(e, "spec") : e,
                  obj && json_object_get(e, "spec") ? at : where);
  for (size_t i = 0; !s && i < k; i++)
    if (strcmp(st->systems[i].spec->name, sys->spec->name) == 0)
      s = l4p__study_fail_at(rd, L4P_EUSAGE, false, at,
                             "system '%s' is "
                             "listed twice",
                             sys->spec->name);
  snprintf(at, sizeof at, "%s/objectives", where);
  if (!s)
    s = read_objectives(rd, sys, obj ? json_object_get(e, "objectives") : NULL,
                        at);
  snprintf(at, sizeof at, "%s/budgets", where);
  if (!s)
    s = check_budgets(rd, sys, obj ? json_object_get(e, "budgets") : NULL,
                      budgets, at);
  json_t *d = obj ? json_object_get(e, "decisions") : NULL;
  snprintf(at, sizeof at, "%s/decisions", where);
  if (!s && d)
    s = read_decisions(rd, sys, d, at);
  return s;
}

/* See study-int.h: "systems", then the check that every system can be
 * pruned when some sampler runs pruned. */
l4p_status l4p__study_load_systems(struct l4p__study_reader *rd, json_t *root)
{
  struct l4p_study *st = rd->st;
  json_t *list = json_object_get(root, "systems");
  json_t *budgets = json_object_get(root, "budgets");
  if (!json_is_array(list) || json_array_size(list) == 0)
    return l4p__study_fail_at(rd, L4P_EPARSE, false, list ? "systems" : "",
                              "a study needs a non-empty \"systems\" array");
  if (budgets && !json_is_array(budgets))
    return l4p__study_fail_at(rd, L4P_EPARSE, false, "budgets",
                              "'budgets' "
                              "must be a non-empty array of integers");
  if (!(st->systems = calloc(json_array_size(list), sizeof *st->systems)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < json_array_size(list); k++) {
    l4p_status s = read_system(rd, json_array_get(list, k), budgets, k);
    st->n_systems = k + 1;
    if (s)
      return s;
  }
  bool pruning = false;
  for (size_t k = 0; k < st->n_samplers; k++)
    pruning |= st->samplers[k].prune;
  for (size_t k = 0; pruning && !st->prune_agent && k < st->n_systems; k++)
    if (!st->systems[k].decisions_path)
      return l4p__study_fail_at(rd, L4P_EUSAGE, false, "pruning",
                                "system "
                                "'%s' has no \"decisions\" file and "
                                "\"pruning\" names no \"agent\"",
                                st->systems[k].spec->name);
  return L4P_OK;
}
