/* "llm4perf predict": a trained model file's predictions for the
 * configurations of a CSV (one column per option, by name), written as
 * the same CSV with one more column per objective.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "llm4perf/model.h"
#include "llm4perf/spec.h"
#include "util/csv.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

static const char *const usage[] = {
    "llm4perf predict MODEL.json SPEC.json CONFIGS.csv [-o OUT.csv]", NULL};

/* cols[i]: the CSV column of option i. Every column must be an option and
 * every option present, so a misspelt name is an error, not a default. */
static l4p_status map_columns(const struct l4px_csv *csv,
                              const struct l4p_spec *spec, int *cols)
{
  size_t no = l4p_space_n_options(spec->space);
  for (size_t c = 0; c < csv->n_cols; c++) {
    const char *name = csv->header[c];
    if (l4p_space_find(spec->space, name) >= 0)
      continue;
    if (l4p_spec_find_objective(spec, name) >= 0)
      return l4p_failf(L4P_EPARSE,
                       "%s:1: column '%s' is an objective; "
                       "predictions are written under that name",
                       csv->path, name);
    return l4p_failf(L4P_EPARSE,
                     "%s:1: column '%s' is not an option of "
                     "'%s'",
                     csv->path, name, spec->name);
  }
  for (size_t i = 0; i < no; i++) {
    const char *name = l4p_space_option(spec->space, i)->name;
    cols[i] = l4px_csv_column(csv, name);
    if (cols[i] < 0)
      return l4p_failf(L4P_EPARSE, "%s:1: missing column '%s'", csv->path,
                       name);
  }
  return L4P_OK;
}

/* Prefix the library's message ("option 'level': value '12' is outside
 * [1, 9]") with the file and line of row r. */
static l4p_status at_line(l4p_status st, const struct l4px_csv *csv, size_t r)
{
  char said[768];
  snprintf(said, sizeof said, "%s", l4p_last_error());
  return l4p_failf(st, "%s:%d: %s", csv->path, csv->line[r], said);
}

/* Row r's configuration, checked against the space; errors name the file,
 * line and column. */
static l4p_status parse_row(const struct l4px_csv *csv, size_t r,
                            const struct l4p_spec *spec, const int *cols,
                            double *cfg)
{
  size_t no = l4p_space_n_options(spec->space);
  for (size_t i = 0; i < no; i++) {
    const char *cell = l4px_csv_cell(csv, r, (size_t)cols[i]);
    l4p_status st = l4p_value_parse(spec->space, i, cell, &cfg[i]);
    if (st)
      return at_line(st, csv, r);
  }
  l4p_status st = l4p_space_validate(spec->space, cfg);
  return st ? at_line(st, csv, r) : L4P_OK;
}

/* The input CSV, cell for cell, with the predictions appended. */
static char *render(const struct l4px_csv *csv, const struct l4p_spec *spec,
                    const double *pred)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  size_t nv = spec->n_objectives;
  for (size_t c = 0; c < csv->n_cols; c++) {
    l4px_sb_csv_field(&sb, csv->header[c], ',');
    l4px_sb_putc(&sb, ',');
  }
  for (size_t j = 0; j < nv; j++) {
    l4px_sb_csv_field(&sb, spec->objectives[j].name, ',');
    l4px_sb_putc(&sb, j + 1 < nv ? ',' : '\n');
  }
  for (size_t r = 0; r < csv->n_rows; r++) {
    for (size_t c = 0; c < csv->n_cols; c++) {
      l4px_sb_csv_field(&sb, l4px_csv_cell(csv, r, c), ',');
      l4px_sb_putc(&sb, ',');
    }
    /* 9 significant digits: XGBoost predicts in float32 */
    for (size_t j = 0; j < nv; j++)
      l4px_sb_printf(&sb, "%.9g%c", pred[r * nv + j], j + 1 < nv ? ',' : '\n');
  }
  return l4px_sb_detach(&sb);
}

/* Parse, predict and render; *text is the output CSV. */
static l4p_status predict_csv(const struct l4p_spec *spec,
                              const struct l4p_mo_model *mo,
                              const struct l4px_csv *csv, char **text)
{
  size_t no = l4p_space_n_options(spec->space), n = csv->n_rows;
  int *cols = malloc((no + 1) * sizeof *cols);
  double *cfgs = malloc((n ? n : 1) * (no + 1) * sizeof *cfgs);
  double *pred = malloc((n ? n : 1) * spec->n_objectives * sizeof *pred);
  l4p_status st = L4P_OK;
  if (!cols || !cfgs || !pred)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st)
    st = map_columns(csv, spec, cols);
  for (size_t r = 0; !st && r < n; r++)
    st = parse_row(csv, r, spec, cols, cfgs + r * no);
  if (!st)
    st = l4p_mo_predict(mo, cfgs, n, pred);
  if (!st && !(*text = render(csv, spec, pred)))
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  free(cols);
  free(cfgs);
  free(pred);
  return st;
}

/* Entry point of "llm4perf predict" (see docs/cli/predict.md); returns the
 * exit code. */
int cmd_predict(int argc, char **argv, struct cli_ctx *cli)
{
  const char *out_path = NULL;
  const struct cli_opt opts[] = {
      {"output", 'o', OPT_STRING, &out_path, "OUT.csv",
       "write to OUT.csv instead of standard output"},
      {0}};
  int n_args, rc = cli_parse(argc, argv, opts, usage, &n_args);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  if (n_args != 3)
    return cli_usage_error(cli,
                           "expected MODEL.json SPEC.json CONFIGS.csv"
                           "\nusage: %s",
                           usage[0]);
  struct l4p_spec *spec = NULL;
  struct l4p_mo_model *mo = NULL;
  struct l4px_csv csv = {0};
  char *text = NULL;
  l4p_status st = l4p_spec_load(argv[1], &spec);
  if (!st)
    st = l4p_mo_load(spec, argv[0], &mo);
  if (!st)
    st = l4px_csv_read(&csv, argv[2], 0);
  if (!st)
    st = predict_csv(spec, mo, &csv, &text);
  if (st) {
    rc = cli_fail(st);
  } else {
    FILE *out = out_path ? fopen(out_path, "w") : stdout;
    bool bad = !out || fputs(text, out) == EOF;
    if (out && out != stdout)
      bad |= fclose(out) != 0;
    if (bad) {
      fprintf(stderr, "llm4perf: error: cannot write '%s': %s\n",
              out_path ? out_path : "standard output", strerror(errno));
      rc = CLI_FAIL;
    }
  }
  free(text);
  l4px_csv_release(&csv);
  l4p_mo_free(mo);
  l4p_spec_free(spec);
  return rc;
}
