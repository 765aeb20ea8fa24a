/* One run of a live system: a fresh scratch directory, the argv built from
 * the configuration, the program started and supervised (util/
 * spawn_measure.c), its failure described or its metrics read, and the
 * objectives computed from them. The scratch directory is removed
 * afterwards unless runs are kept for inspection.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "command-int.h"
#include "util/dirs.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/spawn.h"
#include "util/banned.h"

/* See command-int.h. */
struct cmd_vars l4p__cmd_vars(const struct cmd_state *s, const double *cfg,
                              const char *workdir)
{
  return (struct cmd_vars){
      workdir,        s->input_dir,
      s->spec_dir,    s->opts.self_path ? s->opts.self_path : "llm4perf",
      s->spec->space, cfg};
}

/* See command-int.h. */
l4p_status l4p__cmd_scratch_open(const struct cmd_state *s, const char *prefix,
                                 struct cmd_scratch *sc)
{
  memset(sc, 0, sizeof *sc);
  l4p_status st = l4px_make_temp_dir(s->runs_dir, prefix, &sc->dir);
  if (st)
    return st;
  sc->work = l4px_path_join(sc->dir, "work");
  sc->out = l4px_path_join(sc->dir, "stdout");
  sc->err = l4px_path_join(sc->dir, "stderr");
  if (!sc->work || !sc->out || !sc->err)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  else if (mkdir(sc->work, 0755) != 0)
    st = l4p_failf(L4P_EIO, "cannot create '%s'", sc->work);
  if (st)
    l4p__cmd_scratch_close(s, sc);
  return st;
}

/* See command-int.h. A directory that cannot be removed is left behind:
 * losing a measurement over it would be worse. */
void l4p__cmd_scratch_close(const struct cmd_state *s, struct cmd_scratch *sc)
{
  if (sc->dir && !s->def.keep && !s->opts.keep &&
      l4px_remove_tree(sc->dir) != L4P_OK)
    l4p_clear_error();
  free(sc->dir);
  free(sc->work);
  free(sc->out);
  free(sc->err);
  memset(sc, 0, sizeof *sc);
}

/* See command-int.h. */
l4p_status l4p__cmd_spawn(const struct cmd_state *s, const struct cmd_vars *v,
                          char *const *argv,
                          const struct l4px_measure_opts *opts,
                          struct l4px_measure_result *res)
{
  size_t n = 0;
  while (s->def.env && s->def.env[n])
    n++;
  char **env = calloc(n + 1, sizeof *env);
  l4p_status st = env ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < n && !st; k++)
    st = l4p__cmd_expand(s->def.env[k], v, &env[k]);
  struct l4px_measure_opts o = *opts;
  o.env = env;
  if (!st)
    st = l4px_spawn_measure(argv, &o, res);
  l4px_argv_free(env);
  return st;
}

/* A program named by a relative path is found from the spec's directory,
 * like every other file a spec names. */
static l4p_status resolve_program(const struct cmd_state *s, char **argv)
{
  if (argv[0][0] == '/' || !strchr(argv[0], '/'))
    return L4P_OK;
  char *full = l4px_path_join(s->spec_dir, argv[0]);
  if (!full)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  free(argv[0]);
  argv[0] = full;
  return L4P_OK;
}

/* Compute the objectives from the metrics; false (why filled) when one is
 * not a finite number. */
static bool objectives(const struct cmd_state *s, double *values, char *why,
                       size_t size)
{
  for (size_t j = 0; j < s->spec->n_objectives; j++) {
    values[j] = l4p__cmd_expr_eval(&s->def.objectives[j], s->metrics);
    if (!isfinite(values[j])) {
      snprintf(why, size, "objective '%s' = %s is not a finite number",
               s->spec->objectives[j].name, s->def.objectives[j].text);
      return false;
    }
  }
  return true;
}

/* See command-int.h. A reason in this thread's error (a missing program,
 * an output that did not match) moves into why. */
l4p_status l4p__cmd_run(struct cmd_state *s, const double *cfg, double *values,
                        char *why, size_t size)
{
  struct cmd_scratch sc;
  l4p_clear_error(); /* a message after the run is this run's reason */
  l4p_status st = l4p__cmd_scratch_open(s, "run-", &sc);
  if (st)
    return st;
  struct cmd_vars v = l4p__cmd_vars(s, cfg, sc.work);
  char **argv = NULL;
  struct l4px_measure_opts opts = {
      sc.work, NULL, sc.out, sc.err, s->def.timeout_s, s->def.grace_s};
  struct l4px_measure_result res;
  struct cmd_run_files files = {sc.out, sc.err};
  if (!(st = l4p__cmd_argv(s->def.argv, &v, &argv)) &&
      !(st = resolve_program(s, argv)) &&
      !(st = l4p__cmd_spawn(s, &v, argv, &opts, &res))) {
    if (l4p__cmd_run_failed(&s->def, &res, &files, why, size))
      st = L4P_EORACLE;
    else if (!(st = l4p__cmd_read_metrics(&s->def, &v, &res, &files,
                                          s->metrics)) &&
             !objectives(s, values, why, size))
      st = L4P_EORACLE;
  }
  if (st == L4P_EORACLE && l4p_last_error()[0]) {
    snprintf(why, size, "%s", l4p_last_error());
    l4p_clear_error();
  }
  l4px_argv_free(argv);
  l4p__cmd_scratch_close(s, &sc);
  return st;
}
