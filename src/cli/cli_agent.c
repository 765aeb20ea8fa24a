/* The --agent option shared by the commands that run agent roles (docs,
 * prune): an unknown name is a usage error listing the known agents.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "cli.h"
#include "llm4perf/agent.h"
#include "util/strbuf.h"
#include "util/banned.h"

int cli_check_agent(const struct cli_ctx *cli, const char *name)
{
  const char *known;
  for (size_t k = 0; (known = l4p_agent_known(k, NULL)); k++)
    if (strcmp(known, name) == 0)
      return CLI_OK;
  struct l4px_sb list;
  l4px_sb_init(&list);
  for (size_t k = 0; (known = l4p_agent_known(k, NULL)); k++)
    l4px_sb_printf(&list, "%s%s", k ? ", " : "", known);
  int rc =
      cli_usage_error(cli, "unknown agent '%s' (known: %s)", name, list.buf);
  l4px_sb_release(&list);
  return rc;
}
