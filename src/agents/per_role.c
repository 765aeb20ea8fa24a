/* An agent made of agents, one per role: a campaign may let a model
 * analyze and design while the builtin agent filters and generates, or
 * any other mixture (docs/LLM4PERF.md, the "roles" parameter). Each
 * distinct agent is made once and plays every role that names it; run()
 * hands the call to the role's player, and l4p_agent_run names the
 * player in its messages, so nothing downstream sees the composite.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "agent-int.h"
#include "util/failf.h"
#include "util/banned.h"

struct per_role {
  struct l4p_agent *player[L4P_ROLE_COUNT]; /* borrowed from own[] */
  struct l4p_agent *own[L4P_ROLE_COUNT];    /* the distinct agents */
  size_t n_own;
};

/* Players are thread-safe (agent.h), and the table never changes after
 * creation, so neither does this. */
static l4p_status per_role_run(struct l4p_agent *agent, enum l4p_role role,
                               const struct l4p_agent_ctx *ctx,
                               const char *input, char **output)
{
  struct per_role *pr = agent->data;
  struct l4p_agent *player = pr->player[role];
  return player->ops->run(player, role, ctx, input, output);
}

static void per_role_destroy(struct l4p_agent *agent)
{
  struct per_role *pr = agent->data;
  if (!pr)
    return;
  for (size_t k = 0; k < pr->n_own; k++)
    l4p_agent_free(pr->own[k]);
  free(pr);
  agent->data = NULL;
}

static const struct l4p_agent_ops per_role_ops = {
    .name = "mixed",
    .summary = "each role played by its own agent",
    .run = per_role_run,
    .destroy = per_role_destroy,
};

/* Make each distinct agent of names once and point every role at its
 * player. */
static l4p_status fill(struct per_role *pr, const char *const *names,
                       const struct l4p_agent_options *options)
{
  const char *made[L4P_ROLE_COUNT];
  for (int r = 0; r < L4P_ROLE_COUNT; r++) {
    size_t k = 0;
    while (k < pr->n_own && strcmp(made[k], names[r]) != 0)
      k++;
    if (k == pr->n_own) {
      l4p_status st = l4p_agent_new(names[r], options, &pr->own[k]);
      if (st)
        return st;
      made[pr->n_own++] = names[r];
    }
    pr->player[r] = pr->own[k];
  }
  return L4P_OK;
}

/* A composite of the named agents, or the one agent they all name
 * (agent.h); *agent NULL on failure. */
l4p_status l4p_agent_new_per_role(const char *const names[L4P_ROLE_COUNT],
                                  const struct l4p_agent_options *options,
                                  struct l4p_agent **agent)
{
  *agent = NULL;
  for (int k = 0; k < L4P_ROLE_COUNT; k++)
    if (!names[k])
      return l4p_failf(L4P_EUSAGE, "no agent named for role '%s'",
                       l4p_role_name((enum l4p_role)k));
  int r = 1;
  while (r < L4P_ROLE_COUNT && strcmp(names[r], names[0]) == 0)
    r++;
  if (r == L4P_ROLE_COUNT) /* one agent plays everything */
    return l4p_agent_new(names[0], options, agent);
  struct per_role *pr = calloc(1, sizeof *pr);
  struct l4p_agent *a = calloc(1, sizeof *a);
  if (!pr || !a) {
    free(pr);
    free(a);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  a->ops = &per_role_ops;
  a->data = pr;
  l4p_status st = fill(pr, names, options);
  if (st) {
    l4p_agent_free(a);
    return st;
  }
  *agent = a;
  return L4P_OK;
}

/* Who plays role: the composite's player, else the agent itself. */
const char *l4p_agent_player(const struct l4p_agent *agent, enum l4p_role role)
{
  if (!agent || !agent->ops)
    return "?";
  if (agent->ops == &per_role_ops && (unsigned)role < L4P_ROLE_COUNT)
    return l4p_agent_player(
        ((const struct per_role *)agent->data)->player[role], role);
  return agent->ops->name;
}
