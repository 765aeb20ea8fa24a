/* A position-only JSON walker: it never builds values, it only skips them
 * until the requested path is reached. Input is assumed to be valid JSON
 * (jansson has accepted it), so the scanner stays small.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "jsonloc.h"
#include "banned.h"

struct scan {
  const char *p;
  const char *key; /* start of the last member name entered */
};

static void skip_space(struct scan *s)
{
  while (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')
    s->p++;
}

/* Skip a string starting at '"'; copy up to size-1 raw bytes into buf. */
static void skip_string(struct scan *s, char *buf, size_t size)
{
  size_t n = 0;
  for (s->p++; *s->p && *s->p != '"'; s->p++) {
    if (*s->p == '\\' && s->p[1])
      s->p++;
    if (buf && n + 1 < size)
      buf[n++] = *s->p;
  }
  if (buf)
    buf[n] = '\0';
  if (*s->p == '"')
    s->p++;
}

static void skip_value(struct scan *s)
{
  skip_space(s);
  if (*s->p == '"') {
    skip_string(s, NULL, 0);
    return;
  }
  if (*s->p == '{' || *s->p == '[') {
    int depth = 0;
    do {
      if (*s->p == '"') {
        skip_string(s, NULL, 0);
        continue;
      }
      if (*s->p == '{' || *s->p == '[')
        depth++;
      else if (*s->p == '}' || *s->p == ']')
        depth--;
      s->p++;
    } while (*s->p && depth > 0);
    return;
  }
  while (*s->p && !strchr(",]} \t\r\n", *s->p))
    s->p++;
}

/* Move s to the member or element named seg of the container at s->p. */
static bool enter(struct scan *s, const char *seg, size_t seg_len)
{
  skip_space(s);
  char open = *s->p;
  if (open != '{' && open != '[')
    return false;
  long want = open == '[' ? strtol(seg, NULL, 10) : -1;
  s->p++;
  for (long index = 0;; index++) {
    skip_space(s);
    if (*s->p == '}' || *s->p == ']' || !*s->p)
      return false;
    if (open == '{') {
      char key[256];
      s->key = s->p;
      skip_string(s, key, sizeof key);
      skip_space(s);
      if (*s->p == ':')
        s->p++;
      skip_space(s);
      if (strlen(key) == seg_len && strncmp(key, seg, seg_len) == 0)
        return true;
    } else if (index == want) {
      skip_space(s);
      return true;
    }
    skip_value(s);
    skip_space(s);
    if (*s->p == ',')
      s->p++;
  }
}

static void position(const char *text, const char *at, int *line, int *col)
{
  *line = 1;
  *col = 1;
  for (const char *p = text; p < at; p++) {
    if (*p == '\n') {
      (*line)++;
      *col = 1;
    } else {
      (*col)++;
    }
  }
}

/* Walk path; *at gets the value's (or its member name's) position. */
static bool walk(const char *text, const char *path, bool want_key,
                 const char **at)
{
  struct scan s = {text, NULL};
  skip_space(&s);
  bool found = true;
  while (*path) {
    const char *slash = strchr(path, '/');
    size_t len = slash ? (size_t)(slash - path) : strlen(path);
    const char *before = s.p;
    if (!enter(&s, path, len)) {
      s.p = before;
      found = false;
      break;
    }
    path += len + (slash != NULL);
  }
  skip_space(&s);
  *at = want_key && found && s.key ? s.key : s.p;
  return found;
}

bool l4px_json_locate(const char *text, const char *path, int *line, int *col)
{
  const char *at;
  bool found = walk(text, path, false, &at);
  position(text, at, line, col);
  return found;
}

bool l4px_json_locate_key(const char *text, const char *path, int *line,
                          int *col)
{
  const char *at;
  bool found = walk(text, path, true, &at);
  position(text, at, line, col);
  return found;
}
