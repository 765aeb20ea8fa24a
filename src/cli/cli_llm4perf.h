/* The llm4perf sampler's flags, for every command that runs its
 * campaigns (sample, run): --agent, --role, --candidates, --generators,
 * --initial, --no-feedback, --voting, --no-prune and the LLM flags
 * (cli_llm.h), the one table of their rows and the one reading of them,
 * so that both commands take them with the same meaning and refuse them
 * alike for another sampler.
 *
 * Using it in a command (cmd_sample.c and cmd_run.c do this):
 *   1. struct cli_llm4perf lp = {0}; and CLI_LLM4PERF_OPTS(&lp) in opts[];
 *   2. after cli_parse and before opening anything,
 *        rc = cli_llm4perf_read(cli, &lp, sampler);
 *   3. once the run database is known, when lp.on,
 *        rc = cli_llm4perf_agent(cli, &lp, db, &agent);
 *      and the campaign's parameters from lp.params with
 *      l4p_llm4perf_params_json;
 *   4. document the flags in docs/cli/CMD.md (the synopsis is tested). */
#ifndef L4P_CLI_LLM4PERF_H
#define L4P_CLI_LLM4PERF_H

#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "cli_llm.h"
#include "llm4perf/agent.h"
#include "llm4perf/llm4perf_sampler.h"

/* The flags' values, filled by cli_parse through CLI_LLM4PERF_OPTS (zero
 * it before parsing), then on and params by cli_llm4perf_read. */
struct cli_llm4perf {
  const char *agent;                      /* --agent NAME, or NULL */
  struct cli_list roles;                  /* --role ROLE=AGENT, in order */
  size_t candidates, generators, initial; /* 0: not given */
  bool no_feedback, no_prune;
  const char *voting; /* --voting MODE, or NULL */
  struct cli_llm llm; /* --set, --llm-config, --llm-cache, --llm-store */
  bool on;            /* the sampler is llm4perf */
  struct l4p_llm4perf_params params; /* the flags' parameters, when on */
};

/* The option rows, for a command's opts[] table. */
/* clang-format off */
#define CLI_LLM4PERF_OPTS(f)                                              \
  {"agent", 0, OPT_STRING, &(f)->agent, "NAME",                           \
   "llm4perf: agent playing the roles, builtin (default) or llm"},        \
  {"role", 0, OPT_LIST, &(f)->roles, "ROLE=AGENT",                        \
   "llm4perf: agent playing one role (filter, analyze, design, "          \
   "generate) instead, e.g. analyze=llm (repeatable)"},                   \
  {"candidates", 0, OPT_SIZE, &(f)->candidates, "N",                      \
   "llm4perf: configurations measured per iteration (default 7)"},        \
  {"generators", 0, OPT_SIZE, &(f)->generators, "N",                      \
   "llm4perf: generators run concurrently, voting (default 3)"},          \
  {"initial", 0, OPT_SIZE, &(f)->initial, "N",                            \
   "llm4perf: initial batch (default max(candidates, budget/10))"},       \
  {"no-feedback", 0, OPT_BOOL, &(f)->no_feedback, NULL,                   \
   "llm4perf: keep the first analysis' strategy for every iteration"},    \
  {"voting", 0, OPT_STRING, &(f)->voting, "MODE",                         \
   "llm4perf: agreement+distance (default), agreement (ties in "          \
   "order) or none (one generator, no voting)"},                          \
  {"no-prune", 0, OPT_BOOL, &(f)->no_prune, NULL,                         \
   "llm4perf: skip the filter role (no options pruned)"},                 \
  CLI_LLM_OPTS(&(f)->llm)
/* clang-format on */

/* After cli_parse: f->on says whether sampler is "llm4perf"; flags given
 * for another sampler are a usage error; when on, f->params gets the
 * flags' parameters (the defaults for those not given), a bad value
 * (--voting, --candidates or --generators out of bounds, an unknown
 * agent or role) being a usage error. Holds nothing to release. Prints
 * its own errors; returns CLI_OK or CLI_USAGE. */
int cli_llm4perf_read(const struct cli_ctx *cli, struct cli_llm4perf *f,
                      const char *sampler);

/* The agent playing the roles as f->params says (one per role when
 * --role mixes them), the llm agent with the LLM flags' settings and
 * exchanges recorded in or replayed from db (or --llm-store). *agent is
 * new (l4p_agent_free it; the campaign borrows it) and NULL unless
 * CLI_OK. Prints its own errors; returns CLI_OK, CLI_USAGE (LLM flags
 * with no role played by the llm agent, a bad setting) or CLI_FAIL. */
int cli_llm4perf_agent(const struct cli_ctx *cli, const struct cli_llm4perf *f,
                       const char *db, struct l4p_agent **agent);

#endif
