/* Growable strings for building messages, CSV lines, SQL and prompts.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

static char empty_string[1];

void l4px_sb_init(struct l4px_sb *sb)
{
  sb->buf = empty_string;
  sb->len = sb->cap = 0;
  sb->oom = false;
}

void l4px_sb_release(struct l4px_sb *sb)
{
  if (sb->cap)
    free(sb->buf);
  l4px_sb_init(sb);
}

void l4px_sb_reset(struct l4px_sb *sb)
{
  sb->len = 0;
  if (sb->cap)
    sb->buf[0] = '\0';
}

/* Make room for n more bytes plus the NUL; false on allocation failure. */
static bool grow(struct l4px_sb *sb, size_t n)
{
  if (sb->oom)
    return false;
  if (sb->len + n + 1 <= sb->cap)
    return true;
  size_t cap = sb->cap ? sb->cap : 64;
  while (cap < sb->len + n + 1)
    cap *= 2;
  char *buf = realloc(sb->cap ? sb->buf : NULL, cap);
  if (!buf) {
    sb->oom = true;
    return false;
  }
  if (!sb->cap)
    buf[0] = '\0';
  sb->buf = buf;
  sb->cap = cap;
  return true;
}

void l4px_sb_add(struct l4px_sb *sb, const char *s, size_t n)
{
  if (!grow(sb, n))
    return;
  memcpy(sb->buf + sb->len, s, n);
  sb->len += n;
  sb->buf[sb->len] = '\0';
}

void l4px_sb_puts(struct l4px_sb *sb, const char *s)
{
  l4px_sb_add(sb, s, strlen(s));
}

void l4px_sb_putc(struct l4px_sb *sb, char c)
{
  l4px_sb_add(sb, &c, 1);
}

void l4px_sb_printf(struct l4px_sb *sb, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || !grow(sb, (size_t)n))
    return;
  va_start(ap, fmt);
  vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  sb->len += (size_t)n;
}

void l4px_sb_csv_field(struct l4px_sb *sb, const char *s, char delim)
{
  /* csv.c trims blanks around unquoted fields, so quote to keep them */
  size_t n = strlen(s);
  bool padded =
      n && (isspace((unsigned char)s[0]) || isspace((unsigned char)s[n - 1]));
  if (!padded && !strchr(s, delim) && !strpbrk(s, "\"\r\n")) {
    l4px_sb_puts(sb, s);
    return;
  }
  l4px_sb_putc(sb, '"');
  for (; *s; s++) {
    if (*s == '"')
      l4px_sb_putc(sb, '"');
    l4px_sb_putc(sb, *s);
  }
  l4px_sb_putc(sb, '"');
}

char *l4px_sb_detach(struct l4px_sb *sb)
{
  if (sb->oom) {
    l4px_sb_release(sb);
    return NULL;
  }
  char *out = sb->cap ? sb->buf : calloc(1, 1);
  l4px_sb_init(sb);
  return out;
}

bool l4px_sb_failed(const struct l4px_sb *sb)
{
  return sb->oom;
}
