/* The command oracle: measures a configuration by running the real
 * program (docs/LIVE.md). Opening it checks the spec's description, makes
 * the work directory and prepares the inputs; measuring a configuration
 * runs the warm-up runs (thrown away), then the repetitions — more of
 * them while an objective's relative standard deviation stays above the
 * spec's limit — and reports each objective's median. Any failed run
 * fails the whole measurement, with its reason, so a crash or a timeout
 * is stored as such and never becomes a training value.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command-int.h"
#include "oracle-int.h"
#include "util/dirs.h"
#include "util/failf.h"
#include "util/summary.h"
#include "util/banned.h"

/* An absolute copy of path (which must exist), or NULL with an error. */
static char *absolute(const char *path)
{
  char *abs = realpath(path, NULL);
  if (!abs)
    l4p_failf(L4P_EIO, "cannot find directory '%s'", path);
  return abs;
}

/* Make the work directory with its inputs/ and runs/. */
static l4p_status make_dirs(struct cmd_state *s)
{
  const char *given = s->opts.work_dir;
  l4p_status st;
  if (given) {
    st = l4px_make_dirs(given);
    if (!st && !(s->work_dir = absolute(given)))
      st = L4P_EIO;
  } else {
    char *made = NULL;
    st = l4px_make_temp_dir(NULL, "llm4perf-", &made);
    s->own_work_dir = !st;
    if (!st && !(s->work_dir = absolute(made)))
      st = L4P_EIO;
    free(made);
  }
  const char *spec_dir = s->spec->dir ? s->spec->dir : ".";
  if (!st && !(s->spec_dir = absolute(spec_dir)))
    st = L4P_EIO;
  size_t size = s->work_dir ? strlen(s->work_dir) + 16 : 0;
  if (!st && (!(s->input_dir = malloc(size)) || !(s->runs_dir = malloc(size))))
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st) {
    snprintf(s->input_dir, size, "%s/inputs", s->work_dir);
    snprintf(s->runs_dir, size, "%s/runs", s->work_dir);
    st = l4px_make_dirs(s->input_dir);
  }
  return st ? st : l4px_make_dirs(s->runs_dir);
}

/* Fail now, not at every measurement, when the program is not installed.
 * Only a program named without placeholders can be checked here. */
static l4p_status check_program(const struct cmd_state *s)
{
  const char *prog = s->def.argv[0];
  if (strchr(prog, '{'))
    return L4P_OK;
  if (strchr(prog, '/')) {
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", prog[0] == '/' ? "" : s->spec_dir,
             prog[0] == '/' ? "" : "/", prog);
    if (access(path, X_OK) == 0)
      return L4P_OK;
    return l4p_failf(L4P_EORACLE,
                     "program '%s' not found or not "
                     "executable",
                     path);
  }
  const char *dirs = getenv("PATH");
  for (const char *d = dirs ? dirs : ""; *d;) {
    size_t len = strcspn(d, ":");
    char path[4096];
    snprintf(path, sizeof path, "%.*s/%s", len ? (int)len : 1, len ? d : ".",
             prog);
    if (access(path, X_OK) == 0)
      return L4P_OK;
    d += len + (d[len] == ':');
  }
  return l4p_failf(L4P_EORACLE,
                   "program '%s' not found in PATH (see "
                   "docs/LIVE.md for the packages to install)",
                   prog);
}

static void command_close(struct l4p_oracle *oracle)
{
  struct cmd_state *s = oracle->data;
  if (!s)
    return;
  if (s->own_work_dir && !s->def.keep && !s->opts.keep &&
      l4px_remove_tree(s->work_dir) != L4P_OK)
    l4p_clear_error();
  l4p__cmd_release(&s->def);
  free(s->work_dir);
  free(s->input_dir);
  free(s->runs_dir);
  free(s->spec_dir);
  free(s->metrics);
  free(s->reps);
  free(s);
  oracle->data = NULL;
}

static l4p_status command_open(struct l4p_oracle *oracle)
{
  struct cmd_state *s = calloc(1, sizeof *s);
  if (!s)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  oracle->data = s;
  s->spec = oracle->spec;
  s->opts = oracle->opts;
  l4p_status st = l4p__cmd_load(oracle->spec, &s->def);
  if (!st)
    st = make_dirs(s);
  if (!st)
    st = check_program(s);
  if (!st && !(s->metrics = calloc(s->def.n_metrics, sizeof *s->metrics)))
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st)
    st = l4p__cmd_setup(s);
  if (st)
    command_close(oracle);
  return st;
}

/* Is some objective's relative standard deviation over n repetitions
 * (rows of reps) above the limit? */
static bool too_noisy(const struct cmd_state *s, const double *reps, size_t n,
                      double *column)
{
  size_t nv = s->spec->n_objectives;
  for (size_t j = 0; j < nv && s->def.max_rsd > 0; j++) {
    for (size_t k = 0; k < n; k++)
      column[k] = reps[k * nv + j];
    double rsd = l4px_rsd(column, n);
    if (isfinite(rsd) && rsd > s->def.max_rsd)
      return true;
  }
  return false;
}

static void failed(struct l4p_measurement *m, const char *stage,
                   const char *why)
{
  m->status = L4P_EORACLE;
  snprintf(m->error, sizeof m->error, "%s%s", stage, why);
}

/* Measure m with its repetitions in reps (max_repetitions rows). Only a
 * broken oracle is an error; a failed run marks m failed. */
static l4p_status measure_one(struct cmd_state *s, struct l4p_measurement *m,
                              double *reps, double *column)
{
  const struct cmd_def *def = &s->def;
  size_t nv = s->spec->n_objectives, n = 0;
  char why[256], stage[48];
  for (unsigned w = 0; w < def->warmup; w++) {
    l4p_status st = l4p__cmd_run(s, m->requested, reps, why, sizeof why);
    if (st == L4P_EORACLE)
      failed(m, "warm-up run: ", why);
    if (st)
      return st == L4P_EORACLE ? L4P_OK : st;
  }
  while (n < def->repetitions ||
         (n < def->max_repetitions && too_noisy(s, reps, n, column))) {
    l4p_status st =
        l4p__cmd_run(s, m->requested, reps + n * nv, why, sizeof why);
    snprintf(stage, sizeof stage, "repetition %zu: ", n + 1);
    if (st == L4P_EORACLE)
      failed(m, n ? stage : "", why);
    if (st)
      return st == L4P_EORACLE ? L4P_OK : st;
    n++;
  }
  for (size_t j = 0; j < nv; j++) {
    for (size_t k = 0; k < n; k++)
      column[k] = reps[k * nv + j];
    m->values[j] = l4px_median(column, n);
  }
  m->n_reps = n;
  m->reps = reps;
  return L4P_OK;
}

static l4p_status command_measure(struct l4p_oracle *oracle,
                                  struct l4p_measurement *batch, size_t n)
{
  struct cmd_state *s = oracle->data;
  size_t nv = s->spec->n_objectives, per = s->def.max_repetitions * nv;
  if (n * per > s->reps_cap) {
    double *grown = realloc(s->reps, n * per * sizeof *grown);
    if (!grown)
      return l4p_failf(L4P_ENOMEM, "out of memory");
    s->reps = grown;
    s->reps_cap = n * per;
  }
  double *column = malloc((s->def.max_repetitions + 1) * sizeof *column);
  if (!column)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = L4P_OK;
  for (size_t k = 0; k < n && !st; k++)
    st = measure_one(s, &batch[k], s->reps + k * per, column);
  free(column);
  return st;
}

const struct l4p_oracle_ops l4p__oracle_command = {
    .name = "command",
    .open = command_open,
    .measure = command_measure,
    .close = command_close,
};
