/* "llm4perf study": run the evaluation grid of a study file into an
 * output directory (docs/STUDY.md). Rerunning the same command after an
 * interruption finishes the study without redoing anything.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "llm4perf/study.h"
#include "util/banned.h"

static const char *const usage[] = {
    "llm4perf study STUDY.json --out DIR [--jobs N] [--models A,B]", NULL};

/* Lines printed when stderr is not a terminal: one per this share of a
 * phase's units (and at its end). */
#define LOG_STEPS 20

struct progress {
  bool tty;
  size_t last;       /* units done at the last line (log mode) */
  const char *phase; /* the phase of the last line */
};

/* "1h02m", "3m10s", "12s"; "?" when unknown. */
static void duration(double s, char *buf, size_t size)
{
  if (s < 0) {
    snprintf(buf, size, "?");
    return;
  }
  long t = (long)(s + 0.5);
  if (t >= 3600)
    snprintf(buf, size, "%ldh%02ldm", t / 3600, t / 60 % 60);
  else if (t >= 60)
    snprintf(buf, size, "%ldm%02lds", t / 60, t % 60);
  else
    snprintf(buf, size, "%lds", t);
}

static void show(const struct l4p_study_progress *p, void *arg)
{
  struct progress *pr = arg;
  if (pr->phase != p->phase) {
    pr->phase = p->phase;
    pr->last = p->done_before;
  }
  size_t every = p->total / LOG_STEPS ? p->total / LOG_STEPS : 1;
  if (!pr->tty && !p->finished && p->done < pr->last + every)
    return;
  if (!pr->tty && p->finished && p->done == pr->last && p->done != p->total)
    return;
  pr->last = p->done;
  char elapsed[32], eta[32];
  duration(p->elapsed_s, elapsed, sizeof elapsed);
  duration(p->finished ? 0 : p->eta_s, eta, sizeof eta);
  const char *unit = strcmp(p->phase, "search") ? "cells"
                                                : "DeepPerf "
                                                  "searches";
  fprintf(stderr, "%s%zu/%zu %s (%.0f%%), %s elapsed, ETA %s%s%s%s",
          pr->tty ? "\r" : "", p->done, p->total, unit,
          p->total ? 100.0 * (double)p->done / (double)p->total : 100.0,
          elapsed, eta, *p->current && !p->finished ? ": " : "",
          p->finished ? "" : p->current, pr->tty ? "\033[K" : "\n");
  if (pr->tty && p->finished)
    fputc('\n', stderr);
}

/* Split "a,b" into at most max labels (pointing into list). */
static size_t split(char *list, const char **labels, size_t max)
{
  size_t n = 0;
  for (char *s = list; s && *s && n < max;) {
    char *comma = strchr(s, ',');
    if (comma)
      *comma = '\0';
    if (*s)
      labels[n++] = s;
    s = comma ? comma + 1 : NULL;
  }
  return n;
}

/* Entry point of "llm4perf study" (docs/cli/study.md); the exit code. */
int cmd_study(int argc, char **argv, struct cli_ctx *cli)
{
  const char *out = NULL, *models = NULL;
  size_t jobs = 1;
  const struct cli_opt opts[] = {
      {"out", 'o', OPT_STRING, &out, "DIR",
       "output directory: study.db, CSV files, summaries"},
      {"jobs", 'j', OPT_SIZE, &jobs, "N", "worker threads (default 1)"},
      {"models", 0, OPT_STRING, &models, "A,B",
       "run only these model labels of the study"},
      {0}};
  int n_args, rc = cli_parse(argc, argv, opts, usage, &n_args);
  if (rc)
    return rc < 0 ? CLI_OK : rc;
  if (n_args != 1 || !out)
    return cli_usage_error(cli,
                           "expected STUDY.json and --out DIR\n"
                           "usage: %s",
                           usage[0]);
  if (jobs == 0 || jobs > 256)
    return cli_usage_error(cli, "--jobs must be from 1 to 256");
  struct l4p_study *study;
  l4p_status st = l4p_study_load(argv[0], &study);
  if (st)
    return cli_fail(st);
  char *list = models ? strdup(models) : NULL;
  const char *labels[64];
  size_t n_labels = list ? split(list, labels, 64) : 0;
  if (models && (!list || n_labels == 0))
    rc = cli_usage_error(cli, "--models names no model");
  if (!rc && models && (st = l4p_study_keep_models(study, labels, n_labels)))
    rc = cli_fail(st);
  struct progress pr = {cli->progress, 0, NULL};
  struct l4p_study_opts so = {out, (unsigned)jobs, show, &pr};
  if (!rc && (st = l4p_study_run(study, &so)))
    rc = cli_fail(st);
  if (!rc) {
    struct l4p_study_size size;
    l4p_study_size(study, &size);
    printf("study %s: %zu samples, %zu cells -> %s/cells.csv, "
           "samples.csv, summary.md, summary.json, scottknott.csv, "
           "diagnostics.csv\n",
           argv[0], size.samples, size.cells, out);
  }
  free(list);
  l4p_study_free(study);
  return rc;
}
