/* Agents by name: the one place a command-line --agent NAME turns into an
 * agent. Adding an agent is one row in the table below: its
 * name, summary and a constructor taking struct l4p_agent_options.
 * SPDX-License-Identifier: MIT */
#include <stddef.h>
#include <string.h>

#include "agent-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

static l4p_status make_builtin(const struct l4p_agent_options *options,
                               struct l4p_agent **agent)
{
  (void)options;
  *agent = l4p_agent_builtin_new();
  return *agent ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
}

static const struct {
  const char *name;
  const char *summary;
  l4p_status (*make)(const struct l4p_agent_options *options,
                     struct l4p_agent **agent);
} agents[] = {
    {"builtin", "rules and statistics, no model needed (the default)",
     make_builtin},
    {"llm", "prompt templates sent to an OpenAI-compatible server",
     l4p__agent_llm_make},
};

#define N_AGENTS (sizeof agents / sizeof agents[0])

const char *l4p_agent_known(size_t i, const char **summary)
{
  if (i >= N_AGENTS)
    return NULL;
  if (summary)
    *summary = agents[i].summary;
  return agents[i].name;
}

/* EUSAGE listing the known agents unless name is one. */
l4p_status l4p_agent_check_name(const char *name)
{
  for (size_t k = 0; name && k < N_AGENTS; k++)
    if (strcmp(agents[k].name, name) == 0)
      return L4P_OK;
  struct l4px_sb known;
  l4px_sb_init(&known);
  for (size_t k = 0; k < N_AGENTS; k++)
    l4px_sb_printf(&known, "%s%s", k ? ", " : "", agents[k].name);
  l4p_status st = l4p_failf(L4P_EUSAGE, "unknown agent '%s' (known: %s)",
                            name ? name : "", known.buf);
  l4px_sb_release(&known);
  return st;
}

l4p_status l4p_agent_new(const char *name,
                         const struct l4p_agent_options *options,
                         struct l4p_agent **agent)
{
  static const struct l4p_agent_options none;
  *agent = NULL;
  for (size_t k = 0; name && k < N_AGENTS; k++)
    if (strcmp(agents[k].name, name) == 0)
      return agents[k].make(options ? options : &none, agent);
  return l4p_agent_check_name(name);
}
