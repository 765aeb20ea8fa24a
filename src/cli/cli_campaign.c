/* What the commands that run campaigns ('sample', 'run') share: the
 * progress line on stderr and reading a pruning decisions file into a
 * pruned space and the campaign parameters that name it.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>

#include "cli.h"
#include "llm4perf/prune.h"
#include "util/banned.h"

/* See cli.h. */
void cli_progress_start(struct cli_progress *p, bool show)
{
  p->show = show;
  clock_gettime(CLOCK_MONOTONIC, &p->start);
}

/* See cli.h: "7/20 measured, 3s elapsed, ETA 6s". */
void cli_show_progress(size_t measured, size_t budget, void *arg)
{
  struct cli_progress *p = arg;
  if (!p->show)
    return;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  double elapsed = (double)(now.tv_sec - p->start.tv_sec) +
                   (double)(now.tv_nsec - p->start.tv_nsec) / 1e9;
  double eta =
      measured ? elapsed * (double)(budget - measured) / (double)measured : 0;
  fprintf(stderr, "\r%zu/%zu measured, %.0fs elapsed, ETA %.0fs   ", measured,
          budget, elapsed, eta);
  if (measured >= budget)
    fprintf(stderr, "\n");
}

/* See cli.h. The pruning is part of the campaign's identity, so a pruned
 * campaign never resumes an unpruned one (or one pruned differently). */
l4p_status cli_load_pruning(const char *path, const struct l4p_spec *spec,
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
