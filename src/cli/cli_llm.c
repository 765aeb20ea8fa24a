/* The LLM flags every agent-running command shares (--set NAME=VALUE,
 * --llm-config FILE, --llm-cache MODE, --llm-store FILE), turned into llm settings and
 * agent options in one place, so that docs, prune, sample and run read them
 * the same way (precedence: docs/LLM.md, tag-llm-precedence).
 *
 * Using it in a command (cmd_docs.c and cmd_prune.c do this):
 *   1. struct cli_llm llm = {0}; and CLI_LLM_OPTS(&llm) in opts[];
 *   2. after cli_parse, either
 *        rc = cli_llm_agent(cli, &llm, agent_name, db, campaign, &agent);
 *      (checks the name, builds the options, makes the agent), or, to
 *      make the agent elsewhere (a sampler that makes its own),
 *        rc = cli_llm_options(cli, &llm, agent_name, db, campaign,
 *                             &settings, &options);
 *      then l4p_agent_new(agent_name, &options, ...) and
 *      l4p_llm_settings_free(settings) (options borrow it until then);
 *   3. document the flags in docs/cli/CMD.md (the synopsis is tested).
 * The API key is never a flag: it is read from the environment variable
 * llm.api_key_env names, so it shows in no process list and no log.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "cli_llm.h"
#include "util/banned.h"

/* Report a failed library call as a usage error (a bad flag) or a
 * failure (a bad file), by its status. */
static int settings_error(const struct cli_ctx *cli, l4p_status st)
{
  if (st == L4P_EUSAGE)
    return cli_usage_error(cli, "%s", l4p_last_error());
  return cli_fail(st);
}

/* Settings from the standard sources, then the flags. */
static int load(const struct cli_ctx *cli, const struct cli_llm *args,
                struct l4p_llm_settings *s)
{
  l4p_status st = l4p_llm_settings_load_standard(s, args->config);
  if (st)
    return settings_error(cli, st);
  for (size_t k = 0; k < args->sets.n; k++)
    if ((st = l4p_llm_settings_assign(s, args->sets.items[k])))
      return settings_error(cli, st);
  if (args->cache && (st = l4p_llm_settings_set(s, "llm.cache", args->cache)))
    return cli_usage_error(cli,
                           "--llm-cache '%s': expected off, record or "
                           "replay",
                           args->cache);
  return CLI_OK;
}

/* Settings and agent options from the LLM flags; see cli_llm.h. */
int cli_llm_options(const struct cli_ctx *cli, const struct cli_llm *args,
                    const char *agent, const char *db, int64_t campaign,
                    struct l4p_llm_settings **settings,
                    struct l4p_agent_options *options)
{
  *settings = NULL;
  memset(options, 0, sizeof *options);
  bool flags = args->sets.n || args->config || args->cache || args->store;
  if (args->store)
    db = args->store;
  if (strcmp(agent, "llm") != 0)
    return flags ? cli_usage_error(cli, "--set, --llm-config, --llm-cache "
                                        "and --llm-store need --agent llm")
                 : CLI_OK;
  struct l4p_llm_settings *s = l4p_llm_settings_new();
  if (!s)
    return cli_fail(L4P_ENOMEM);
  int rc = load(cli, args, s);
  enum l4p_llm_cache cache = l4p_llm_settings_cache(s);
  if (!rc && cache != L4P_LLM_CACHE_OFF && !db)
    rc = cli_usage_error(cli,
                         "llm.cache '%s' needs --db FILE (where "
                         "exchanges are %s)",
                         l4p_llm_cache_name(cache),
                         cache == L4P_LLM_CACHE_RECORD ? "recorded"
                                                       : "replayed from");
  if (!rc && args->store && cache != L4P_LLM_CACHE_REPLAY)
    rc = cli_usage_error(cli, "--llm-store replays a recorded run: it "
                              "needs --llm-cache replay");
  if (rc) {
    l4p_llm_settings_free(s);
    return rc;
  }
  *settings = s;
  options->llm = s;
  options->store_path = db;
  options->campaign = campaign;
  return CLI_OK;
}

/* Check the name, build the options, make the agent; see cli_llm.h. */
int cli_llm_agent(const struct cli_ctx *cli, const struct cli_llm *args,
                  const char *name, const char *db, int64_t campaign,
                  struct l4p_agent **agent)
{
  *agent = NULL;
  int rc = cli_check_agent(cli, name);
  struct l4p_llm_settings *settings = NULL;
  struct l4p_agent_options options;
  if (!rc)
    rc = cli_llm_options(cli, args, name, db, campaign, &settings, &options);
  if (rc)
    return rc;
  l4p_status st = l4p_agent_new(name, &options, agent);
  l4p_llm_settings_free(settings);
  return st ? cli_fail(st) : CLI_OK;
}
