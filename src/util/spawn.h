/* Running another program without a shell: an argv goes to posix_spawn,
 * its stdout and stderr come back in memory, and a timeout kills its
 * whole process group. Commands written as one string (a spec's
 * "docs": {"command": ...}, --from-command) are split into words with
 * shell-like quoting but no expansion, so $, *, ;, | and the rest stay
 * literal arguments (DESIGN.md: no shell, ever).
 *
 * Invariants: the child gets /dev/null as stdin, its own process group
 * and default signal dispositions; no descriptor of ours leaks into it
 * (pipes are close-on-exec); every started child is reaped. */
#ifndef L4P_UTIL_SPAWN_H
#define L4P_UTIL_SPAWN_H

#include <stdbool.h>
#include <stddef.h>

#include "llm4perf/status.h"

struct l4px_spawn_opts {
  double timeout_s;  /* 0: no limit */
  size_t max_output; /* bytes kept per stream; 0: 16 MiB */
};

struct l4px_spawn_result {
  char *out, *err; /* NUL-terminated heap copies (free them) */
  size_t out_len, err_len;
  bool truncated; /* a stream passed max_output: the rest dropped */
  bool timed_out; /* killed (whole group) at the timeout */
  int exit_code;  /* when it exited normally, else -1 */
  int signal;     /* the signal that ended it, else 0 */
};

/* Run argv[0] (looked up in PATH when it holds no '/') with argv, wait
 * for it and fill res. L4P_OK whenever the program ran, whatever its exit
 * status; EIO "cannot run 'prog': reason" when it could not be started,
 * ENOMEM. A timeout is not an error: res->timed_out says so. Release res
 * with l4px_spawn_result_release (also after a failure). */
l4p_status l4px_spawn(char *const argv[], const struct l4px_spawn_opts *opts,
                      struct l4px_spawn_result *res);
void l4px_spawn_result_release(struct l4px_spawn_result *res);

/* Split cmd into words as a POSIX shell would split a simple command,
 * without any expansion: blanks separate words; '...' keeps everything
 * literally; "..." keeps everything but lets a backslash escape $ ` " \
 * and newline; an unquoted backslash keeps the next character (and joins
 * lines). *argv gets a NULL-terminated heap array (l4px_argv_free it).
 * EPARSE naming the column of an unterminated quote or a final
 * backslash; EUSAGE for a command with no words; ENOMEM. */
l4p_status l4px_split_command(const char *cmd, char ***argv);
void l4px_argv_free(char **argv);

#endif
