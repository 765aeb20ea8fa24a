/* Each system of the report's study with what its plots need beyond
 * summary.json: the spec (objectives' goals and units, options' types),
 * the measured table (the Pareto fronts' ground truth and the option
 * influence) and which options the study's pruning decisions removed.
 * Paths come from summary.json as the study wrote them; a relative one is
 * relative to the directory the study ran in, and a derived decisions
 * file is also looked for in DIR/prune/, where the study keeps it.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "llm4perf/prune.h"
#include "report-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

/* The readable decisions file of sys (heap), else EIO. */
static l4p_status decisions_path(const struct l4p__rstudy *st,
                                 const struct l4p__rsystem *sys, char **out)
{
  const char *base = strrchr(sys->decisions, '/');
  base = base ? base + 1 : sys->decisions;
  char *prune = l4px_path_join(st->dir, "prune");
  char *study_dir = l4px_dirname(st->path);
  char *cand[3] = {
      strdup(sys->decisions), prune ? l4px_path_join(prune, base) : NULL,
      study_dir ? l4px_path_join(study_dir, sys->decisions) : NULL};
  free(prune);
  free(study_dir);
  *out = NULL;
  for (size_t k = 0; k < 3; k++) {
    if (!*out && cand[k] && access(cand[k], R_OK) == 0)
      *out = cand[k];
    else
      free(cand[k]);
  }
  if (*out)
    return L4P_OK;
  return l4p_failf(L4P_EIO,
                   "system '%s': cannot read its decisions file "
                   "'%s' named in %s/summary.json (nor in %s/prune/)",
                   sys->name, sys->decisions, st->dir, st->dir);
}

/* Mark the options the decisions of sys prune. */
static l4p_status load_pruned(const struct l4p__rstudy *st,
                              struct l4p__rsystem *sys)
{
  size_t n = l4p_space_n_options(sys->spec->space);
  if (!(sys->pruned = calloc(n ? n : 1, sizeof *sys->pruned)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  if (!sys->decisions)
    return L4P_OK;
  char *path;
  l4p_status s = decisions_path(st, sys, &path);
  if (s)
    return s;
  struct l4p_prune p;
  l4p_prune_init(&p);
  s = l4p_prune_load(path, sys->spec, &p);
  for (size_t k = 0; !s && k < p.n_decisions; k++) {
    int i = l4p_space_find(sys->spec->space, p.decisions[k].option);
    if (i >= 0 && !p.decisions[k].keep)
      sys->pruned[i] = true;
  }
  l4p_prune_release(&p);
  free(path);
  return s;
}

static l4p_status load_system(const struct l4p__rstudy *st,
                              struct l4p__rsystem *sys)
{
  if (access(sys->spec_path, R_OK) != 0)
    return l4p_failf(L4P_EIO,
                     "system '%s': cannot read its spec '%s' named "
                     "in %s/summary.json: %s (a relative path is relative "
                     "to the directory the study ran in)",
                     sys->name, sys->spec_path, st->dir, strerror(errno));
  l4p_status s = l4p_spec_load(sys->spec_path, &sys->spec);
  if (!s)
    s = l4p_table_load_for(sys->spec, &sys->table);
  if (!s && !(sys->obj = calloc(sys->n_obj, sizeof *sys->obj)))
    s = l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t j = 0; !s && j < sys->n_obj; j++) {
    int o = l4p_spec_find_objective(sys->spec, sys->objectives[j]);
    if (o < 0)
      s = l4p_failf(L4P_EIO,
                    "system '%s': its spec '%s' has no objective "
                    "'%s' (named in %s/summary.json)",
                    sys->name, sys->spec_path, sys->objectives[j], st->dir);
    else
      sys->obj[j] = (size_t)o;
  }
  if (!s)
    s = load_pruned(st, sys);
  return s;
}

/* See report-int.h. */
l4p_status l4p__rstudy_load_systems(struct l4p__rstudy *st)
{
  l4p_status s = L4P_OK;
  for (size_t k = 0; !s && k < st->n_systems; k++)
    s = load_system(st, &st->systems[k]);
  return s;
}
