/* The flag part of an option line in a help text: "-L, --level <n>",
 * "--[no-]check", "--format=zstd", "-T#", "--long[=#]", "-0 ... -9",
 * "--auto-threads={physical|logical}", "-o OUTPUT", lrzip's lowercase
 * "--level level". The description starts after two blanks, or after the
 * flags and at most one metavariable when a long flag leaves no room.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "help-int.h"
#include "util/banned.h"

static bool name_char(char c)
{
  return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' ||
         c == '+';
}

bool l4p__help_is_option_line(const char *t)
{
  if (t[0] != '-')
    return false;
  if (t[1] == '-')
    return isalnum((unsigned char)t[2]) || t[2] == '[';
  return isalnum((unsigned char)t[1]) || t[1] == '#' || t[1] == '?';
}

/* Copy [s, s + n) into dst of size size (cut to fit). */
static void copy(char *dst, size_t size, const char *s, size_t n)
{
  if (n >= size)
    n = size - 1;
  memcpy(dst, s, n);
  dst[n] = '\0';
}

/* Length of a bracketed group starting at s ('<' to '>', '{' to '}',
 * '[' to ']'), with what follows up to a blank or ','; 0 when open. */
static size_t group_len(const char *s)
{
  char close = s[0] == '<' ? '>' : s[0] == '{' ? '}' : ']';
  const char *e = strchr(s, close);
  if (!e)
    return 0;
  e++;
  while (*e && *e != ' ' && *e != ',')
    e++;
  return (size_t)(e - s);
}

/* An upper-case metavariable ("N", "FILE", "#", "LEVEL") at s; its
 * length, or 0. */
static size_t caps_len(const char *s)
{
  size_t n = 0;
  bool upper = false;
  while (s[n] &&
         (isupper((unsigned char)s[n]) || isdigit((unsigned char)s[n]) ||
          s[n] == '_' || s[n] == '-' || s[n] == '#')) {
    upper |= isupper((unsigned char)s[n]) || s[n] == '#';
    n++;
  }
  if (!upper || (s[n] && s[n] != ' ' && s[n] != ',' && s[n] != ':'))
    return 0;
  return n;
}

/* The value written after '=': a metavariable, {choices} or a literal. */
static const char *after_equals(const char *p, struct l4p__help_entry *e)
{
  const char *v = p;
  size_t n;
  if (*v == '<' || *v == '{') {
    n = group_len(v);
    if (!n)
      n = strcspn(v, " ,");
  } else {
    n = strcspn(v, " ,:");
  }
  if (*v == '{')
    copy(e->choices, sizeof e->choices, v + 1, n > 2 ? n - 2 : 0);
  else if (caps_len(v) == n || *v == '<')
    copy(e->metavar, sizeof e->metavar, v, n);
  else
    copy(e->literal, sizeof e->literal, v, n);
  return v + n;
}

/* A long flag at p ("--name", "--[no-]name", with =V or [=V]). */
static const char *long_flag(const char *p, struct l4p__help_entry *e)
{
  const char *name = p + 2;
  bool neg = strncmp(name, "[no-]", 5) == 0;
  if (neg)
    name += 5;
  size_t n = 0;
  while (name_char(name[n]))
    n++;
  while (n && (name[n - 1] == '.' || name[n - 1] == '-'))
    n--; /* "--single-thread." ends a sentence */
  if (n == 0)
    return NULL;
  if (!e->long_flag[0]) {
    char buf[64];
    snprintf(buf, sizeof buf, "--%.*s", (int)n, name);
    copy(e->long_flag, sizeof e->long_flag, buf, strlen(buf));
    e->negatable = neg;
  }
  p = name + n;
  if (*p == '=') {
    e->equals = true;
    p = after_equals(p + 1, e);
  } else if (p[0] == '[' && p[1] == '=') {
    e->equals = e->optional_arg = true;
    const char *close = strchr(p, ']');
    if (!close)
      return NULL;
    copy(e->metavar, sizeof e->metavar, p + 2, (size_t)(close - p - 2));
    p = close + 1;
  }
  return p;
}

/* A short flag at p ("-L", "-T#", "-v[v]", "-9", "-#"). */
static const char *short_flag(const char *p, struct l4p__help_entry *e)
{
  char c = p[1];
  if (isdigit((unsigned char)c) || c == '#') {
    int d = c == '#' ? -2 : c - '0';
    if (e->digit_lo == -1)
      e->digit_lo = e->digit_hi = d;
    else if (d > e->digit_hi)
      e->digit_hi = d;
    p += 2;
    /* "-0 ... -9": the ellipsis joins the two ends */
    if (!strncmp(p, " ... -", 6) && isdigit((unsigned char)p[6]))
      return short_flag(p + 5, e);
    return p;
  }
  if (!e->short_flag[0]) {
    e->short_flag[0] = '-';
    e->short_flag[1] = c;
    e->short_flag[2] = '\0';
  }
  p += 2;
  size_t n = strcspn(p, " ,:/");
  if (n && p[0] != '[' && !e->metavar[0]) {
    copy(e->metavar, sizeof e->metavar, p, n);
    e->attached = true;
  }
  return p + n;
}

/* A separate metavariable right after the flags ("<n>", "FILE",
 * "{a,b}", or a lower-case word followed by two blanks); its end or p. */
static const char *separate_metavar(const char *p, struct l4p__help_entry *e)
{
  if (*p != ' ' || p[1] == ' ' || e->metavar[0] || e->literal[0] ||
      e->choices[0])
    return p;
  const char *v = p + 1;
  size_t n = 0;
  if (*v == '<' || *v == '{')
    n = group_len(v);
  else if ((n = caps_len(v)) == 0 &&
           (islower((unsigned char)*v) || *v == '.')) {
    /* a lower-case word only when the description is apart or another
     * flag follows: "--level level  set...", "-S .suf, --suffix=.suf" */
    n = strcspn(v, " ,");
    if (v[n] && strncmp(v + n, "  ", 2) != 0 && strncmp(v + n, ", -", 3))
      n = 0;
  }
  if (n == 0)
    return p;
  if (*v == '{')
    copy(e->choices, sizeof e->choices, v + 1, n > 2 ? n - 2 : 0);
  else
    copy(e->metavar, sizeof e->metavar, v, n);
  return v + n;
}

bool l4p__help_parse_flags(const char *text, struct l4p__help_entry *e,
                           const char **desc)
{
  const char *p = text;
  e->digit_lo = e->digit_hi = -1;
  bool any = false;
  while (*p == '-') {
    const char *q = p[1] == '-' ? long_flag(p, e) : short_flag(p, e);
    if (!q)
      break;
    any = true;
    p = separate_metavar(q, e);
    if (p[0] == ',' && p[1] == ' ' && p[2] == '-')
      p += 2;
    else if ((p[0] == ',' || p[0] == '/') && p[1] == '-')
      p += 1;
    else if (p[0] == ' ' && p[1] == '-' && p[2] != ' ')
      p += 1; /* "-h -?" */
    else
      break;
  }
  if (!any)
    return false;
  while (*p == ',' || *p == ' ' || *p == ':')
    p++;
  *desc = p;
  return true;
}
