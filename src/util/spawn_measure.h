/* Running a program to measure it: like l4px_spawn (spawn.h) an argv goes
 * to posix_spawn, never to a shell, and the program runs in its own
 * process group with /dev/null as stdin; in addition it gets a working
 * directory and extra environment variables, its stdout and stderr go to
 * files, and it comes back with wall time, CPU times and peak memory.
 *
 * Invariants: every started child is reaped; when it ends (or times out)
 * whatever is left of its process group is killed, so nothing it started
 * outlives the measurement. */
#ifndef L4P_UTIL_SPAWN_MEASURE_H
#define L4P_UTIL_SPAWN_MEASURE_H

#include <stdbool.h>

#include "llm4perf/status.h"

struct l4px_measure_opts {
  const char *cwd;      /* working directory of the program, or NULL */
  char *const *env;     /* "NAME=value" set on top of our environment
                             (replacing a variable of that name); NULL-
                             terminated, or NULL for none */
  const char *out_path; /* stdout goes to this file (truncated), or to
                             /dev/null when NULL */
  const char *err_path; /* the same for stderr */
  double timeout_s;     /* 0: no limit */
  double grace_s;       /* at the timeout: SIGTERM to the group, then
                             SIGKILL after this long (0: at once) */
};

struct l4px_measure_result {
  double wall_s;        /* CLOCK_MONOTONIC, from start to exit */
  double user_s, sys_s; /* CPU time of the program and the children
                             it waited for (wait4) */
  double max_rss_kb;    /* peak resident set size, KiB (see .c) */
  int exit_code;        /* when it exited normally, else -1 */
  int signal;           /* the signal that ended it, else 0 */
  bool timed_out;       /* it was stopped at the timeout */
};

/* Run argv[0] (looked up in PATH when it holds no '/') with argv and opts,
 * wait for it and fill res. L4P_OK whenever the program ran, whatever its
 * exit status (a timeout included: res->timed_out); EORACLE "program 'x'
 * not found" or "cannot run 'x': reason" when it could not be started;
 * EIO, ENOMEM. */
l4p_status l4px_spawn_measure(char *const argv[],
                              const struct l4px_measure_opts *opts,
                              struct l4px_measure_result *res);

#endif
