/* "llm4perf sample": run (or resume) a sampling campaign on a system and
 * store every measurement in a run database. Rerunning the same command
 * after an interruption completes the campaign.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cli_llm4perf.h"
#include "llm4perf/agent.h"
#include "llm4perf/campaign.h"
#include "llm4perf/sampler.h"
#include "llm4perf/spec.h"
#include "llm4perf/store.h"
#include "util/banned.h"

static const char *const usage[] = {
    "llm4perf sample SPEC.json --sampler NAME --budget N --db RUN.db "
    "[--seed S] [--batch B] [--prune DECISIONS.json] [llm4perf options] "
    "[LLM flags]",
    NULL};

/* The --help epilogue: every sampler and how it treats numeric options. */
static int print_samplers(void)
{
  printf("\nsamplers (and how each handles numeric options):\n");
  for (size_t k = 0; k < l4p_sampler_count(); k++) {
    const struct l4p_sampler_ops *ops = l4p_sampler_at(k);
    printf("  %-9s %s\n  %-9s numeric: %s\n", ops->name, ops->summary, "",
           ops->numeric_help);
  }
  return CLI_OK;
}

int cmd_sample(int argc, char **argv, struct cli_ctx *cli)
{
  const char *sampler = NULL, *db = NULL, *prune_path = NULL;
  size_t budget = 0, batch = SIZE_MAX;
  long seed = 1;
  struct cli_llm4perf lp = {0};
  const struct cli_opt opts[] = {
      {"sampler", 's', OPT_STRING, &sampler, "NAME",
       "sampler to use (see 'llm4perf samplers')"},
      {"budget", 'n', OPT_SIZE, &budget, "N",
       "distinct configurations to measure"},
      {"db", 0, OPT_STRING, &db, "RUN.db", "run database (created or resumed)"},
      {"seed", 0, OPT_INT, &seed, "S", "random seed (default 1)"},
      {"batch", 0, OPT_SIZE, &batch, "B",
       "configurations per measured and stored batch (default 10; "
       "llm4perf: --candidates)"},
      {"prune", 0, OPT_STRING, &prune_path, "DECISIONS.json",
       "hold pruned options fixed (docs/PRUNING.md)"},
      CLI_LLM4PERF_OPTS(&lp),
      {0}};
  int n_args, rc = cli_parse(argc, argv, opts, usage, &n_args);
  if (rc)
    return rc < 0 ? print_samplers() : rc;
  if (n_args != 1)
    return cli_usage_error(cli, "expected one SPEC.json\nusage: %s", usage[0]);
  if (!sampler || !db || budget == 0)
    return cli_usage_error(cli,
                           "--sampler, --budget (> 0) and --db are "
                           "required\nusage: %s",
                           usage[0]);
  if (batch == 0)
    return cli_usage_error(cli, "--batch must be at least 1");
  if (!l4p_sampler_find(sampler))
    return cli_usage_error(cli,
                           "unknown sampler '%s' (see 'llm4perf "
                           "samplers')",
                           sampler);
  if ((rc = cli_llm4perf_read(cli, &lp, sampler)))
    return rc;
  if (batch == SIZE_MAX) /* llm4perf: a stored batch per iteration */
    batch = lp.on ? lp.params.candidates : 10;
  struct l4p_agent *agent = NULL;
  if (lp.on && (rc = cli_llm4perf_agent(cli, &lp, db, &agent)))
    return rc;
  struct l4p_spec *spec;
  l4p_status st = l4p_spec_load(argv[0], &spec);
  if (st) {
    l4p_agent_free(agent);
    return cli_fail(st);
  }
  struct l4p_space *pruned = NULL;
  char *params = NULL, *lp_json = NULL;
  if (prune_path && (st = cli_load_pruning(prune_path, spec, &pruned, &params)))
    rc = cli_fail(st);
  if (!rc && lp.on &&
      (st = l4p_llm4perf_params_json(&lp.params, budget, params, &lp_json)))
    rc = cli_fail(st);
  if (!rc && lp.on) {
    free(params);
    params = lp_json;
  }
  struct l4p_store *store = NULL;
  if (!rc && (st = l4p_store_open(db, &store)))
    rc = cli_fail(st);
  if (rc) {
    l4p_agent_free(agent);
    l4p_space_free(pruned);
    free(params);
    l4p_spec_free(spec);
    return rc;
  }
  struct cli_progress prog;
  cli_progress_start(&prog, cli->progress);
  struct l4p_campaign_opts co = {.sampler = sampler,
                                 .params = params,
                                 .space = pruned,
                                 .budget = budget,
                                 .batch = batch,
                                 .seed = (uint64_t)seed,
                                 .progress = cli_show_progress,
                                 .progress_arg = &prog,
                                 .agent = agent};
  int64_t id = 0;
  st = l4p_campaign_run(spec, store, &co, &id);
  struct l4p_campaign_info *list = NULL;
  size_t n = 0;
  if (!st)
    st = l4p_store_list(store, &list, &n);
  for (size_t k = 0; !st && k < n; k++)
    if (list[k].id == id)
      printf("campaign %" PRId64 ": %s, sampler %s, seed %ld: %zu of %zu "
             "configurations measured%s -> %s\n",
             id, spec->name, sampler, seed, list[k].measured, budget,
             list[k].failed ? " (some failed)" : "", db);
  free(list);
  l4p_store_close(store);
  l4p_agent_free(agent);
  l4p_space_free(pruned);
  free(params);
  l4p_spec_free(spec);
  return st ? cli_fail(st) : CLI_OK;
}
