/* The agent an llm4perf campaign's roles run through, made once when the
 * sampler is created: the caller's (checked against the parameters'
 * role agents), or one made here, each role by the agent its parameters
 * name (l4p_agent_new_per_role), the llm agent with the process's LLM
 * settings and the campaign's "llm" parameters on top (docs/LLM.md,
 * "Where settings come from").
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "llm4perf-int.h"
#include "llm4perf/llm.h"
#include "util/failf.h"
#include "util/banned.h"

/* The roles an iteration plays, in the diagnostics artefact. */
static const enum l4p_role iteration_roles[] = {
    L4P_ROLE_ANALYZE, L4P_ROLE_DESIGN, L4P_ROLE_GENERATE};

/* A caller's agent must play each role with the agent the parameters
 * name (they are the campaign's identity), and the parameters' LLM
 * settings could not reach it. */
static l4p_status check_given(const struct l4p_agent *agent,
                              const struct l4p_llm4perf_params *par)
{
  const char *names[L4P_ROLE_COUNT];
  l4p_llm4perf_agent_names(par, names);
  for (int r = 0; r < L4P_ROLE_COUNT; r++) {
    const char *given = l4p_agent_player(agent, (enum l4p_role)r);
    if (r != L4P_ROLE_EXTRACT && strcmp(given, names[r]) != 0)
      return l4p_failf(L4P_EUSAGE,
                       "llm4perf: agent '%s' given for role '%s', but "
                       "the parameters name '%s'",
                       given, l4p_role_name((enum l4p_role)r), names[r]);
  }
  if (par->n_llm)
    return l4p_failf(L4P_EUSAGE, "llm4perf: the parameters' llm settings "
                                 "apply to agents the sampler makes, not "
                                 "to an agent given to it");
  return L4P_OK;
}

/* The standard settings with the parameters' on top (tag-llm-precedence:
 * the campaign's own settings are the most specific). */
static l4p_status campaign_settings(const struct l4p_llm4perf_params *par,
                                    struct l4p_llm_settings **out)
{
  struct l4p_llm_settings *s = l4p_llm_settings_new();
  if (!s)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = l4p_llm_settings_load_standard(s, NULL);
  for (size_t k = 0; !st && k < par->n_llm; k++)
    st = l4p_llm_settings_set(s, par->llm[k].name, par->llm[k].value);
  if (st) {
    l4p_llm_settings_free(s);
    return st;
  }
  *out = s;
  return L4P_OK;
}

/* The caller's agent, checked, else one made from the parameters
 * (llm4perf-int.h). */
l4p_status l4p__lp_make_agent(struct l4p_sampler *s, struct l4p__lp *lp)
{
  if (s->agent) {
    l4p_status st = check_given(s->agent, &lp->par);
    if (!st)
      lp->agent = s->agent;
    return st;
  }
  const char *names[L4P_ROLE_COUNT];
  l4p_llm4perf_agent_names(&lp->par, names);
  struct l4p_agent_options options = {0};
  struct l4p_llm_settings *settings = NULL;
  l4p_status st = L4P_OK;
  if (lp->par.n_llm && !(st = campaign_settings(&lp->par, &settings)))
    options.llm = settings; /* else the llm agent loads the standard ones */
  if (!st)
    st = l4p_agent_new_per_role(names, &options, &lp->own_agent);
  l4p_llm_settings_free(settings);
  lp->agent = lp->own_agent;
  return st;
}

/* The players of an iteration's roles; NULL when out of memory. */
json_t *l4p__lp_agents_json(const struct l4p__lp *lp)
{
  json_t *doc = json_object();
  for (size_t k = 0;
       doc && k < sizeof iteration_roles / sizeof *iteration_roles; k++)
    json_object_set_new(
        doc, l4p_role_name(iteration_roles[k]),
        json_string(l4p_agent_player(lp->agent, iteration_roles[k])));
  return doc;
}
