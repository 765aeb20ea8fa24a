/* "llm4perf sample": run (or resume) a sampling campaign on a system and
 * store every measurement in a run database. Rerunning the same command
 * after an interruption completes the campaign.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"
#include "llm4perf/campaign.h"
#include "llm4perf/prune.h"
#include "llm4perf/sampler.h"
#include "llm4perf/spec.h"
#include "llm4perf/store.h"
#include "util/banned.h"

static const char *const usage[] = {
    "llm4perf sample SPEC.json --sampler NAME --budget N --db RUN.db "
    "[--seed S] [--batch B] [--prune DECISIONS.json]",
    NULL};

struct progress {
  bool show;
  struct timespec start;
};

static void show_progress(size_t measured, size_t budget, void *arg)
{
  struct progress *p = arg;
  if (!p->show)
    return;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  double elapsed = (double)(now.tv_sec - p->start.tv_sec) +
                   (double)(now.tv_nsec - p->start.tv_nsec) / 1e9;
  double eta = measured ? elapsed * (double)(budget - measured) /
                              (double)measured : 0;
  fprintf(stderr, "\r%zu/%zu measured, %.0fs elapsed, ETA %.0fs   ",
          measured, budget, elapsed, eta);
  if (measured >= budget)
    fprintf(stderr, "\n");
}

/* The pruned space and the campaign parameters naming the pruning, so a
 * pruned campaign never resumes an unpruned one (or one pruned
 * differently). */
static l4p_status load_pruning(const char *path, const struct l4p_spec *spec,
                               struct l4p_space **pruned, char **params)
{
  struct l4p_prune p;
  l4p_status st = l4p_prune_load(path, spec, &p);
  if (st)
    return st;
  if (!(st = l4p_prune_apply(&p, spec, pruned)) &&
      (st = l4p_prune_identity(&p, spec, params))) {
    l4p_space_free(*pruned);
    *pruned = NULL;
  }
  l4p_prune_release(&p);
  return st;
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
  size_t budget = 0, batch = 10;
  long seed = 1;
  const struct cli_opt opts[] = {
      {"sampler", 's', OPT_STRING, &sampler, "NAME",
       "sampler to use (see 'llm4perf samplers')"},
      {"budget", 'n', OPT_SIZE, &budget, "N",
       "distinct configurations to measure"},
      {"db", 0, OPT_STRING, &db, "RUN.db", "run database (created or resumed)"},
      {"seed", 0, OPT_INT, &seed, "S", "random seed (default 1)"},
      {"batch", 0, OPT_SIZE, &batch, "B",
       "configurations per measured and stored batch (default 10)"},
      {"prune", 0, OPT_STRING, &prune_path, "DECISIONS.json",
       "hold pruned options fixed (docs/PRUNING.md)"},
      {0}};
  int n_args, rc = cli_parse(argc, argv, opts, usage, &n_args);
  if (rc)
    return rc < 0 ? print_samplers() : rc;
  if (n_args != 1)
    return cli_usage_error(cli, "expected one SPEC.json\nusage: %s", usage[0]);
  if (!sampler || !db || budget == 0)
    return cli_usage_error(cli, "--sampler, --budget (> 0) and --db are "
                           "required\nusage: %s", usage[0]);
  if (batch == 0)
    return cli_usage_error(cli, "--batch must be at least 1");
  if (!l4p_sampler_find(sampler))
    return cli_usage_error(cli, "unknown sampler '%s' (see 'llm4perf "
                           "samplers')", sampler);
  struct l4p_spec *spec;
  l4p_status st = l4p_spec_load(argv[0], &spec);
  if (st)
    return cli_fail(st);
  struct l4p_space *pruned = NULL;
  char *params = NULL;
  if (prune_path && (st = load_pruning(prune_path, spec, &pruned, &params))) {
    l4p_spec_free(spec);
    return cli_fail(st);
  }
  struct l4p_store *store;
  if ((st = l4p_store_open(db, &store))) {
    l4p_space_free(pruned);
    free(params);
    l4p_spec_free(spec);
    return cli_fail(st);
  }
  struct progress prog = {cli->progress, {0, 0}};
  clock_gettime(CLOCK_MONOTONIC, &prog.start);
  struct l4p_campaign_opts co = {
      .sampler = sampler, .params = params, .space = pruned,
      .budget = budget, .batch = batch,
      .seed = (uint64_t)seed, .progress = show_progress,
      .progress_arg = &prog};
  int64_t id = 0;
  st = l4p_campaign_run(spec, store, &co, &id);
  struct l4p_campaign_info *list = NULL;
  size_t n = 0;
  if (!st)
    st = l4p_store_list(store, &list, &n);
  for (size_t k = 0; !st && k < n; k++)
    if (list[k].id == id)
      printf("campaign %" PRId64 ": %s, sampler %s, seed %ld: %zu of %zu "
             "configurations measured%s -> %s\n", id, spec->name, sampler,
             seed, list[k].measured, budget,
             list[k].failed ? " (some failed)" : "", db);
  free(list);
  l4p_store_close(store);
  l4p_space_free(pruned);
  free(params);
  l4p_spec_free(spec);
  return st ? cli_fail(st) : CLI_OK;
}
