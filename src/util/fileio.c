/* File and number helpers used by every loader.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "failf.h"
#include "fileio.h"
#include "strbuf.h"
#include "banned.h"

l4p_status l4px_read_file(const char *path, char **text, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return l4p_failf(L4P_EIO, "cannot open '%s': %s", path, strerror(errno));
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    l4px_sb_add(&sb, chunk, n);
  int failed = ferror(f);
  fclose(f);
  if (failed) {
    l4px_sb_release(&sb);
    return l4p_failf(L4P_EIO, "cannot read '%s'", path);
  }
  *len = sb.len;
  *text = l4px_sb_detach(&sb);
  if (!*text)
    return l4p_failf(L4P_ENOMEM, "out of memory reading '%s'", path);
  return L4P_OK;
}

l4p_status l4px_write_file_atomic(const char *path, const char *data,
                                  size_t len)
{
  struct l4px_sb tmp;
  l4px_sb_init(&tmp);
  l4px_sb_printf(&tmp, "%s.tmp.%ld", path, (long)getpid());
  if (l4px_sb_failed(&tmp))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  FILE *f = fopen(tmp.buf, "wb");
  if (!f) {
    l4p_status st =
        l4p_failf(L4P_EIO, "cannot write '%s': %s", path, strerror(errno));
    l4px_sb_release(&tmp);
    return st;
  }
  int bad = fwrite(data, 1, len, f) != len;
  bad |= fflush(f) != 0;
  bad |= fsync(fileno(f)) != 0;
  bad |= fclose(f) != 0;
  if (bad || rename(tmp.buf, path) != 0) {
    l4p_status st =
        l4p_failf(L4P_EIO, "cannot write '%s': %s", path, strerror(errno));
    unlink(tmp.buf);
    l4px_sb_release(&tmp);
    return st;
  }
  l4px_sb_release(&tmp);
  return L4P_OK;
}

l4p_status l4px_write_text_atomic(const char *path, const char *text)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  l4px_sb_puts(&sb, text);
  l4px_sb_putc(&sb, '\n');
  if (l4px_sb_failed(&sb))
    return l4p_failf(L4P_ENOMEM, "out of memory writing '%s'", path);
  l4p_status st = l4px_write_file_atomic(path, sb.buf, sb.len);
  l4px_sb_release(&sb);
  return st;
}

bool l4px_parse_double(const char *s, double *out)
{
  /* strtod/strtoll skip leading blanks; "whole string" must not */
  if (!s || !*s || isspace((unsigned char)*s))
    return false;
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (end == s || *end || errno == ERANGE || !isfinite(v))
    return false;
  *out = v;
  return true;
}

bool l4px_parse_llong(const char *s, long long *out)
{
  if (!s || !*s || isspace((unsigned char)*s))
    return false;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (end == s || *end || errno == ERANGE)
    return false;
  *out = v;
  return true;
}

char *l4px_dirname(const char *path)
{
  const char *slash = strrchr(path, '/');
  if (!slash)
    return strdup(".");
  if (slash == path)
    return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

char *l4px_path_join(const char *dir, const char *rel)
{
  if (rel[0] == '/' || !dir || !*dir || strcmp(dir, ".") == 0)
    return strdup(rel);
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  l4px_sb_printf(&sb, "%s/%s", dir, rel);
  return l4px_sb_detach(&sb);
}

/* See fileio.h. */
char *l4px_self_path(void)
{
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0)
    return NULL;
  buf[n] = '\0';
  return strdup(buf);
}
