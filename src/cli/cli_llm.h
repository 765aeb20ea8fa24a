/* LLM settings on the command line, for every command that can run the
 * llm agent (docs, prune, sample, run): the --set, --llm-config and
 * --llm-cache flags and what they become (settings and agent options).
 * How to use it: the comment at the top of cli_llm.c. */
#ifndef L4P_CLI_LLM_H
#define L4P_CLI_LLM_H

#include <stdint.h>

#include "cli.h"
#include "llm4perf/agent.h"
#include "llm4perf/llm.h"

/* The flags' values, filled by cli_parse through CLI_LLM_OPTS. Zero it
 * before parsing. */
struct cli_llm {
  struct cli_list sets; /* --set NAME=VALUE, in order */
  const char *config;   /* --llm-config FILE, or NULL */
  const char *cache;    /* --llm-cache off|record|replay, or NULL */
  const char *store;    /* --llm-store FILE: replay the exchanges
                           recorded in FILE instead of --db */
};

/* The three option rows, for a command's opts[] table. */
/* clang-format off */
#define CLI_LLM_OPTS(a)                                                   \
  {"set", 0, OPT_LIST, &(a)->sets, "NAME=VALUE",                          \
   "LLM setting, e.g. llm.model=M (repeatable; docs/LLM.md)"},            \
  {"llm-config", 0, OPT_STRING, &(a)->config, "FILE",                     \
   "LLM settings file (default $L4P_LLM_CONFIG, ./llm4perf.conf)"},       \
  {"llm-cache", 0, OPT_STRING, &(a)->cache, "MODE",                       \
   "off, record or replay LLM exchanges in --db"},                        \
  {"llm-store", 0, OPT_STRING, &(a)->store, "FILE",                       \
   "with --llm-cache replay: answers recorded in FILE, not --db"}
/* clang-format on */

/* The agent options for agent (its --agent value) from the parsed flags.
 * For "llm": settings from the standard sources (--llm-config, else
 * $L4P_LLM_CONFIG or ./llm4perf.conf; the environment), then each --set
 * in order, then --llm-cache (flags win); *settings is new (free it with
 * l4p_llm_settings_free after l4p_agent_new) and options->llm points to
 * it, options->store_path to db and options->campaign to campaign.
 * Record and replay need db. For other agents, LLM flags are a usage
 * error and *settings is NULL. Prints its own errors: returns CLI_OK,
 * CLI_USAGE (a bad flag) or CLI_FAIL (a bad config file). */
int cli_llm_options(const struct cli_ctx *cli, const struct cli_llm *args,
                    const char *agent, const char *db, int64_t campaign,
                    struct l4p_llm_settings **settings,
                    struct l4p_agent_options *options);

/* Make the agent called name with cli_llm_options' result: prints its
 * own errors and returns CLI_OK, CLI_USAGE or CLI_FAIL; *agent is NULL
 * unless CLI_OK (free it with l4p_agent_free). */
int cli_llm_agent(const struct cli_ctx *cli, const struct cli_llm *args,
                  const char *name, const char *db, int64_t campaign,
                  struct l4p_agent **agent);

#endif
