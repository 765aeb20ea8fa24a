/* Running a program under measurement for the command oracle: posix_spawn
 * from an argv into a working directory, stdout and stderr into files, a
 * pidfd to wake up the moment it exits (so wall time is not rounded to a
 * polling interval), a timeout that sends SIGTERM and then SIGKILL to the
 * whole process group, and wait4 for CPU time and peak memory.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* posix_spawn_file_actions_addchdir_np, pidfd_open */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "failf.h"
#include "spawn_measure.h"
#include "banned.h"

extern char **environ;

/* Longest sleep between two looks at a running program (ms): the peak
 * memory sampling below and the timeout are checked this often. */
#define TICK_MS 20

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The "VmHWM:" line of /proc/PID/status (pid 0: ourselves) in KiB, or 0
 * when it cannot be read (the process is gone). */
static double peak_rss_kb(pid_t pid)
{
  char path[64], buf[4096];
  if (pid)
    snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
  else
    snprintf(path, sizeof path, "/proc/self/status");
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0)
    return 0;
  buf[n] = '\0';
  const char *line = strstr(buf, "\nVmHWM:");
  return line ? strtod(line + 7, NULL) : 0;
}

/* The peak memory wait4 reports for a child starts at the memory of the
 * process that spawned it: the kernel carries the old address space's
 * high-water mark over an exec, and posix_spawn's child shares ours until
 * then. Lowering our mark to our current size (clear_refs "5") before
 * each spawn makes that floor what we hold now, not our lifetime peak.
 * Returns the floor in KiB. */
static double lower_our_peak(void)
{
  int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
  if (fd >= 0) {
    ssize_t w = write(fd, "5", 1);
    (void)w; /* best effort: the floor read below says what we got */
    close(fd);
  }
  return peak_rss_kb(0);
}

/* Our environment with each of env's NAME=value replacing or adding its
 * variable, as a new NULL-terminated array of borrowed strings. */
static char **merged_env(char *const *env)
{
  size_t n_ours = 0, n_new = 0;
  while (environ[n_ours])
    n_ours++;
  while (env && env[n_new])
    n_new++;
  char **out = calloc(n_ours + n_new + 1, sizeof *out);
  if (!out)
    return NULL;
  size_t n = 0;
  for (size_t k = 0; k < n_ours; k++) {
    const char *eq = strchr(environ[k], '=');
    size_t len = eq ? (size_t)(eq - environ[k]) + 1 : strlen(environ[k]);
    bool replaced = false;
    for (size_t j = 0; j < n_new && !replaced; j++)
      replaced = strncmp(env[j], environ[k], len) == 0;
    if (!replaced)
      out[n++] = environ[k];
  }
  for (size_t j = 0; j < n_new; j++)
    out[n++] = env[j];
  return out;
}

/* Where the child's descriptors 0, 1 and 2 come from, and its directory. */
static int set_files(posix_spawn_file_actions_t *fa,
                     const struct l4px_measure_opts *o)
{
  const int w = O_WRONLY | O_CREAT | O_TRUNC;
  int rc = posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0);
  if (!rc)
    rc = posix_spawn_file_actions_addopen(
        fa, 1, o->out_path ? o->out_path : "/dev/null", w, 0644);
  if (!rc)
    rc = posix_spawn_file_actions_addopen(
        fa, 2, o->err_path ? o->err_path : "/dev/null", w, 0644);
  if (!rc && o->cwd)
    rc = posix_spawn_file_actions_addchdir_np(fa, o->cwd);
  return rc;
}

/* Its own process group (so a timeout reaches everything it starts), no
 * blocked signals and default handlers, whatever ours are. */
static int set_attrs(posix_spawnattr_t *attr)
{
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  short flags =
      POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  int rc = posix_spawnattr_setflags(attr, flags);
  rc = rc ? rc : posix_spawnattr_setpgroup(attr, 0);
  rc = rc ? rc : posix_spawnattr_setsigmask(attr, &none);
  return rc ? rc : posix_spawnattr_setsigdefault(attr, &all);
}

static l4p_status start(char *const argv[], const struct l4px_measure_opts *o,
                        pid_t *pid)
{
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  char **envp = merged_env(o->env);
  if (!envp)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  int rc = posix_spawn_file_actions_init(&fa);
  if (!rc && (rc = posix_spawnattr_init(&attr)))
    posix_spawn_file_actions_destroy(&fa);
  if (rc) {
    free(envp);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  rc = set_files(&fa, o);
  rc = rc ? rc : set_attrs(&attr);
  rc = rc ? rc : posix_spawnp(pid, argv[0], &fa, &attr, argv, envp);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  free(envp);
  if (rc == ENOENT)
    return l4p_failf(L4P_EORACLE, "program '%s' not found", argv[0]);
  if (rc)
    return l4p_failf(L4P_EORACLE, "cannot run '%s': %s", argv[0], strerror(rc));
  return L4P_OK;
}

/* Has the child exited? Looks without reaping it, so its pid (and the
 * process group's id) stays reserved until we have killed the group. */
static bool has_exited(pid_t pid)
{
  siginfo_t info;
  memset(&info, 0, sizeof info);
  return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid;
}

/* Wait until the child exits, sampling its peak memory and enforcing the
 * timeout: SIGTERM to the group at the deadline, SIGKILL grace_s later. */
static void supervise(pid_t pid, const struct l4px_measure_opts *o, double t0,
                      struct l4px_measure_result *res, double *sampled_kb)
{
  int pidfd = (int)pidfd_open(pid, 0); /* -1: fall back to short naps */
  double deadline = o->timeout_s > 0 ? t0 + o->timeout_s : 0, kill_at = 0;
  int nap_ms = 1;
  while (!has_exited(pid)) {
    double t = now_s(), hwm = peak_rss_kb(pid);
    if (hwm > *sampled_kb)
      *sampled_kb = hwm;
    if (deadline > 0 && t >= deadline && !res->timed_out) {
      res->timed_out = true;
      kill(-pid, SIGTERM);
      kill_at = t + (o->grace_s > 0 ? o->grace_s : 0);
    }
    if (res->timed_out && t >= kill_at)
      kill(-pid, SIGKILL);
    double until = res->timed_out ? kill_at : deadline;
    int wait_ms = pidfd >= 0 ? nap_ms : 1;
    if (until > t && (until - t) * 1000 < wait_ms)
      wait_ms = (int)((until - t) * 1000) + 1;
    struct pollfd p = {.fd = pidfd, .events = POLLIN};
    poll(pidfd >= 0 ? &p : NULL, pidfd >= 0, wait_ms);
    nap_ms = nap_ms * 2 > TICK_MS ? TICK_MS : nap_ms * 2;
  }
  if (pidfd >= 0)
    close(pidfd);
}

/* See spawn_measure.h. */
l4p_status l4px_spawn_measure(char *const argv[],
                              const struct l4px_measure_opts *opts,
                              struct l4px_measure_result *res)
{
  static const struct l4px_measure_opts none = {0};
  const struct l4px_measure_opts *o = opts ? opts : &none;
  memset(res, 0, sizeof *res);
  res->exit_code = -1;
  if (!argv || !argv[0] || !argv[0][0])
    return l4p_failf(L4P_EUSAGE, "empty command");
  double floor_kb = lower_our_peak(), sampled_kb = 0;
  pid_t pid;
  double t0 = now_s();
  l4p_status st = start(argv, o, &pid);
  if (st)
    return st;
  supervise(pid, o, t0, res, &sampled_kb);
  res->wall_s = now_s() - t0;
  kill(-pid, SIGKILL); /* whatever it left running in its group */
  int status = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
    ;
  if (WIFEXITED(status))
    res->exit_code = WEXITSTATUS(status);
  else if (WIFSIGNALED(status))
    res->signal = WTERMSIG(status);
  res->user_s = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
  res->sys_s = (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  /* wait4's figure is exact once it rises above the floor it inherited
   * (lower_our_peak); below that it only says "at most the floor", and
   * the high-water mark sampled while the program ran is the better
   * answer, when one was taken */
  double reported = (double)ru.ru_maxrss;
  res->max_rss_kb =
      reported > floor_kb + 512 || sampled_kb <= 0 ? reported : sampled_kb;
  return L4P_OK;
}
