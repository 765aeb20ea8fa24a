/* "llm4perf run": the main job on a system — sample and measure a budget
 * of configurations through the spec's oracle (live programs included),
 * optionally measure a held-out set of random configurations, train every
 * model and report their accuracy and the predicted Pareto front. Like
 * 'sample', rerunning the same command resumes an interrupted run.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_llm4perf.h"
#include "llm4perf/agent.h"
#include "llm4perf/campaign.h"
#include "llm4perf/sampler.h"
#include "run.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/summary.h"
#include "util/banned.h"

static const char *const usage[] = {
    "llm4perf run SPEC.json --budget N [--sampler S] [--db RUN.db] "
    "[--holdout K] [--seed S] [--models LIST] [--folds K] [--batch B] "
    "[--prune DECISIONS.json] [--work-dir DIR] [--keep-runs] "
    "[llm4perf options] [LLM flags]",
    NULL};

/* The sampler when none is named: LLM4Perf once it is registered. */
static const char *default_sampler(void)
{
  return l4p_sampler_find("llm4perf") ? "llm4perf" : "ddiv";
}

struct settings {
  const char *sampler, *db, *models, *prune, *work_dir;
  size_t budget, holdout, folds, batch;
  long seed;
  bool keep;
  bool progress;
  struct cli_llm4perf lp; /* the llm4perf sampler's flags */
};

static void show_note(const char *line, void *arg)
{
  fprintf(stderr, "llm4perf: %s\n", line);
}

/* "RUN.db" -> "RUN.work": where a live system's inputs and runs go. */
static char *default_work_dir(const char *db)
{
  size_t len = strlen(db);
  if (len > 3 && !strcmp(db + len - 3, ".db"))
    len -= 3;
  char *dir = malloc(len + 6);
  if (dir)
    snprintf(dir, len + 6, "%.*s.work", (int)len, db);
  return dir;
}

/* The models named in list ("xgboost,deepperf"). */
static int parse_models(const struct cli_ctx *cli, const char *list,
                        struct run_ctx *r)
{
  char copy[256];
  snprintf(copy, sizeof copy, "%s", list);
  for (char *name = copy, *next; name && *name; name = next) {
    next = strchr(name, ',');
    if (next)
      *next++ = '\0';
    const struct l4p_model_ops *ops = l4p_model_find(name);
    if (!ops)
      return cli_usage_error(cli, "unknown model '%s'", name);
    if (r->n_models == RUN_MAX_MODELS)
      return cli_usage_error(cli, "at most %d models", RUN_MAX_MODELS);
    r->models[r->n_models++] = ops;
  }
  return r->n_models ? CLI_OK : cli_usage_error(cli, "--models is empty");
}

/* Print why measurements of campaign id failed, most frequent first. */
static void show_failures(struct l4p_store *store, int64_t id)
{
  struct l4p_failure_count *list = NULL;
  size_t n = 0;
  if (l4p_store_failures(store, id, &list, &n) != L4P_OK)
    return;
  for (size_t k = 0; k < n && k < 5; k++)
    fprintf(stderr, "llm4perf: %zu failed: %s\n", list[k].count,
            list[k].reason);
  free(list);
}

/* Run (or resume) one campaign and read its sample. */
static l4p_status measure(const struct settings *s, const struct l4p_spec *spec,
                          struct l4p_store *store, struct l4p_campaign_opts *co,
                          struct l4p_sample *sample)
{
  struct cli_progress progress;
  cli_progress_start(&progress, s->progress);
  co->progress = cli_show_progress;
  co->progress_arg = &progress;
  int64_t id = 0;
  l4p_status st = l4p_campaign_run(spec, store, co, &id);
  if (id)
    show_failures(store, id);
  if (!st)
    st = l4p_store_sample(store, id, spec, sample);
  if (!st)
    printf("campaign %" PRId64 " (%s, seed %" PRIu64 "): %zu of %zu "
           "configurations measured, %zu failed\n",
           id, co->sampler, co->seed, sample->n, co->budget, sample->n_failed);
  fflush(stdout);
  return st;
}

/* "time: 1.2 %, size: 0 %" — the median relative standard deviation of
 * each objective over the configurations, when some were repeated. */
static void show_noise(const struct l4p_spec *spec, const struct l4p_sample *s)
{
  size_t nv = spec->n_objectives, max_reps = 0;
  for (size_t k = 0; k < s->n * nv; k++)
    max_reps = s->reps[k] > max_reps ? s->reps[k] : max_reps;
  if (max_reps < 2)
    return;
  double *col = malloc((s->n + 1) * sizeof *col);
  if (!col)
    return;
  printf("noise (median over configurations of the relative standard "
         "deviation of up to %zu repetitions):",
         max_reps);
  for (size_t j = 0; j < nv; j++) {
    size_t n = 0;
    for (size_t k = 0; k < s->n; k++)
      if (s->reps[k * nv + j] > 1 && isfinite(s->rsd[k * nv + j]))
        col[n++] = s->rsd[k * nv + j];
    printf("%s %s %.2f %%", j ? "," : "", spec->objectives[j].name,
           n ? 100 * l4px_median(col, n) : 0.0);
  }
  printf("\n");
  free(col);
}

/* After measuring: noise, accuracy of each model, the Pareto front. */
static int report(struct run_ctx *r)
{
  show_noise(r->spec, r->train);
  if (r->train->n < 2) {
    fprintf(stderr,
            "llm4perf: error: %zu configurations measured: too few "
            "to train and evaluate a model\n",
            r->train->n);
    return CLI_FAIL;
  }
  size_t best = 0;
  int rc = run_accuracy(r, &best);
  if (!rc)
    rc = run_pareto(r, best);
  run_release(r);
  return rc;
}

/* The sample campaign's parameters into *params, which holds the
 * pruning's identity (or NULL): kept as it is for another sampler; for
 * llm4perf, its parameters' canonical JSON, unless they are the
 * defaults: then the pruning's identity alone, as 'run' wrote it before
 * it took the llm4perf flags, so that a run database made then resumes
 * (and so does a command that spells a default out). */
static l4p_status sample_params(const struct settings *s, char **params)
{
  if (!s->lp.on)
    return L4P_OK;
  struct l4p_llm4perf_params defaults;
  l4p_llm4perf_params_init(&defaults);
  char *given = NULL, *plain = NULL;
  l4p_status st =
      l4p_llm4perf_params_json(&s->lp.params, s->budget, *params, &given);
  if (!st)
    st = l4p_llm4perf_params_json(&defaults, s->budget, *params, &plain);
  if (!st && strcmp(given, plain) != 0) {
    free(*params);
    *params = given;
    given = NULL;
  }
  free(given);
  free(plain);
  return st;
}

/* What the sample campaign needs besides the spec: the pruned space (or
 * NULL), its parameters and the llm4perf sampler's agent (or NULL). */
static int prepare(const struct cli_ctx *cli, const struct settings *s,
                   const struct l4p_spec *spec, struct l4p_space **pruned,
                   char **params, struct l4p_agent **agent)
{
  l4p_status st = L4P_OK;
  if (s->prune)
    st = cli_load_pruning(s->prune, spec, pruned, params);
  if (!st)
    st = sample_params(s, params);
  if (st)
    return cli_fail(st);
  return s->lp.on ? cli_llm4perf_agent(cli, &s->lp, s->db, agent) : CLI_OK;
}

/* Measure the sample campaign co (its oracle set here), hold out,
 * report. */
static int run_campaigns(const struct settings *s, struct run_ctx *r,
                         struct l4p_spec *spec, struct l4p_campaign_opts *co)
{
  char *work = NULL, *self = l4px_self_path();
  struct l4p_store *store = NULL;
  struct l4p_sample train = {0}, held = {0};
  l4p_status st = L4P_OK;
  if (!(work = s->work_dir ? strdup(s->work_dir) : default_work_dir(s->db)))
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st)
    st = l4p_store_open(s->db, &store);
  struct l4p_oracle_opts oo = {work, self, s->keep, show_note, NULL};
  co->oracle = &oo;
  printf("run: %s, sampler %s, budget %zu, seed %ld -> %s\n", spec->name,
         s->sampler, s->budget, s->seed, s->db);
  fflush(stdout); /* before the notes and progress on stderr */
  if (!st)
    st = measure(s, spec, store, co, &train);
  /* the held-out set: random configurations, a campaign of its own */
  struct l4p_campaign_opts ho = *co;
  ho.sampler = "random";
  ho.params = "{\"holdout\":true}";
  ho.budget = s->holdout;
  ho.seed = (uint64_t)s->seed + 1000003; /* other draws than the sample's */
  ho.agent = NULL;
  if (!st && s->holdout)
    st = measure(s, spec, store, &ho, &held);
  int rc = st ? cli_fail(st) : CLI_OK;
  r->spec = spec;
  r->space = co->space ? co->space : spec->space;
  r->train = &train;
  r->holdout = s->holdout ? &held : NULL;
  if (!rc)
    rc = report(r);
  l4p_sample_release(&train);
  l4p_sample_release(&held);
  l4p_store_close(store);
  free(work);
  free(self);
  return rc;
}

/* Everything after parsing: prepare the sample campaign, measure, hold
 * out, report. */
static int execute(const struct cli_ctx *cli, const struct settings *s,
                   struct run_ctx *r, struct l4p_spec *spec)
{
  struct l4p_space *pruned = NULL;
  char *params = NULL;
  struct l4p_agent *agent = NULL;
  int rc = prepare(cli, s, spec, &pruned, &params, &agent);
  struct l4p_campaign_opts co = {.sampler = s->sampler,
                                 .params = params,
                                 .space = pruned,
                                 .budget = s->budget,
                                 .batch = s->batch,
                                 .seed = (uint64_t)s->seed,
                                 .agent = agent};
  if (!rc)
    rc = run_campaigns(s, r, spec, &co);
  l4p_agent_free(agent);
  l4p_space_free(pruned);
  free(params);
  return rc;
}

/* Entry point of "llm4perf run" (docs/cli/run.md); returns the exit
 * code. */
int cmd_run(int argc, char **argv, struct cli_ctx *cli)
{
  struct settings s = {
      .models = "xgboost,deepperf", .folds = 5, .batch = 5, .seed = 1};
  const struct cli_opt opts[] = {
      {"budget", 'n', OPT_SIZE, &s.budget, "N",
       "distinct configurations to measure"},
      {"sampler", 's', OPT_STRING, &s.sampler, "S",
       "sampler (default: llm4perf when available, else ddiv)"},
      {"db", 0, OPT_STRING, &s.db, "RUN.db",
       "run database (default: SYSTEM.db; reused to resume)"},
      {"holdout", 0, OPT_SIZE, &s.holdout, "K",
       "also measure K random configurations to test the models on"},
      {"seed", 0, OPT_INT, &s.seed, "S", "random seed (default 1)"},
      {"models", 'm', OPT_STRING, &s.models, "LIST",
       "models to train (default xgboost,deepperf)"},
      {"folds", 0, OPT_SIZE, &s.folds, "K",
       "cross-validation folds (default 5)"},
      {"batch", 0, OPT_SIZE, &s.batch, "B",
       "configurations per measured and stored batch (default 5)"},
      {"prune", 0, OPT_STRING, &s.prune, "DECISIONS.json",
       "hold pruned options fixed (docs/PRUNING.md)"},
      {"work-dir", 0, OPT_STRING, &s.work_dir, "DIR",
       "live systems: inputs and runs (default: RUN.work)"},
      {"keep-runs", 0, OPT_BOOL, &s.keep, NULL,
       "live systems: keep each run's directory"},
      CLI_LLM4PERF_OPTS(&s.lp),
      {0}};
  int n_args, rc = cli_parse(argc, argv, opts, usage, &n_args);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  if (n_args != 1 || s.budget == 0)
    return cli_usage_error(cli,
                           "expected SPEC.json and --budget N (> 0)\n"
                           "usage: %s",
                           usage[0]);
  if (s.batch == 0 || s.folds < 2)
    return cli_usage_error(cli, "--batch must be at least 1 and --folds at "
                                "least 2");
  if (!s.sampler)
    s.sampler = default_sampler();
  if (!l4p_sampler_find(s.sampler))
    return cli_usage_error(cli,
                           "unknown sampler '%s' (see 'llm4perf "
                           "samplers')",
                           s.sampler);
  if ((rc = cli_llm4perf_read(cli, &s.lp, s.sampler)))
    return rc;
  struct run_ctx r = {.folds = s.folds, .seed = (uint64_t)s.seed};
  if ((rc = parse_models(cli, s.models, &r)))
    return rc;
  s.progress = cli->progress;
  struct l4p_spec *spec;
  l4p_status st = l4p_spec_load(argv[0], &spec);
  if (st)
    return cli_fail(st);
  char *db = NULL;
  if (!s.db) {
    size_t size = strlen(spec->name) + 4;
    if ((db = malloc(size)))
      snprintf(db, size, "%s.db", spec->name);
    s.db = db;
  }
  rc = s.db ? execute(cli, &s, &r, spec)
            : cli_fail(l4p_failf(L4P_ENOMEM, "out of memory"));
  free(db);
  l4p_spec_free(spec);
  return rc;
}
