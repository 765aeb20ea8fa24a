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
#include "cli_llm.h"
#include "llm4perf/agent.h"
#include "llm4perf/campaign.h"
#include "llm4perf/llm4perf_sampler.h"
#include "llm4perf/prune.h"
#include "llm4perf/sampler.h"
#include "llm4perf/spec.h"
#include "llm4perf/store.h"
#include "util/banned.h"

static const char *const usage[] = {
    "llm4perf sample SPEC.json --sampler NAME --budget N --db RUN.db "
    "[--seed S] [--batch B] [--prune DECISIONS.json] [llm4perf options] "
    "[LLM flags]",
    NULL};

/* The llm4perf sampler's flags (docs/LLM4PERF.md). */
struct lp_flags {
  const char *agent;
  struct cli_list roles; /* --role ROLE=AGENT, in order */
  size_t candidates, generators, initial;
  bool no_feedback, no_prune;
  const char *voting;
  struct cli_llm llm;
};

/* Were any llm4perf flags given? */
static bool lp_given(const struct lp_flags *f)
{
  return f->agent || f->roles.n || f->candidates || f->generators ||
         f->initial || f->no_feedback || f->no_prune || f->voting ||
         f->llm.sets.n || f->llm.config || f->llm.cache;
}

/* The llm4perf parameters from the flags into p (its canonical JSON, the
 * campaign's identity, is written once the budget and the pruning are
 * known). */
static int lp_read(const struct cli_ctx *cli, const struct lp_flags *f,
                   struct l4p_llm4perf_params *p)
{
  l4p_llm4perf_params_init(p);
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
  for (size_t k = 0; !rc && k < f->roles.n; k++) {
    const char *arg = f->roles.items[k], *eq = strchr(arg, '=');
    char role[32];
    if (!eq || eq - arg >= (long)sizeof role)
      return cli_usage_error(cli,
                             "--role '%s': expected ROLE=AGENT, e.g. "
                             "analyze=llm",
                             arg);
    snprintf(role, sizeof role, "%.*s", (int)(eq - arg), arg);
    if (l4p_llm4perf_params_set_role(p, role, eq + 1))
      rc = cli_usage_error(cli, "--role: %s", l4p_last_error());
  }
  return rc;
}

/* The agent playing the roles as p says (one per role when --role
 * mixes them), the llm agent with the LLM flags' settings. */
static int lp_agent(const struct cli_ctx *cli, const struct lp_flags *f,
                    const struct l4p_llm4perf_params *p, const char *db,
                    struct l4p_agent **agent)
{
  const char *names[L4P_ROLE_COUNT];
  l4p_llm4perf_agent_names(p, names);
  bool llm = l4p_llm4perf_uses_agent(p, "llm");
  struct l4p_llm_settings *settings = NULL;
  struct l4p_agent_options options;
  int rc = cli_llm_options(cli, &f->llm, llm ? "llm" : p->agent, db, 0,
                           &settings, &options);
  if (rc)
    return rc;
  l4p_status st = l4p_agent_new_per_role(names, &options, agent);
  l4p_llm_settings_free(settings);
  return st ? cli_fail(st) : CLI_OK;
}

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
  struct lp_flags lp = {0};
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
      {"agent", 0, OPT_STRING, &lp.agent, "NAME",
       "llm4perf: agent playing the roles, builtin (default) or llm"},
      {"role", 0, OPT_LIST, &lp.roles, "ROLE=AGENT",
       "llm4perf: agent playing one role (filter, analyze, design, "
       "generate) instead, e.g. analyze=llm (repeatable)"},
      {"candidates", 0, OPT_SIZE, &lp.candidates, "N",
       "llm4perf: configurations measured per iteration (default 7)"},
      {"generators", 0, OPT_SIZE, &lp.generators, "N",
       "llm4perf: generators run concurrently, voting (default 3)"},
      {"initial", 0, OPT_SIZE, &lp.initial, "N",
       "llm4perf: initial batch (default max(candidates, budget/10))"},
      {"no-feedback", 0, OPT_BOOL, &lp.no_feedback, NULL,
       "llm4perf: keep the first analysis' strategy for every iteration"},
      {"voting", 0, OPT_STRING, &lp.voting, "MODE",
       "llm4perf: agreement+distance (default), agreement (ties in "
       "order) or none (one generator, no voting)"},
      {"no-prune", 0, OPT_BOOL, &lp.no_prune, NULL,
       "llm4perf: skip the filter role (no options pruned)"},
      CLI_LLM_OPTS(&lp.llm),
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
  bool is_lp = strcmp(sampler, "llm4perf") == 0;
  if (!is_lp && lp_given(&lp))
    return cli_usage_error(cli, "--agent, --role, --candidates, "
                                "--generators, --initial, --no-feedback, "
                                "--voting, --no-prune and the LLM flags need "
                                "--sampler llm4perf");
  if (batch == SIZE_MAX) /* llm4perf: a stored batch per iteration */
    batch = is_lp ? (lp.candidates ? lp.candidates : 7) : 10;
  struct l4p_agent *agent = NULL;
  struct l4p_llm4perf_params par;
  l4p_llm4perf_params_init(&par);
  if (is_lp && ((rc = lp_read(cli, &lp, &par)) ||
                (rc = lp_agent(cli, &lp, &par, db, &agent))))
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
  if (!rc && is_lp &&
      (st = l4p_llm4perf_params_json(&par, budget, params, &lp_json)))
    rc = cli_fail(st);
  if (!rc && is_lp) {
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
