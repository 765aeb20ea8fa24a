/* What one finished run of a live system yields: whether it failed and
 * why, in one line a person can act on, and otherwise its metrics — the
 * built-in times and memory, sizes of files it wrote, and numbers found
 * in its output by POSIX extended regular expressions.
 * SPDX-License-Identifier: MIT */
#define _GNU_SOURCE /* sigabbrev_np, sigdescr_np */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "command-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

/* Output past this is not searched: a program printing progress lines
 * prints its summary at the end, and the end is what is kept. */
#define MAX_SEARCHED (8u << 20)

/* The last max bytes (at most) of path as a NUL-terminated heap string;
 * an empty string when the file cannot be read. NULL when out of memory. */
static char *read_tail(const char *path, size_t max)
{
  int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
  struct stat sb;
  size_t size = fd >= 0 && fstat(fd, &sb) == 0 ? (size_t)sb.st_size : 0;
  size_t want = size < max ? size : max;
  char *buf = malloc(want + 1);
  size_t got = 0;
  if (buf && want && lseek(fd, (off_t)(size - want), SEEK_SET) >= 0)
    while (got < want) {
      ssize_t n = read(fd, buf + got, want - got);
      if (n <= 0 && !(n < 0 && errno == EINTR))
        break;
      got += n > 0 ? (size_t)n : 0;
    }
  if (fd >= 0)
    close(fd);
  if (buf)
    buf[got] = '\0';
  return buf;
}

/* The last line of text with something other than blanks in it (lines
 * end at '\n' or '\r', as progress output uses both), trimmed. */
static void last_line(const char *text, char *buf, size_t size)
{
  const char *end = text + strlen(text);
  buf[0] = '\0';
  while (end > text) {
    while (end > text && strchr(" \t\r\n", end[-1]))
      end--;
    const char *start = end;
    while (start > text && start[-1] != '\n' && start[-1] != '\r')
      start--;
    while (start < end && (*start == ' ' || *start == '\t'))
      start++;
    if (start < end) {
      snprintf(buf, size, "%.*s", (int)(end - start), start);
      return;
    }
    end = start;
  }
}

/* See command-int.h. */
bool l4p__cmd_run_failed(const struct cmd_def *def,
                         const struct l4px_measure_result *res,
                         const struct cmd_run_files *files, char *why,
                         size_t size)
{
  if (res->timed_out) {
    snprintf(why, size, "timed out after %g s", def->timeout_s);
    return true;
  }
  if (res->signal) {
    const char *abbrev = sigabbrev_np(res->signal);
    const char *descr = sigdescr_np(res->signal);
    snprintf(why, size, "killed by signal %d (SIG%s: %s)", res->signal,
             abbrev ? abbrev : "?", descr ? descr : "unknown");
    return true;
  }
  if (res->exit_code == 0)
    return false;
  char *err = read_tail(files->err_path, 4096);
  char line[200];
  last_line(err ? err : "", line, sizeof line);
  free(err);
  snprintf(why, size, "exit status %d%s%s", res->exit_code, line[0] ? ": " : "",
           line);
  return true;
}

/* The size in bytes of the file metric m. */
static l4p_status file_size(const struct cmd_metric *m,
                            const struct cmd_vars *v, double *value)
{
  char *path;
  l4p_status st = l4p__cmd_expand(m->text, v, &path);
  if (st)
    return st;
  char *full = l4px_path_join(v->workdir, path); /* relative: from the
                                                     run's directory */
  free(path);
  if (!(path = full))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  struct stat sb;
  size_t wlen = strlen(v->workdir);
  const char *shown = strncmp(path, v->workdir, wlen) == 0 && path[wlen] == '/'
                          ? path + wlen + 1
                          : path;
  if (stat(path, &sb) != 0)
    st = l4p_failf(L4P_EORACLE, "output file '%s' was not created", shown);
  else if (!S_ISREG(sb.st_mode))
    st = l4p_failf(L4P_EORACLE, "'%s' is not a file", shown);
  else
    *value = (double)sb.st_size;
  free(path);
  return st;
}

/* The number the pattern of m finds in text: its first parenthesised
 * group, or the whole match when it has none. */
static l4p_status search(const struct cmd_metric *m, const char *text,
                         double *value)
{
  const char *stream = m->kind == CMD_METRIC_STDOUT ? "stdout" : "stderr";
  regmatch_t match[2];
  if (regexec(&m->re, text, 2, match, 0) != 0)
    return l4p_failf(L4P_EORACLE, "%s did not match /%s/", stream, m->text);
  regmatch_t *g = match[1].rm_so >= 0 ? &match[1] : &match[0];
  char found[64];
  snprintf(found, sizeof found, "%.*s", (int)(g->rm_eo - g->rm_so),
           text + g->rm_so);
  char *end;
  *value = strtod(found, &end);
  if (end == found || *end)
    return l4p_failf(L4P_EORACLE, "metric '%s': '%s' in %s is not a number",
                     m->name, found, stream);
  return L4P_OK;
}

/* See command-int.h. Each output stream is read once, when a metric
 * needs it. */
l4p_status l4p__cmd_read_metrics(const struct cmd_def *def,
                                 const struct cmd_vars *v,
                                 const struct l4px_measure_result *res,
                                 const struct cmd_run_files *files,
                                 double *metrics)
{
  metrics[CMD_WALL_S] = res->wall_s;
  metrics[CMD_USER_S] = res->user_s;
  metrics[CMD_SYS_S] = res->sys_s;
  metrics[CMD_CPU_S] = res->user_s + res->sys_s;
  metrics[CMD_MAX_RSS_KB] = res->max_rss_kb;
  char *text[2] = {NULL, NULL}; /* stdout, stderr */
  l4p_status st = L4P_OK;
  for (size_t k = CMD_N_BUILTINS; k < def->n_metrics && !st; k++) {
    const struct cmd_metric *m = &def->metrics[k];
    if (m->kind == CMD_METRIC_FILE) {
      st = file_size(m, v, &metrics[k]);
      continue;
    }
    int s = m->kind == CMD_METRIC_STDERR;
    if (!text[s] && !(text[s] = read_tail(s ? files->err_path : files->out_path,
                                          MAX_SEARCHED)))
      st = l4p_failf(L4P_ENOMEM, "out of memory");
    if (!st)
      st = search(m, text[s], &metrics[k]);
  }
  free(text[0]);
  free(text[1]);
  return st;
}
