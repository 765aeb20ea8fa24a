/* The llm4perf sampler's flags (docs/LLM4PERF.md), shared by 'sample' and
 * 'run': read into the sampler's parameters, refused for another
 * sampler, and turned into the agent that plays the roles. How to use
 * it: the comment at the top of cli_llm4perf.h.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "cli_llm4perf.h"
#include "util/banned.h"

/* Were any of the sampler's flags given? */
static bool given(const struct cli_llm4perf *f)
{
  return f->agent || f->roles.n || f->candidates || f->generators ||
         f->initial || f->no_feedback || f->no_prune || f->voting ||
         f->llm.sets.n || f->llm.config || f->llm.cache || f->llm.store;
}

/* The agents of the --role flags into p. */
static int read_roles(const struct cli_ctx *cli, const struct cli_list *roles,
                      struct l4p_llm4perf_params *p)
{
  for (size_t k = 0; k < roles->n; k++) {
    const char *arg = roles->items[k], *eq = strchr(arg, '=');
    char role[32];
    if (!eq || eq - arg >= (long)sizeof role)
      return cli_usage_error(cli,
                             "--role '%s': expected ROLE=AGENT, e.g. "
                             "analyze=llm",
                             arg);
    snprintf(role, sizeof role, "%.*s", (int)(eq - arg), arg);
    if (l4p_llm4perf_params_set_role(p, role, eq + 1))
      return cli_usage_error(cli, "--role: %s", l4p_last_error());
  }
  return CLI_OK;
}

/* See cli_llm4perf.h. The parameters' canonical JSON, the campaign's
 * identity, is written by the command once the budget and the pruning
 * are known. */
int cli_llm4perf_read(const struct cli_ctx *cli, struct cli_llm4perf *f,
                      const char *sampler)
{
  struct l4p_llm4perf_params *p = &f->params;
  l4p_llm4perf_params_init(p);
  f->on = strcmp(sampler, "llm4perf") == 0;
  if (!f->on)
    return given(f) ? cli_usage_error(cli, "--agent, --role, --candidates, "
                                           "--generators, --initial, "
                                           "--no-feedback, --voting, "
                                           "--no-prune and the LLM flags "
                                           "need --sampler llm4perf")
                    : CLI_OK;
  if (f->candidates)
    p->candidates = f->candidates;
  if (f->generators)
    p->generators = f->generators;
  p->initial = f->initial;
  p->feedback = !f->no_feedback;
  p->prune = f->no_prune ? L4P_PRUNE_OFF : L4P_PRUNE_FILTER;
  if (f->agent)
    snprintf(p->agent, sizeof p->agent, "%s", f->agent);
  if (f->voting && !l4p_voting_parse(f->voting, &p->voting))
    return cli_usage_error(cli,
                           "--voting '%s': expected "
                           "agreement+distance, agreement or none",
                           f->voting);
  if (p->candidates > L4P_LLM4PERF_MAX_CANDIDATES ||
      p->generators > L4P_LLM4PERF_MAX_GENERATORS)
    return cli_usage_error(cli,
                           "--candidates is at most %d and "
                           "--generators at most %d",
                           L4P_LLM4PERF_MAX_CANDIDATES,
                           L4P_LLM4PERF_MAX_GENERATORS);
  int rc = cli_check_agent(cli, p->agent);
  return rc ? rc : read_roles(cli, &f->roles, p);
}

/* See cli_llm4perf.h. */
int cli_llm4perf_agent(const struct cli_ctx *cli, const struct cli_llm4perf *f,
                       const char *db, struct l4p_agent **agent)
{
  *agent = NULL;
  const char *names[L4P_ROLE_COUNT];
  l4p_llm4perf_agent_names(&f->params, names);
  bool llm = l4p_llm4perf_uses_agent(&f->params, "llm");
  struct l4p_llm_settings *settings = NULL;
  struct l4p_agent_options options;
  int rc = cli_llm_options(cli, &f->llm, llm ? "llm" : f->params.agent, db, 0,
                           &settings, &options);
  if (rc)
    return rc;
  l4p_status st = l4p_agent_new_per_role(names, &options, agent);
  l4p_llm_settings_free(settings);
  return st ? cli_fail(st) : CLI_OK;
}
