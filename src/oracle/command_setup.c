/* Preparing a live system's inputs: the spec's "setup" commands (argv
 * lists, such as "llm4perf gen-input text ...") run in the input directory
 * when the oracle opens, each only when a file it declares under
 * "creates" is missing, so a campaign that resumes, or a second campaign
 * in the same work directory, measures on the very same inputs.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command-int.h"
#include "util/failf.h"
#include "util/spawn.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* Does every file step k declares exist? (A step declaring none always
 * runs.) *missing gets the first one that does not. */
static bool done_before(const struct cmd_state *s, const struct cmd_setup *k,
                        const char **missing)
{
  *missing = NULL;
  for (size_t f = 0; f < k->n_creates && !*missing; f++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", s->input_dir, k->creates[f]);
    if (access(path, F_OK) != 0)
      *missing = k->creates[f];
  }
  return k->n_creates && !*missing;
}

/* argv as one line for people (not for any shell). */
static void show(char *const *argv, char *buf, size_t size)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  for (size_t k = 0; argv[k]; k++)
    l4px_sb_printf(&sb, "%s%s", k ? " " : "", argv[k]);
  snprintf(buf, size, "%s", sb.buf);
  l4px_sb_release(&sb);
}

/* Run step k (number n from 1) in the input directory. */
static l4p_status run_step(const struct cmd_state *s, size_t n,
                           const struct cmd_setup *k)
{
  struct cmd_vars v = l4p__cmd_vars(s, NULL, NULL);
  char **argv = NULL, line[512], why[256] = "";
  struct cmd_scratch sc = {0};
  l4p_status st = l4p__cmd_argv(k->argv, &v, &argv);
  if (!st)
    st = l4p__cmd_scratch_open(s, "setup-", &sc);
  if (st) {
    l4px_argv_free(argv);
    return st;
  }
  show(argv, line, sizeof line);
  if (s->opts.note) {
    char msg[600];
    snprintf(msg, sizeof msg, "setup %zu: %s", n, line);
    s->opts.note(msg, s->opts.note_arg);
  }
  struct l4px_measure_opts opts = {s->input_dir, NULL,         sc.out,
                                   sc.err,       k->timeout_s, s->def.grace_s};
  struct l4px_measure_result res;
  struct cmd_run_files files = {sc.out, sc.err};
  struct cmd_def limits = s->def;
  limits.timeout_s = k->timeout_s; /* for the "timed out after" message */
  st = l4p__cmd_spawn(s, &v, argv, &opts, &res);
  if (st == L4P_EORACLE)
    snprintf(why, sizeof why, "%s", l4p_last_error());
  else if (!st && l4p__cmd_run_failed(&limits, &res, &files, why, sizeof why))
    st = L4P_EORACLE;
  l4p__cmd_scratch_close(s, &sc);
  l4px_argv_free(argv);
  if (st == L4P_EORACLE)
    return l4p_failf(st, "setup command %zu (%s): %s", n, line, why);
  const char *missing;
  if (!st && !done_before(s, k, &missing) && missing)
    return l4p_failf(L4P_EORACLE,
                     "setup command %zu (%s) did not create "
                     "'%s' in '%s'",
                     n, line, missing, s->input_dir);
  return st;
}

/* See command-int.h. */
l4p_status l4p__cmd_setup(struct cmd_state *s)
{
  for (size_t k = 0; k < s->def.n_setup; k++) {
    const char *missing;
    if (done_before(s, &s->def.setup[k], &missing))
      continue;
    l4p_status st = run_step(s, k + 1, &s->def.setup[k]);
    if (st)
      return st;
  }
  return L4P_OK;
}
