/* "llm4perf evaluate": score a model file on a table-backed system as the
 * evaluation protocol does (METHOD.md): predict every configuration of the
 * table that is not in the training sample and report, per objective,
 * RMSE, RMSE over the objective's range and MRE %.
 * SPDX-License-Identifier: MIT */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "llm4perf/metrics.h"
#include "llm4perf/model.h"
#include "llm4perf/table.h"
#include "util/failf.h"
#include "util/banned.h"

static const char *const usage[] = {
    "llm4perf evaluate SPEC.json MODEL.json [--db RUN.db [--campaign ID]] "
    "[--json]",
    NULL};

/* One objective's scores. */
struct score {
  size_t rows, zero;
  double rmse, nrmse, mre;
};

/* The table rows not in the sample (all rows without one) into a new
 * array; *n_sample counts the sample's configurations found in the
 * table. NULL when out of memory. */
static size_t *test_rows(const struct l4p_table *t, const struct l4p_sample *s,
                         size_t *n_test, size_t *n_sample)
{
  bool *taken = calloc(t->n_rows + 1, sizeof *taken);
  size_t *rows = malloc((t->n_rows + 1) * sizeof *rows);
  *n_test = *n_sample = 0;
  if (!taken || !rows) {
    free(taken);
    free(rows);
    return NULL;
  }
  for (size_t k = 0; k < s->n; k++) {
    long r = l4p_table_find(t, s->configs + k * s->n_options);
    if (r >= 0 && !taken[r]) {
      taken[r] = true;
      (*n_sample)++;
    }
  }
  for (size_t r = 0; r < t->n_rows; r++)
    if (!taken[r])
      rows[(*n_test)++] = r;
  free(taken);
  return rows;
}

/* Predict the test rows and score each objective into sc. */
static l4p_status score_all(const struct l4p_mo_model *mo,
                            const struct l4p_table *t, const size_t *rows,
                            size_t n, struct score *sc)
{
  size_t no = t->n_options, nv = t->n_objectives;
  double *cfgs = malloc(n * no * sizeof *cfgs);
  double *pred = malloc(n * nv * sizeof *pred);
  double *p = malloc(n * sizeof *p), *truth = malloc(n * sizeof *truth);
  double *all = malloc(t->n_rows * sizeof *all);
  l4p_status st = L4P_OK;
  if (!cfgs || !pred || !p || !truth || !all)
    st = l4p_failf(L4P_ENOMEM, "out of memory evaluating");
  for (size_t k = 0; !st && k < n; k++)
    memcpy(cfgs + k * no, t->configs + rows[k] * no, no * sizeof *cfgs);
  if (!st)
    st = l4p_mo_predict(mo, cfgs, n, pred);
  for (size_t j = 0; !st && j < nv; j++) {
    for (size_t r = 0; r < t->n_rows; r++)
      all[r] = t->values[r * nv + j];
    sc[j].rows = 0;
    for (size_t k = 0; k < n; k++) {
      p[k] = pred[k * nv + j];
      truth[k] = t->values[rows[k] * nv + j];
      sc[j].rows += !isnan(truth[k]);
    }
    sc[j].rmse = l4p_metrics_rmse(p, truth, n);
    sc[j].nrmse =
        l4p_metrics_nrmse(p, truth, n, l4p_metrics_range(all, t->n_rows));
    sc[j].mre = l4p_metrics_mre(p, truth, n, &sc[j].zero);
  }
  free(cfgs);
  free(pred);
  free(p);
  free(truth);
  free(all);
  return st;
}

static void print_text(const struct l4p_spec *spec, const struct score *sc,
                       size_t n_test, size_t n_sample, bool have_sample)
{
  if (have_sample)
    printf("%zu configurations not in the sample (%zu sampled)\n", n_test,
           n_sample);
  else
    printf("%zu configurations (the whole table)\n", n_test);
  printf("%-20s %12s %10s %9s %7s %7s\n", "objective", "rmse", "nrmse", "mre%",
         "rows", "zero");
  for (size_t j = 0; j < spec->n_objectives; j++)
    printf("%-20s %12.6g %10.4f %9.2f %7zu %7zu\n", spec->objectives[j].name,
           sc[j].rmse, sc[j].nrmse, sc[j].mre, sc[j].rows, sc[j].zero);
  for (size_t j = 0; j < spec->n_objectives; j++)
    if (sc[j].zero)
      printf("%s: %zu rows with a true value of 0 left out of the MRE\n",
             spec->objectives[j].name, sc[j].zero);
}

/* NAN (a metric over no rows) becomes JSON null. */
static json_t *number(double v)
{
  return isnan(v) ? json_null() : json_real(v);
}

static int print_json(const struct l4p_spec *spec, const struct score *sc,
                      size_t n_test, size_t n_sample, int64_t campaign)
{
  json_t *objs = json_array();
  for (size_t j = 0; objs && j < spec->n_objectives; j++)
    json_array_append_new(
        objs, json_pack("{s:s, s:o, s:o, s:o, s:I, s:I}", "name",
                        spec->objectives[j].name, "rmse", number(sc[j].rmse),
                        "nrmse", number(sc[j].nrmse), "mre", number(sc[j].mre),
                        "rows", (json_int_t)sc[j].rows, "zero_skipped",
                        (json_int_t)sc[j].zero));
  json_t *root =
      json_pack("{s:s, s:I, s:I, s:I, s:o}", "system", spec->name, "campaign",
                (json_int_t)campaign, "sampled", (json_int_t)n_sample,
                "evaluated", (json_int_t)n_test, "objectives", objs);
  char *text =
      root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
  json_decref(root);
  if (!text)
    return cli_fail(l4p_failf(L4P_ENOMEM, "out of memory"));
  printf("%s\n", text);
  free(text);
  return CLI_OK;
}

/* Entry point of "llm4perf evaluate" (see docs/cli/evaluate.md); returns
 * the exit code. */
int cmd_evaluate(int argc, char **argv, struct cli_ctx *cli)
{
  const char *db = NULL;
  long campaign = 0;
  bool as_json = false;
  const struct cli_opt opts[] = {
      {"db", 0, OPT_STRING, &db, "RUN.db",
       "leave out the configurations the model was trained on"},
      {"campaign", 'c', OPT_INT, &campaign, "ID",
       "campaign of RUN.db (needed when it holds several)"},
      {"json", 0, OPT_BOOL, &as_json, NULL, "print JSON"},
      {0}};
  int n_args, rc = cli_parse(argc, argv, opts, usage, &n_args);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  if (n_args != 2)
    return cli_usage_error(cli, "expected SPEC.json MODEL.json\nusage: %s",
                           usage[0]);
  if (campaign && !db)
    return cli_usage_error(cli, "--campaign needs --db");
  struct l4p_spec *spec = NULL;
  struct l4p_mo_model *mo = NULL;
  struct l4p_table *t = NULL;
  struct l4p_sample sample = {0};
  int64_t id = 0;
  l4p_status st = l4p_spec_load(argv[0], &spec);
  if (!st)
    st = l4p_mo_load(spec, argv[1], &mo);
  if (!st)
    st = l4p_table_load_for(spec, &t);
  if (st)
    rc = cli_fail(st);
  if (!rc && db)
    rc = cli_read_sample(db, campaign, spec, &sample, &id);
  size_t n_test = 0, n_sample = 0, *rows = NULL;
  struct score *sc = NULL;
  if (!rc) {
    rows = test_rows(t, &sample, &n_test, &n_sample);
    sc = calloc(spec->n_objectives, sizeof *sc);
    if (!rows || !sc)
      rc = cli_fail(l4p_failf(L4P_ENOMEM, "out of memory"));
    else if (n_test == 0)
      rc = cli_fail(l4p_failf(L4P_EUSAGE,
                              "every configuration of the table "
                              "is in the sample: nothing to evaluate on"));
  }
  if (!rc && (st = score_all(mo, t, rows, n_test, sc)))
    rc = cli_fail(st);
  if (!rc && !db)
    fprintf(stderr, "llm4perf: note: no --db given: scoring every row of "
                    "the table, training rows included\n");
  if (!rc && as_json)
    rc = print_json(spec, sc, n_test, n_sample, id);
  else if (!rc)
    print_text(spec, sc, n_test, n_sample, db != NULL);
  free(rows);
  free(sc);
  l4p_sample_release(&sample);
  l4p_table_free(t);
  l4p_mo_free(mo);
  l4p_spec_free(spec);
  return rc;
}
