/* Reading a filter answer into pruning decisions (prune.h): one decision
 * per spec option, in spec order, whatever the answer left out, repeated
 * or invented; then a guard that the pruned defaults still leave a valid
 * configuration, since an agent judging options one by one cannot see
 * the constraints between them.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* The answer's decision for option name, or NULL; counts repeats. */
static const json_t *decision_for(const json_t *list, const char *name)
{
  size_t i;
  json_t *d;
  json_array_foreach (list, i, d) {
    if (!strcmp(json_string_value(json_object_get(d, "option")), name))
      return d;
  }
  return NULL;
}

static void count_problems(const struct l4p_spec *spec, const json_t *list,
                           struct l4p_agent_decision_stats *stats)
{
  size_t i, j;
  json_t *d, *e;
  json_array_foreach (list, i, d) {
    const char *name = json_string_value(json_object_get(d, "option"));
    if (l4p_space_find(spec->space, name) < 0) {
      stats->unknown++;
      continue;
    }
    json_array_foreach (list, j, e) {
      if (j >= i)
        break;
      if (!strcmp(name, json_string_value(json_object_get(e, "option")))) {
        stats->repeated++;
        break;
      }
    }
  }
}

static l4p_status set_identity(struct l4p_prune *p, const char *system,
                               const char *agent, const char *const *objectives,
                               size_t n)
{
  p->system = system ? strdup(system) : NULL;
  p->agent = agent ? strdup(agent) : NULL;
  p->objectives = calloc(n + 1, sizeof *p->objectives);
  if ((system && !p->system) || (agent && !p->agent) || !p->objectives)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (; p->n_objectives < n; p->n_objectives++)
    if (!(p->objectives[p->n_objectives] = strdup(objectives[p->n_objectives])))
      return l4p_failf(L4P_ENOMEM, "out of memory");
  return L4P_OK;
}

/* Does applying p leave a valid configuration? */
static bool satisfiable(const struct l4p_prune *p, const struct l4p_spec *spec)
{
  struct l4p_space *pruned;
  if (l4p_prune_apply(p, spec, &pruned) != L4P_OK)
    return false;
  l4p_space_free(pruned);
  return true;
}

/* Keep decision d after all, saying why. */
static l4p_status restore(struct l4p_prune_decision *d)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  l4px_sb_printf(&sb,
                 "kept: pruning it with the others leaves no valid "
                 "configuration (agent said: %s)",
                 d->reason ? d->reason : "");
  char *reason = l4px_sb_detach(&sb);
  if (!reason)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  free(d->reason);
  d->reason = reason;
  d->keep = true;
  d->has_value = false;
  return L4P_OK;
}

/* Keep pruned options again until the pruning is satisfiable: first any
 * single one that suffices, else the first pruned one, and repeat. */
static l4p_status make_satisfiable(struct l4p_prune *p,
                                   const struct l4p_spec *spec,
                                   size_t *restored)
{
  while (!satisfiable(p, spec)) {
    size_t pick = p->n_decisions, first = p->n_decisions;
    for (size_t k = 0; k < p->n_decisions && pick == p->n_decisions; k++) {
      struct l4p_prune_decision *d = &p->decisions[k];
      if (d->keep)
        continue;
      if (first == p->n_decisions)
        first = k;
      d->keep = true;
      if (satisfiable(p, spec))
        pick = k;
      d->keep = false;
    }
    if (pick == p->n_decisions)
      pick = first;
    if (pick == p->n_decisions) /* nothing pruned: the spec itself */
      return L4P_OK;
    l4p_status st = restore(&p->decisions[pick]);
    if (st)
      return st;
    ++*restored;
  }
  return L4P_OK;
}

l4p_status l4p_agent_read_decisions(const struct l4p_spec *spec,
                                    const char *output, const char *agent,
                                    const char *const *objectives,
                                    size_t n_objectives, struct l4p_prune *p,
                                    struct l4p_agent_decision_stats *stats)
{
  struct l4p_agent_decision_stats local;
  if (!stats)
    stats = &local;
  memset(stats, 0, sizeof *stats);
  json_t *root;
  l4p_status st = l4p__agent_read_output(L4P_ROLE_FILTER, output, &root);
  if (st)
    return st;
  json_t *list = json_object_get(root, "decisions");
  count_problems(spec, list, stats);
  st = set_identity(p, spec->name, agent, objectives, n_objectives);
  for (size_t i = 0; !st && i < l4p_space_n_options(spec->space); i++) {
    const char *name = l4p_space_option(spec->space, i)->name;
    const json_t *d = decision_for(list, name);
    if (!d)
      stats->missing++;
    bool keep = !d || json_is_true(json_object_get(d, "keep"));
    const char *reason = d ? json_string_value(json_object_get(d, "reason"))
                           : "no decision in the agent's answer; kept";
    st = l4p_prune_decide(p, spec, name, keep, NULL, reason);
  }
  if (!st)
    st = make_satisfiable(p, spec, &stats->restored);
  json_decref(root);
  return st;
}
