/* The builtin agent: every role as a real algorithm needing no model
 * (METHOD.md "Agents"): a help-text parser, a keyword rule set, a quick
 * surrogate of the history, a strategy as sampling weights and a
 * generator drawing from them. This file is its vtable; each role has
 * its own builtin_*.c.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>

#include "agent-int.h"
#include "util/failf.h"
#include "util/banned.h"

typedef l4p_status (*role_fn)(const struct l4p_agent_ctx *ctx, const json_t *in,
                              json_t **out);

static const role_fn roles[L4P_ROLE_COUNT] = {
    [L4P_ROLE_EXTRACT] = l4p__builtin_extract,
    [L4P_ROLE_FILTER] = l4p__builtin_filter,
    [L4P_ROLE_ANALYZE] = l4p__builtin_analyze,
    [L4P_ROLE_DESIGN] = l4p__builtin_design,
    [L4P_ROLE_GENERATE] = l4p__builtin_generate,
};

static l4p_status builtin_run(struct l4p_agent *agent, enum l4p_role role,
                              const struct l4p_agent_ctx *ctx,
                              const char *input, char **output)
{
  (void)agent;
  json_t *in, *out = NULL;
  l4p_status st = l4p__agent_parse(input, l4p_role_name(role), &in);
  if (st)
    return st;
  if (!(st = roles[role](ctx, in, &out)))
    st = l4p__agent_dump(out, output);
  json_decref(out);
  json_decref(in);
  return st;
}

static const struct l4p_agent_ops builtin_ops = {
    .name = "builtin",
    .summary = "rules and statistics, no model needed (the default)",
    .run = builtin_run,
    .destroy = NULL,
};

struct l4p_agent *l4p_agent_builtin_new(void)
{
  struct l4p_agent *agent = calloc(1, sizeof *agent);
  if (agent)
    agent->ops = &builtin_ops;
  return agent;
}
