/* Getting a study ready to run: the pruning decisions of each system (its
 * own file, or the builtin filter run once and kept in DIR/prune/ so a
 * rerun prunes exactly as before), the evaluation caches (the table
 * encoded once, the true Pareto front), the grid, and every campaign
 * created in grid order, so campaign ids are the same however the
 * workers' work interleaves and whatever run was interrupted.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "llm4perf/agent.h"
#include "llm4perf/prune.h"
#include "study-int.h"
#include "util/dirs.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

/* Run the builtin filter on sys for its studied objectives into p. */
static l4p_status derive(const struct l4p__study_system *sys,
                         struct l4p_prune *p)
{
  const char *names[64];
  size_t n = sys->n_obj < 64 ? sys->n_obj : 64;
  for (size_t k = 0; k < n; k++)
    names[k] = sys->spec->objectives[sys->obj[k]].name;
  struct l4p_agent *agent;
  l4p_status s = l4p_agent_new("builtin", NULL, &agent);
  if (s)
    return s;
  struct l4p_agent_ctx ctx = {sys->spec, sys->spec->space, 1, 0};
  char *input = NULL, *output = NULL;
  if (!(s = l4p_agent_filter_input(sys->spec, names, n, &input)) &&
      !(s = l4p_agent_run(agent, L4P_ROLE_FILTER, &ctx, input, &output)))
    s = l4p_agent_read_decisions(sys->spec, output, "builtin", names, n, p,
                                 NULL);
  free(input);
  free(output);
  l4p_agent_free(agent);
  return s;
}

/* The decisions of sys: its own file, the file a former run derived, or
 * the builtin filter's, saved for the next run. */
static l4p_status decisions(struct l4p__study_system *sys, const char *out_dir,
                            struct l4p_prune *p)
{
  l4p_prune_init(p);
  if (sys->decisions_path)
    return (sys->decisions_used = strdup(sys->decisions_path))
               ? l4p_prune_load(sys->decisions_path, sys->spec, p)
               : l4p_failf(L4P_ENOMEM, "out of memory");
  char *dir = l4px_path_join(out_dir, "prune"), name[160];
  snprintf(name, sizeof name, "%s.json", sys->spec->name);
  char *path = dir ? l4px_path_join(dir, name) : NULL;
  l4p_status s =
      path ? l4px_make_dirs(dir) : l4p_failf(L4P_ENOMEM, "out of memory");
  if (!s && access(path, F_OK) == 0) {
    s = l4p_prune_load(path, sys->spec, p);
  } else if (!s && !(s = derive(sys, p))) {
    s = l4p_prune_save(p, sys->spec, path);
  }
  free(dir);
  sys->decisions_used = path;
  return s;
}

/* Pruned space, campaign identity and count of pruned options. */
static l4p_status prepare_pruning(struct l4p__study_system *sys,
                                  const char *out_dir)
{
  struct l4p_prune p;
  l4p_status s = decisions(sys, out_dir, &p);
  if (!s)
    s = l4p_prune_apply(&p, sys->spec, &sys->pruned);
  if (!s)
    s = l4p_prune_identity(&p, sys->spec, &sys->prune_json);
  for (size_t k = 0; !s && k < p.n_decisions; k++)
    sys->n_pruned += !p.decisions[k].keep;
  l4p_prune_release(&p);
  return s;
}

/* The table encoded as model features, and its true front. */
static l4p_status prepare_eval(struct l4p__study_system *sys)
{
  const struct l4p_table *t = sys->table;
  const struct l4p_space *space = sys->spec->space;
  sys->n_features = l4p_space_n_features(space);
  sys->features = malloc((t->n_rows ? t->n_rows : 1) * sys->n_features *
                         sizeof *sys->features);
  if (!sys->features)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t r = 0; r < t->n_rows; r++)
    l4p_space_encode(space, t->configs + r * t->n_options,
                     sys->features + r * sys->n_features);
  return l4p__study_front_init(&sys->front, sys->spec, t, sys->obj, sys->n_obj);
}

/* Create (or find) every campaign in grid order; the first sample of
 * each campaign does its work, later ones share it. */
static l4p_status make_campaigns(struct l4p__study_run *run)
{
  struct l4p_store *store;
  l4p_status s = l4p_store_open(run->db_path, &store);
  for (size_t k = 0; !s && k < run->n_samples; k++) {
    struct l4p__study_sample *smp = &run->samples[k];
    const struct l4p__study_system *sys = &run->study->systems[smp->system];
    const struct l4p__study_treatment *tr = &run->treatments[smp->treatment];
    struct l4p_campaign_key key = {
        sys->spec->name, sys->spec_json, run->study->samplers[tr->sampler].name,
        smp->params,     smp->seed,      sys->budgets[smp->budget]};
    bool resumed;
    s = l4p_store_campaign(store, &key, &smp->campaign, &resumed);
    smp->first = true;
    for (size_t i = 0; !s && i < k && smp->first; i++)
      if (run->samples[i].campaign == smp->campaign) {
        smp->first = false;
        run->samples[i].sharing++;
      }
    smp->sharing = smp->first;
  }
  l4p_store_close(store);
  return s;
}

/* The DeepPerf scenarios (system x objective x budget x model), with the
 * hyper-parameters a former run found. */
static l4p_status list_hyper(struct l4p__study_run *run)
{
  const struct l4p_study *st = run->study;
  size_t n = 0;
  for (size_t s = 0; s < st->n_systems; s++)
    for (size_t m = 0; m < st->n_models; m++)
      if (strcmp(st->models[m].name, "deepperf") == 0 &&
          !st->models[m].search_per_sample)
        n += st->systems[s].n_obj * st->systems[s].n_budgets;
  if (!(run->hyper = calloc(n ? n : 1, sizeof *run->hyper)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  sqlite3 *db;
  l4p_status s = l4p__study_db_open(run->db_path, &db);
  for (size_t sy = 0; !s && sy < st->n_systems; sy++)
    for (size_t m = 0; !s && m < st->n_models; m++)
      for (size_t j = 0; !s && j < st->systems[sy].n_obj; j++)
        for (size_t b = 0; !s && b < st->systems[sy].n_budgets; b++) {
          if (strcmp(st->models[m].name, "deepperf") != 0 ||
              st->models[m].search_per_sample)
            continue; /* no shared search: fit searches on its sample */
          const struct l4p__study_system *sys = &st->systems[sy];
          struct l4p__study_hyper *h = &run->hyper[run->n_hyper++];
          *h = (struct l4p__study_hyper){sy, sys->obj[j], b, m, false, 0, 0, 0};
          s = l4p__study_db_get_hyper(
              db, sys->spec->name, sys->spec->objectives[h->objective].name,
              sys->budgets[b], st->models[m].key,
              st->seed + L4P__STUDY_HYPER_SEED_OFFSET, h);
        }
  l4p__study_db_close(db);
  return s;
}

/* See study-int.h. */
l4p_status l4p__study_prepare(struct l4p__study_run *run, const char *out_dir)
{
  struct l4p_study *st = run->study;
  bool pruning = false;
  for (size_t k = 0; k < st->n_samplers; k++)
    pruning |= st->samplers[k].prune;
  l4p_status s = l4px_make_dirs(out_dir);
  if (!s && !(run->db_path = l4px_path_join(out_dir, "study.db")))
    s = l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; !s && k < st->n_systems; k++) {
    struct l4p__study_system *sys = &st->systems[k];
    if (pruning && !sys->pruned)
      s = prepare_pruning(sys, out_dir);
    if (!s && !sys->features)
      s = prepare_eval(sys);
  }
  if (!s)
    s = l4p__study_grid(run);
  if (!s)
    s = make_campaigns(run);
  if (!s)
    s = list_hyper(run);
  return s;
}
