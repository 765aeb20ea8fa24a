/* Drawing the report's plots with gnuplot (Debian's gnuplot-nox): each
 * plot's script runs as its own process from an argv (util/spawn.c, no
 * shell) under a time limit, writing SVG to its stdout. The SVG is cut to
 * its <svg> element, and its ids (gnuplot names its markers gpPt0...,
 * the same in every plot) are prefixed with the plot's name, so dozens
 * of plots can be inlined into one HTML page without clashing.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report-int.h"
#include "util/failf.h"
#include "util/spawn.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* See report-int.h. */
l4p_status l4p__gnuplot_find(char **path)
{
  const char *env = getenv("PATH");
  *path = NULL;
  for (const char *dir = env && *env ? env : "/usr/bin:/bin"; dir;) {
    const char *colon = strchr(dir, ':');
    size_t len = colon ? (size_t)(colon - dir) : strlen(dir);
    struct l4px_sb sb;
    l4px_sb_init(&sb);
    l4px_sb_printf(&sb, "%.*s/gnuplot", (int)len, len ? dir : ".");
    if (l4px_sb_failed(&sb))
      return l4p_failf(L4P_ENOMEM, "out of memory");
    if (access(sb.buf, X_OK) == 0) {
      *path = l4px_sb_detach(&sb);
      return L4P_OK;
    }
    l4px_sb_release(&sb);
    dir = colon ? colon + 1 : NULL;
  }
  return l4p_failf(L4P_EIO, "gnuplot not found: install gnuplot-nox (the "
                            "report draws its plots with it)");
}

/* Does text at s start with the pattern p? */
static bool at(const char *s, const char *p)
{
  return strncmp(s, p, strlen(p)) == 0;
}

/* The <svg> element of gnuplot's output, ids and references to them
 * prefixed with "name-"; NULL when there is none (or ENOMEM). */
static char *rewrite(const char *out, const char *name)
{
  static const char *const refs[] = {" id='", " id=\"", "href='#", "href=\"#",
                                     "url(#"};
  const char *s = strstr(out, "<svg");
  if (!s)
    return NULL;
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  while (*s) {
    size_t k = 0;
    while (k < sizeof refs / sizeof refs[0] && !at(s, refs[k]))
      k++;
    if (k < sizeof refs / sizeof refs[0]) {
      l4px_sb_puts(&sb, refs[k]);
      l4px_sb_printf(&sb, "%s-", name);
      s += strlen(refs[k]);
    } else {
      l4px_sb_putc(&sb, *s++);
    }
  }
  while (sb.len && (sb.buf[sb.len - 1] == '\n' || sb.buf[sb.len - 1] == ' '))
    sb.buf[--sb.len] = '\0';
  return l4px_sb_detach(&sb);
}

/* The last non-empty line of gnuplot's stderr (its error message). */
static void last_line(const char *err, char *buf, size_t size)
{
  const char *end = err + strlen(err);
  while (end > err && (end[-1] == '\n' || end[-1] == ' '))
    end--;
  const char *start = end;
  while (start > err && start[-1] != '\n')
    start--;
  snprintf(buf, size, "%.*s", (int)(end - start), start);
}

/* See report-int.h. */
l4p_status l4p__gnuplot_draw(const char *gnuplot, const char *tmpdir,
                             const struct l4p__plot *p, double timeout_s,
                             char **svg)
{
  *svg = NULL;
  char *script;
  l4p_status st = l4p__gnuplot_script(p, tmpdir, &script);
  if (st)
    return st;
  char *argv[] = {(char *)gnuplot, script, NULL};
  struct l4px_spawn_opts opts = {timeout_s, 256u << 20};
  struct l4px_spawn_result res;
  st = l4px_spawn(argv, &opts, &res);
  char why[512];
  if (st) {
    l4p_error_prefix("gnuplot");
  } else if (res.timed_out) {
    st = l4p_failf(L4P_EIO, "plot '%s': gnuplot did not finish within %g s",
                   p->name, timeout_s);
  } else if (res.exit_code != 0) {
    last_line(res.err, why, sizeof why);
    st = res.signal ? l4p_failf(L4P_EIO,
                                "plot '%s': gnuplot was killed by signal "
                                "%d",
                                p->name, res.signal)
                    : l4p_failf(L4P_EIO,
                                "plot '%s': gnuplot failed (exit status "
                                "%d): %s",
                                p->name, res.exit_code, why);
  } else if (res.truncated || !(*svg = rewrite(res.out, p->name))) {
    st = l4p_failf(L4P_EIO, "plot '%s': gnuplot wrote no SVG", p->name);
  }
  l4px_spawn_result_release(&res);
  free(script);
  return st;
}
