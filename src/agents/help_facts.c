/* What an option's description says about its values, in the phrasings
 * help texts and man pages use: defaults ("[Default: 3]", "(default 7)",
 * "default is 6", x264's trailing "[hex]", "`crc64' (default)"), ranges
 * ("between 1 and 19", "(1-9, ...)", "(-12-51)", "0 to 5", "[1..16]")
 * and enumerated values (bullet lists "- dia: ...", "- none, spatial",
 * "one of: a, b", quoted lists, "{a,b}"). Nothing here decides a type:
 * builtin_extract.c weighs these facts against the flag's metavariable.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "help-int.h"
#include "util/banned.h"

static bool value_char(char c)
{
  return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '+' ||
         c == '-';
}

void l4p__help_add_value(struct l4p__help_facts *f, const char *value,
                         size_t len)
{
  while (len && (value[len - 1] == '.' || value[len - 1] == '-'))
    len--; /* a sentence's full stop is no part of the value */
  if (!len || len >= sizeof f->values[0] || f->n_values == L4P__HELP_MAX_VALUES)
    return;
  for (size_t k = 0; k < f->n_values; k++)
    if (strlen(f->values[k]) == len && !strncmp(f->values[k], value, len))
      return;
  memcpy(f->values[f->n_values], value, len);
  f->values[f->n_values++][len] = '\0';
}

/* A number at s (no leading sign unless allowed); its end or NULL. */
static const char *number_end(const char *s, bool sign)
{
  const char *p = s;
  if (sign && *p == '-')
    p++;
  if (!isdigit((unsigned char)*p))
    return NULL;
  while (isdigit((unsigned char)*p))
    p++;
  if (*p == '.' && isdigit((unsigned char)p[1]))
    for (p++; isdigit((unsigned char)*p); p++)
      ;
  return p;
}

/* A value token at s: 'quoted', `quoted', "quoted" or a bare word.
 * *start and *len get it; returns the end, or NULL when there is none. */
static const char *token(const char *s, const char **start, size_t *len)
{
  if (*s == '\'' || *s == '`' || *s == '"') {
    char close = *s == '"' ? '"' : '\'';
    const char *e = strchr(s + 1, close);
    if (!e || e == s + 1 || e - s > 40)
      return NULL;
    *start = s + 1;
    *len = (size_t)(e - s - 1);
    return e + 1;
  }
  const char *e = s;
  while (value_char(*e))
    e++;
  if (e == s)
    return NULL;
  *start = s;
  *len = (size_t)(e - s);
  return e;
}

/* Priorities of default candidates (tag-help-default). */
enum { EXPLICIT, BRACKET, LOOSE, N_KINDS };

struct candidates {
  bool has[N_KINDS];
  char text[N_KINDS][64];
};

static void set_default(struct candidates *c, int kind, const char *s, size_t n)
{
  while (n && (s[n - 1] == '.' || s[n - 1] == ','))
    n--;
  if (c->has[kind] || n == 0 || n >= sizeof c->text[0])
    return;
  memcpy(c->text[kind], s, n);
  c->text[kind][n] = '\0';
  c->has[kind] = true;
}

/* Case-insensitive strstr (strcasestr is a GNU extension). */
static const char *find_ci(const char *s, const char *word)
{
  size_t n = strlen(word);
  for (; *s; s++)
    if (!strncasecmp(s, word, n))
      return s;
  return NULL;
}

/* A list of values at s ("a, b or c", "`x' (default), `y'"), kept when
 * it has two items or more. */
static void list_at(const char *s, struct l4p__help_facts *f,
                    struct candidates *c)
{
  struct l4p__help_facts tmp = {0};
  struct candidates mine = {0};
  for (;;) {
    while (*s == ' ')
      s++;
    if (!strncmp(s, "and ", 4) || !strncmp(s, "or ", 3))
      s += *s == 'a' ? 4 : 3;
    const char *v;
    size_t n;
    const char *e = token(s, &v, &n);
    if (!e)
      break;
    l4p__help_add_value(&tmp, v, n);
    s = e;
    while (*s == ' ')
      s++;
    if (!strncasecmp(s, "(default)", 9)) {
      set_default(&mine, EXPLICIT, v, n);
      s += 9;
    } else if (*s == '(' && strchr(s, ')')) {
      s = strchr(s, ')') + 1; /* "`none' (use with caution)," */
    }
    if (*s == ',' || *s == '|' || *s == '/')
      s++;
    else if (strncmp(s, "or ", 3) && strncmp(s, "and ", 4))
      break;
  }
  if (tmp.n_values < 2)
    return;
  for (size_t k = 0; k < tmp.n_values; k++)
    l4p__help_add_value(f, tmp.values[k], strlen(tmp.values[k]));
  if (mine.has[EXPLICIT])
    set_default(c, EXPLICIT, mine.text[EXPLICIT], strlen(mine.text[EXPLICIT]));
}

/* A bullet line's values: "dia: ...", "3-5: ...", "none, spatial, auto". */
static void bullet(const char *s, struct l4p__help_facts *f,
                   struct candidates *c)
{
  const char *v;
  size_t n;
  const char *e = token(s, &v, &n);
  if (!e)
    return;
  if (e[0] == ' ' && e[1] == '(' && strchr(e, ')') && strchr(e, ')')[1] == ':')
    e = strchr(e, ')') + 1; /* "- film (psy tuning):" */
  if (*e == ':') {
    char *end;
    long a = strtol(v, &end, 10);
    if (end > v && *end == '-' && isdigit((unsigned char)end[1])) {
      long b = strtol(end + 1, NULL, 10);
      for (long k = a; k <= b && k - a < L4P__HELP_MAX_VALUES; k++) {
        char buf[24];
        int len = snprintf(buf, sizeof buf, "%ld", k);
        l4p__help_add_value(f, buf, (size_t)len);
      }
    } else {
      l4p__help_add_value(f, v, n);
    }
  } else if (*e == ',' || *e == '\0') {
    list_at(s, f, c);
  }
}

/* The first range in s: "between A and B", "from A to B", "A to B",
 * "A..B", "A-B" (A < B). */
static void find_range(const char *s, struct l4p__help_facts *f)
{
  for (const char *p = s; *p && !f->has_range; p++) {
    if (p > s &&
        (isalnum((unsigned char)p[-1]) || p[-1] == '.' || p[-1] == '-'))
      continue;
    const char *a_end = number_end(p, true);
    if (!a_end)
      continue;
    const char *q = a_end;
    bool and_form = false, sign_ok = true;
    while (*q == ' ')
      q++;
    if (!strncmp(q, "...", 3))
      q += 3;
    else if (!strncmp(q, "..", 2))
      q += 2;
    else if (!strncmp(q, "to ", 3))
      q += 3;
    else if (!strncmp(q, "and ", 4))
      q += 4, and_form = true;
    else if (*q == '-')
      q++, sign_ok = q[0] == ' ';
    else
      continue;
    if (and_form && (p - s < 8 || strncasecmp(p - 8, "between ", 8)))
      continue; /* "A and B" only after "between" */
    while (*q == ' ')
      q++;
    const char *b_end = number_end(q, sign_ok);
    if (!b_end || isalnum((unsigned char)*b_end) || *b_end == '-')
      continue;
    double a = strtod(p, NULL), b = strtod(q, NULL);
    if (a < b) {
      f->has_range = true;
      f->min = a;
      f->max = b;
    }
  }
}

/* "default" phrasings in s. */
static void find_default(const char *s, struct l4p__help_facts *f,
                         struct candidates *c)
{
  for (const char *p = s; *p; p++) {
    if (strncasecmp(p, "default", 7) ||
        (p > s && isalpha((unsigned char)p[-1])))
      continue;
    const char *q = p + 7;
    if (*q == 's')
      q++;
    if (*q == ']' && p > s && p[-1] == '[') {
      f->default_marker = true;
      continue;
    }
    if (*q == ')' && p > s && p[-1] == '(') {
      /* "`x' (default)" is a list's business; "lzma (default)" marks */
      if (p < s + 3 || (p[-3] != '\'' && p[-3] != '"'))
        f->default_marker = true;
      continue;
    }
    int kind = LOOSE;
    while (*q == ' ' || *q == ':' || *q == '=')
      kind = *q++ == ' ' ? kind : EXPLICIT;
    if (!strncmp(q, "value is ", 9))
      q += 9, kind = EXPLICIT;
    if (!strncmp(q, "is ", 3) || !strncmp(q, "to ", 3))
      q += 3, kind = EXPLICIT;
    if (kind == LOOSE && p > s + 1 && p[-1] == '(')
      kind = EXPLICIT; /* "(default 7)" */
    const char *v;
    size_t n;
    const char *e = number_end(q, true);
    if (e)
      set_default(c, kind, q, (size_t)(e - q));
    else if (token(q, &v, &n))
      set_default(c, kind, v, n);
  }
}

/* x264's "[hex]" / "[\"hex\"]" / "[-1 (auto)]" at the end of the first
 * line, when no other phrasing gave a default and it is not a range. */
static void bracket_default(const char *line, size_t len,
                            struct l4p__help_facts *f, struct candidates *c)
{
  const char *open = NULL;
  for (size_t k = 0; k < len; k++)
    if (line[k] == '[')
      open = line + k;
  if (!open)
    return;
  const char *close = memchr(open, ']', len - (size_t)(open - line));
  if (!close)
    return;
  struct l4p__help_facts probe = {0};
  char inner[64];
  size_t n = (size_t)(close - open - 1);
  if (n == 0 || n >= sizeof inner)
    return;
  memcpy(inner, open + 1, n);
  inner[n] = '\0';
  find_range(inner, &probe);
  if (probe.has_range) {
    if (!f->has_range) {
      f->has_range = true;
      f->min = probe.min;
      f->max = probe.max;
    }
    return;
  }
  if (!strncasecmp(inner, "default", 7))
    return; /* "[Default: 3]" was read as an explicit default */
  const char *v;
  size_t vn;
  const char *e = number_end(inner, true);
  if (e && (*e == '\0' || *e == ' '))
    set_default(c, BRACKET, inner, (size_t)(e - inner));
  else if (e)
    return; /* "[0:0]": a compound value, not a number */
  else if (token(inner, &v, &vn))
    set_default(c, BRACKET, v, vn);
}

static const char *const markers[] = {
    "one of",     "values:",         "values are",   "choices:", "available:",
    "supported:", "possible values", "valid values", "either "};

void l4p__help_facts(const char *desc, struct l4p__help_facts *f)
{
  memset(f, 0, sizeof *f);
  struct candidates c = {0};
  struct l4px_sb prose;
  l4px_sb_init(&prose);
  const char *first = NULL;
  size_t first_len = 0;
  bool in_bullet_list = false;
  for (const char *line = desc; *line;) {
    size_t len = strcspn(line, "\n");
    const char *t = line;
    while (*t == ' ')
      t++;
    bool comma_end = len > 0 && line[len - 1] == ',';
    if (t[0] == '-' && t[1] == ' ') {
      bullet(t + 2, f, &c);
      in_bullet_list = comma_end;
    } else if (in_bullet_list) {
      list_at(t, f, &c); /* a comma list continued from a bullet */
      in_bullet_list = comma_end;
    } else {
      if (!first) {
        first = line;
        first_len = len;
      }
      for (size_t k = 0; k < len; k++) /* one blank between words */
        if (line[k] != ' ' || (prose.len && prose.buf[prose.len - 1] != ' '))
          l4px_sb_putc(&prose, line[k]);
      if (prose.len && prose.buf[prose.len - 1] != ' ')
        l4px_sb_putc(&prose, ' ');
    }
    line += len + (line[len] == '\n');
  }
  const char *s = prose.buf;
  find_default(s, f, &c);
  for (size_t k = 0; k < sizeof markers / sizeof markers[0]; k++) {
    const char *m = s;
    while ((m = find_ci(m, markers[k]))) {
      m += strlen(markers[k]);
      const char *q = m;
      while (*q == ' ' || *q == ':')
        q++;
      if (!strncmp(q, "are ", 4))
        q += 4;
      list_at(q, f, &c);
    }
  }
  /* GNU's `quoted' values anywhere ("`auto' (default), `xz', ...") */
  const char *bq = strchr(s, '`');
  if (bq)
    list_at(bq, f, &c);
  const char *brace = strchr(s, '{');
  if (brace && strchr(brace, '}'))
    list_at(brace + 1, f, &c);
  find_range(s, f);
  if (first)
    bracket_default(first, first_len, f, &c);
  for (int k = 0; k < N_KINDS; k++)
    if (c.has[k])
      memcpy(f->defaults[f->n_defaults++], c.text[k], sizeof c.text[k]);
  l4px_sb_release(&prose);
}
