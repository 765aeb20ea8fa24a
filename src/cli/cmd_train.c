/* "llm4perf train": fit one performance model per objective on a measured
 * sample — a campaign of a run database, or a CSV of configurations and
 * objective values — and save them all in one model file for 'predict'
 * and 'evaluate'.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "llm4perf/model.h"
#include "llm4perf/table.h"
#include "util/banned.h"

static const char *const usage[] = {
    "llm4perf train SPEC.json (--db RUN.db [--campaign ID] | --csv "
    "SAMPLE.csv) --model NAME [--profile full|fast] [--tune] [--seed S] "
    "[--threads T] -o MODEL.json",
    NULL};

/* A sample to train on, from either source. */
struct training {
  size_t n;
  const double *configs, *values;
  struct l4p_sample sample; /* --db */
  struct l4p_table *table;  /* --csv */
};

static int usage_models(const struct cli_ctx *cli, const char *name)
{
  char known[256] = "";
  size_t len = 0;
  for (size_t k = 0; k < l4p_model_count() && len < sizeof known; k++)
    len += (size_t)snprintf(known + len, sizeof known - len, "%s%s",
                            k ? ", " : "", l4p_model_at(k)->name);
  return cli_usage_error(cli, "unknown model '%s' (known: %s)", name, known);
}

/* "time: 60, size: 58" */
static void print_rows(const struct l4p_spec *spec, const struct training *t)
{
  size_t nv = spec->n_objectives;
  for (size_t j = 0; j < nv; j++) {
    size_t rows = 0;
    for (size_t r = 0; r < t->n; r++)
      rows += !isnan(t->values[r * nv + j]);
    printf("%s%s: %zu", j ? ", " : "", spec->objectives[j].name, rows);
  }
}

/* Entry point of "llm4perf train" (see docs/cli/train.md); returns the
 * exit code. */
int cmd_train(int argc, char **argv, struct cli_ctx *cli)
{
  const char *db = NULL, *csv = NULL, *model = NULL, *profile = "full";
  const char *out = NULL;
  long campaign = 0, seed = 1, threads = 1;
  bool tune = false;
  const struct cli_opt opts[] = {
      {"db", 0, OPT_STRING, &db, "RUN.db", "train on a run's measurements"},
      {"campaign", 'c', OPT_INT, &campaign, "ID",
       "campaign of RUN.db (needed when it holds several)"},
      {"csv", 0, OPT_STRING, &csv, "SAMPLE.csv",
       "train on a CSV with option and objective columns"},
      {"model", 'm', OPT_STRING, &model, "NAME", "xgboost or deepperf"},
      {"profile", 0, OPT_STRING, &profile, "P",
       "full (the published recipe, default) or fast"},
      {"tune", 0, OPT_BOOL, &tune, NULL,
       "xgboost: choose hyper-parameters by cross-validation"},
      {"seed", 0, OPT_INT, &seed, "S", "random seed (default 1)"},
      {"threads", 0, OPT_INT, &threads, "T",
       "threads per model (default 1; 0 keeps OpenBLAS's setting "
       "for deepperf)"},
      {"output", 'o', OPT_STRING, &out, "MODEL.json", "model file to write"},
      {0}};
  int n_args, rc = cli_parse(argc, argv, opts, usage, &n_args);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  if (n_args != 1)
    return cli_usage_error(cli, "expected one SPEC.json\nusage: %s", usage[0]);
  if (!db == !csv)
    return cli_usage_error(cli, "give either --db or --csv\nusage: %s",
                           usage[0]);
  if (campaign && !db)
    return cli_usage_error(cli, "--campaign needs --db");
  if (!model || !out)
    return cli_usage_error(cli, "--model and -o are required\nusage: %s",
                           usage[0]);
  const struct l4p_model_ops *ops = l4p_model_find(model);
  if (!ops)
    return usage_models(cli, model);
  if (strcmp(profile, "full") && strcmp(profile, "fast"))
    return cli_usage_error(cli, "--profile must be full or fast, not '%s'",
                           profile);
  if (threads < 0 || threads > 4096)
    return cli_usage_error(cli, "--threads must be in [0, 4096]");

  struct l4p_spec *spec;
  l4p_status st = l4p_spec_load(argv[0], &spec);
  if (st)
    return cli_fail(st);
  struct training t = {0};
  int64_t id = 0;
  if (db) {
    rc = cli_read_sample(db, campaign, spec, &t.sample, &id);
    t.n = t.sample.n;
    t.configs = t.sample.configs;
    t.values = t.sample.values;
  } else if ((st = l4p_table_load(spec, csv, &t.table))) {
    rc = cli_fail(st);
  } else {
    t.n = t.table->n_rows;
    t.configs = t.table->configs;
    t.values = t.table->values;
  }
  struct l4p_model_params params = {
      .profile = strcmp(profile, "fast") ? L4P_PROFILE_FULL : L4P_PROFILE_FAST,
      .seed = (uint64_t)seed,
      .threads = (int)threads,
      .tune = tune};
  struct l4p_mo_model *mo = NULL;
  if (!rc &&
      (st = l4p_mo_fit(spec, ops, &params, t.configs, t.values, t.n, &mo)))
    rc = cli_fail(st);
  if (!rc && (st = l4p_mo_save(mo, out)))
    rc = cli_fail(st);
  if (!rc) {
    printf("trained %s on %zu configurations of %s (", ops->name, t.n,
           spec->name);
    print_rows(spec, &t);
    printf(") -> %s\n", out);
  }
  l4p_mo_free(mo);
  l4p_sample_release(&t.sample);
  l4p_table_free(t.table);
  l4p_spec_free(spec);
  return rc;
}
