/* The agent interface: role names and one entry point that runs a role
 * through any agent with both of its documents checked against the
 * role's schemas, so the sampler never sees an answer of the wrong shape
 * whichever agent (builtin or llm) produced it.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent-int.h"
#include "util/failf.h"
#include "util/banned.h"

static const char *const role_names[L4P_ROLE_COUNT] = {
    [L4P_ROLE_EXTRACT] = "extract",
    [L4P_ROLE_FILTER] = "filter",
    [L4P_ROLE_ANALYZE] = "analyze",
    [L4P_ROLE_DESIGN] = "design",
    [L4P_ROLE_GENERATE] = "generate"};

const char *l4p_role_name(enum l4p_role role)
{
  return (unsigned)role < L4P_ROLE_COUNT ? role_names[role] : "?";
}

int l4p_role_find(const char *name)
{
  for (int k = 0; name && k < L4P_ROLE_COUNT; k++)
    if (strcmp(role_names[k], name) == 0)
      return k;
  return -1;
}

void l4p_agent_free(struct l4p_agent *agent)
{
  if (!agent)
    return;
  if (agent->ops && agent->ops->destroy)
    agent->ops->destroy(agent);
  free(agent);
}

l4p_status l4p__agent_parse(const char *text, const char *what, json_t **value)
{
  json_error_t err;
  *value = json_loads(text ? text : "", 0, &err);
  if (!*value)
    return l4p_failf(L4P_EPARSE, "%s: not JSON: %d:%d: %s", what, err.line,
                     err.column, err.text);
  if (!json_is_object(*value)) {
    json_decref(*value);
    *value = NULL;
    return l4p_failf(L4P_EPARSE, "%s: not a JSON object", what);
  }
  return L4P_OK;
}

l4p_status l4p__agent_read_output(enum l4p_role role, const char *output,
                                  json_t **root)
{
  char what[64];
  snprintf(what, sizeof what, "%s output", l4p_role_name(role));
  if (l4p__agent_parse(output, what, root))
    return L4P_ELLM;
  l4p_status st = l4p__agent_check_json(role, L4P_AGENT_OUTPUT, *root);
  if (st) {
    json_decref(*root);
    *root = NULL;
  }
  return st;
}

l4p_status l4p__agent_dump(const json_t *value, char **text)
{
  *text = json_dumps(value, JSON_COMPACT | JSON_ENSURE_ASCII);
  return *text ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
}

l4p_status l4p_agent_run(struct l4p_agent *agent, enum l4p_role role,
                         const struct l4p_agent_ctx *ctx, const char *input,
                         char **output)
{
  *output = NULL;
  if (!agent || !agent->ops || (unsigned)role >= L4P_ROLE_COUNT)
    return l4p_failf(L4P_EUSAGE, "no agent or no such role");
  char what[64];
  snprintf(what, sizeof what, "%s input", l4p_role_name(role));
  json_t *in;
  l4p_status st = l4p__agent_parse(input, what, &in);
  if (st)
    return st == L4P_EPARSE ? l4p_failf_keep(L4P_EUSAGE, "bad input") : st;
  st = l4p__agent_check_json(role, L4P_AGENT_INPUT, in);
  json_decref(in);
  if (st)
    return st;
  char *text = NULL;
  st = agent->ops->run(agent, role, ctx, input, &text);
  if (st) {
    free(text);
    return st;
  }
  snprintf(what, sizeof what, "agent '%s': %s output",
           l4p_agent_player(agent, role), l4p_role_name(role));
  json_t *out;
  if ((st = l4p__agent_parse(text, what, &out))) {
    free(text);
    return L4P_ELLM;
  }
  st = l4p__agent_check_json(role, L4P_AGENT_OUTPUT, out);
  json_decref(out);
  if (st) {
    char agent_name[64];
    snprintf(agent_name, sizeof agent_name, "agent '%s'",
             l4p_agent_player(agent, role));
    l4p_error_prefix(agent_name);
    free(text);
    return st;
  }
  *output = text;
  return L4P_OK;
}
