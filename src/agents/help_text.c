/* Cutting a help text or a formatted man page into option entries: the
 * text is made plain (tabs expanded, "x\bx" overstrikes and terminal
 * escapes dropped, Unicode hyphens, minus signs and quotes made ASCII),
 * then read line by line. A line starting with a flag opens an entry
 * unless it is indented like the current entry's description (x264
 * lists "--no-cabac --bframes 0" inside its --preset text); deeper lines
 * continue the description; anything less indented ends it.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "help-int.h"
#include "util/banned.h"

/* Markers plain() leaves for the line reader. */
#define BULLET '\x01' /* a list bullet before an option (zstd's man page) */
#define SOFT '\x02'   /* a word hyphenated at the end of a line */

/* Replace the UTF-8 sequence at s (length 3) by an ASCII character, or
 * 0 when it is none of the dashes, quotes and bullets help texts use. */
static char ascii_for(const unsigned char *s)
{
  if (s[0] == 0xe2 && s[1] == 0x80 && s[2] == 0x90 && s[3] == '\n')
    return SOFT; /* groff's hyphenation point */
  if ((s[0] == 0xe2 && s[1] == 0x97 && s[2] == 0x8b) ||
      (s[0] == 0xe2 && s[1] == 0x80 && s[2] == 0xa2))
    return BULLET;
  if (s[0] == 0xe2 && s[1] == 0x80) {
    if (s[2] >= 0x90 && s[2] <= 0x95)
      return '-'; /* hyphens and dashes */
    if (s[2] == 0x98 || s[2] == 0x99)
      return '\'';
    if (s[2] == 0x9c || s[2] == 0x9d)
      return '"';
  }
  if (s[0] == 0xe2 && s[1] == 0x88 && s[2] == 0x92)
    return '-'; /* minus sign (groff's \-) */
  return 0;
}

/* The plain text of text, lines '\n'-separated, tabs expanded. */
static char *plain(const char *text)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  size_t col = 0;
  for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
    if (*s == 0x1b) { /* ESC [ ... letter */
      if (s[1] == '[') {
        s += 2;
        while (*s && !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
          s++;
        if (!*s)
          break;
      }
      continue;
    }
    if (*s == '\b') { /* overstrike: drop the character before */
      if (sb.len && sb.buf[sb.len - 1] != '\n') {
        sb.len--;
        col = col ? col - 1 : 0;
      }
      continue;
    }
    if (*s == '\r')
      continue;
    char c = s[0] == 0xe2 && s[1] && s[2] ? ascii_for(s) : 0;
    if (s[0] == 0xc2 && s[1] == 0xb7) { /* middle dot bullet */
      l4px_sb_putc(&sb, BULLET);
      col++;
      s++;
      continue;
    }
    if (c) {
      l4px_sb_putc(&sb, c);
      col++;
      s += 2;
    } else if (*s == '\t') {
      do
        l4px_sb_putc(&sb, ' ');
      while (++col % 8);
    } else {
      l4px_sb_putc(&sb, (char)*s);
      col = *s == '\n' ? 0 : col + ((*s & 0xc0) != 0x80);
    }
  }
  return l4px_sb_detach(&sb);
}

struct cutter {
  struct l4p__help_entry *v;
  size_t n, cap;
  struct l4p__help_entry *cur; /* the open entry, or NULL */
  bool blank_before;           /* a blank line since cur's last line */
  bool oom;
};

static struct l4p__help_entry *open_entry(struct cutter *c)
{
  if (c->n == c->cap) {
    size_t cap = c->cap ? 2 * c->cap : 32;
    struct l4p__help_entry *grown = realloc(c->v, cap * sizeof *grown);
    if (!grown) {
      c->oom = true;
      return NULL;
    }
    c->v = grown;
    c->cap = cap;
  }
  struct l4p__help_entry *e = &c->v[c->n];
  memset(e, 0, sizeof *e);
  l4px_sb_init(&e->desc);
  return e;
}

/* Append a description line; a word hyphenated across lines is joined. */
static void add_desc(struct l4p__help_entry *e, const char *s, size_t n)
{
  while (n && s[n - 1] == ' ')
    n--;
  if (!n)
    return;
  if (e->desc.len && e->desc.buf[e->desc.len - 1] == SOFT)
    e->desc.buf[--e->desc.len] = '\0';
  else if (e->desc.len)
    l4px_sb_putc(&e->desc, '\n');
  l4px_sb_add(&e->desc, s, n);
}

/* One line: text (len bytes) at column indent; col is where the line's
 * structure starts (a bullet's column, else indent). Under a bulleted
 * entry only another bullet (or a line as far left) opens an entry: its
 * wrapped text may start with a flag. */
static void take_line(struct cutter *c, size_t col, size_t indent,
                      const char *text, size_t len)
{
  struct l4p__help_entry *cur = c->cur;
  char line[1024];
  size_t n = len < sizeof line - 1 ? len : sizeof line - 1;
  memcpy(line, text, n);
  line[n] = '\0';
  bool is_opt = l4p__help_is_option_line(line);
  bool bulleted = col != indent;
  if (cur) {
    bool opens = is_opt && (cur->desc_col < 0 ? (int)col <= cur->flag_col + 4
                                              : (int)col < cur->desc_col);
    if (cur->bulleted && !bulleted && (int)col > cur->flag_col)
      opens = false;
    if (!opens && (int)col > cur->flag_col) {
      if (cur->desc_col < 0)
        cur->desc_col = (int)indent;
      add_desc(cur, line, n);
      c->blank_before = false;
      return;
    }
    if (opens && !cur->desc.len && !c->blank_before)
      cur->share_next = true;
    c->cur = NULL;
  }
  if (!is_opt)
    return;
  struct l4p__help_entry *e = open_entry(c);
  const char *desc;
  if (!e || !l4p__help_parse_flags(line, e, &desc)) {
    if (e)
      l4px_sb_release(&e->desc);
    return;
  }
  e->flag_col = (int)col;
  e->bulleted = bulleted;
  e->desc_col = *desc ? (int)(indent + (size_t)(desc - line)) : -1;
  add_desc(e, desc, strlen(desc));
  c->n++;
  c->cur = e;
  c->blank_before = false;
}

bool l4p__help_entries(const char *text, struct l4p__help_entry **entries,
                       size_t *n)
{
  *entries = NULL;
  *n = 0;
  char *t = plain(text);
  if (!t)
    return false;
  struct cutter c = {0};
  for (char *line = t; *line;) {
    size_t len = strcspn(line, "\n"), col = strspn(line, " "), indent;
    indent = col;
    if (indent < len && line[indent] == BULLET)
      indent += 1 + strspn(line + indent + 1, " ");
    if (indent >= len)
      c.blank_before = true;
    else
      take_line(&c, col, indent, line + indent, len - indent);
    line += len + (line[len] == '\n');
  }
  free(t);
  /* flag-only lines stacked above one description share it (xz's
   * --memlimit-compress, --memlimit-decompress and -M) */
  for (size_t k = c.n; k-- > 1;)
    if (c.v[k - 1].share_next && !c.v[k - 1].desc.len)
      l4px_sb_add(&c.v[k - 1].desc, c.v[k].desc.buf, c.v[k].desc.len);
  bool failed = c.oom;
  for (size_t k = 0; k < c.n; k++)
    failed |= l4px_sb_failed(&c.v[k].desc);
  if (failed) {
    l4p__help_entries_free(c.v, c.n);
    return false;
  }
  *entries = c.v;
  *n = c.n;
  return true;
}

void l4p__help_entries_free(struct l4p__help_entry *entries, size_t n)
{
  for (size_t k = 0; k < n; k++)
    l4px_sb_release(&entries[k].desc);
  free(entries);
}
