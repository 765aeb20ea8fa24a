/* Running a program from an argv with posix_spawn and collecting its
 * output through two pipes read with poll(), under an optional timeout
 * that kills the program's whole process group (a help command that
 * forks a pager or a daemon must not outlive us). Used by the docs
 * extraction and, later, live measurement; never a shell (spawn.h).
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* pipe2: close-on-exec pipes without a race */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "failf.h"
#include "spawn.h"
#include "strbuf.h"
#include "banned.h"

extern char **environ;

/* After the program itself exits, how long output from children that
 * still hold its pipes is awaited before the group is killed. */
#define GRACE_S 1.0

struct stream {
  int fd; /* read end, -1 once closed */
  struct l4px_sb sb;
  size_t limit;
  bool truncated;
};

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read what is available on s; close it at end of file or on error. */
static void drain(struct stream *s)
{
  char chunk[8192];
  for (;;) {
    ssize_t n = read(s->fd, chunk, sizeof chunk);
    if (n > 0) {
      size_t room = s->limit > s->sb.len ? s->limit - s->sb.len : 0;
      size_t keep = (size_t)n < room ? (size_t)n : room;
      l4px_sb_add(&s->sb, chunk, keep);
      s->truncated |= keep < (size_t)n;
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      return;
    close(s->fd);
    s->fd = -1;
    return;
  }
}

static void close_stream(struct stream *s)
{
  if (s->fd >= 0)
    close(s->fd);
  s->fd = -1;
}

/* Start argv with stdout and stderr on the pipes' write ends. */
static l4p_status start(char *const argv[], int out_w, int err_w, pid_t *pid)
{
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  if (posix_spawn_file_actions_init(&fa))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  if (posix_spawnattr_init(&attr)) {
    posix_spawn_file_actions_destroy(&fa);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  int rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  if (!rc)
    rc = posix_spawn_file_actions_adddup2(&fa, out_w, 1);
  if (!rc)
    rc = posix_spawn_file_actions_adddup2(&fa, err_w, 2);
  if (!rc)
    rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
                                             POSIX_SPAWN_SETSIGMASK |
                                             POSIX_SPAWN_SETSIGDEF);
  if (!rc)
    rc = posix_spawnattr_setpgroup(&attr, 0);
  if (!rc)
    rc = posix_spawnattr_setsigmask(&attr, &none);
  if (!rc)
    rc = posix_spawnattr_setsigdefault(&attr, &all);
  if (!rc)
    rc = posix_spawnp(pid, argv[0], &fa, &attr, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc)
    return l4p_failf(L4P_EIO, "cannot run '%s': %s", argv[0], strerror(rc));
  return L4P_OK;
}

static void record_status(int status, struct l4px_spawn_result *res)
{
  if (WIFEXITED(status))
    res->exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    res->signal = WTERMSIG(status);
}

/* Read both streams until they close and the child is reaped, killing
 * the group at the deadline (0: none) or GRACE_S after the child exits
 * while descendants keep the pipes open. */
static void supervise(pid_t pid, struct stream s[2], double deadline,
                      struct l4px_spawn_result *res)
{
  bool reaped = false;
  double grace = 0;
  int status;
  while (s[0].fd >= 0 || s[1].fd >= 0 || !reaped) {
    double t = now_s();
    if ((deadline > 0 && t >= deadline) || (grace > 0 && t >= grace)) {
      kill(-pid, SIGKILL);
      res->timed_out = deadline > 0 && t >= deadline;
      break;
    }
    int wait_ms = s[0].fd >= 0 || s[1].fd >= 0 ? 100 : 5;
    if (deadline > 0 && (deadline - t) * 1000 < wait_ms)
      wait_ms = (int)((deadline - t) * 1000) + 1;
    struct pollfd fds[2];
    nfds_t n = 0;
    for (int k = 0; k < 2; k++)
      if (s[k].fd >= 0)
        fds[n++] = (struct pollfd){.fd = s[k].fd, .events = POLLIN};
    if (poll(n ? fds : NULL, n, wait_ms) > 0)
      for (int k = 0; k < 2; k++)
        if (s[k].fd >= 0)
          drain(&s[k]);
    if (!reaped && waitpid(pid, &status, WNOHANG) == pid) {
      reaped = true;
      record_status(status, res);
      grace = now_s() + GRACE_S;
    }
  }
  for (int k = 0; k < 2; k++) {
    if (s[k].fd >= 0)
      drain(&s[k]);
    close_stream(&s[k]);
  }
  if (!reaped) {
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
      ;
    record_status(status, res);
  }
}

l4p_status l4px_spawn(char *const argv[], const struct l4px_spawn_opts *opts,
                      struct l4px_spawn_result *res)
{
  memset(res, 0, sizeof *res);
  res->exit_code = -1;
  if (!argv || !argv[0] || !argv[0][0])
    return l4p_failf(L4P_EUSAGE, "empty command");
  size_t limit = opts && opts->max_output ? opts->max_output : 16u << 20;
  double timeout = opts ? opts->timeout_s : 0;
  int out_p[2], err_p[2];
  if (pipe2(out_p, O_CLOEXEC))
    return l4p_failf(L4P_EIO, "cannot make a pipe: %s", strerror(errno));
  if (pipe2(err_p, O_CLOEXEC)) {
    l4p_status st =
        l4p_failf(L4P_EIO, "cannot make a pipe: %s", strerror(errno));
    close(out_p[0]);
    close(out_p[1]);
    return st;
  }
  pid_t pid;
  l4p_status st = start(argv, out_p[1], err_p[1], &pid);
  close(out_p[1]);
  close(err_p[1]);
  struct stream s[2] = {{out_p[0], {0}, limit, false},
                        {err_p[0], {0}, limit, false}};
  l4px_sb_init(&s[0].sb);
  l4px_sb_init(&s[1].sb);
  if (!st) {
    for (int k = 0; k < 2; k++)
      fcntl(s[k].fd, F_SETFL, fcntl(s[k].fd, F_GETFL) | O_NONBLOCK);
    supervise(pid, s, timeout > 0 ? now_s() + timeout : 0, res);
  }
  close_stream(&s[0]);
  close_stream(&s[1]);
  res->out_len = s[0].sb.len;
  res->err_len = s[1].sb.len;
  res->truncated = s[0].truncated || s[1].truncated;
  res->out = l4px_sb_detach(&s[0].sb);
  res->err = l4px_sb_detach(&s[1].sb);
  if (!st && (!res->out || !res->err))
    st = l4p_failf(L4P_ENOMEM, "out of memory reading '%s'", argv[0]);
  return st;
}

void l4px_spawn_result_release(struct l4px_spawn_result *res)
{
  free(res->out);
  free(res->err);
  memset(res, 0, sizeof *res);
  res->exit_code = -1;
}
