/* Splitting a command string into an argv the way a shell splits a
 * simple command, but with no expansion at all: quotes and backslashes
 * group and escape characters, and everything else, $(...), globs, ; |
 * & < > and #, is an ordinary character of some argument. This is what
 * lets a spec say "x264 --fullhelp" without ever running a shell.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "failf.h"
#include "spawn.h"
#include "strbuf.h"
#include "banned.h"

struct words {
  char **v;
  size_t n, cap;
  bool oom;
};

static void push(struct words *w, struct l4px_sb *word)
{
  if (w->n + 2 > w->cap) {
    size_t cap = w->cap ? 2 * w->cap : 8;
    char **grown = realloc(w->v, cap * sizeof *grown);
    if (!grown) {
      w->oom = true;
      l4px_sb_release(word);
      return;
    }
    w->v = grown;
    w->cap = cap;
  }
  char *s = l4px_sb_detach(word);
  if (!s)
    w->oom = true;
  else
    w->v[w->n++] = s;
  w->v[w->n] = NULL;
}

static bool blank(char c)
{
  return c == ' ' || c == '\t' || c == '\n';
}

/* Characters a backslash escapes inside double quotes (POSIX). */
static bool dq_special(char c)
{
  return c == '$' || c == '`' || c == '"' || c == '\\' || c == '\n';
}

l4p_status l4px_split_command(const char *cmd, char ***argv)
{
  *argv = NULL;
  struct words w = {0};
  struct l4px_sb word;
  l4px_sb_init(&word);
  bool in_word = false;
  l4p_status st = L4P_OK;
  for (size_t i = 0; cmd[i] && !st; i++) {
    char c = cmd[i];
    if (blank(c)) {
      if (in_word)
        push(&w, &word);
      in_word = false;
    } else if (c == '\\') {
      if (!cmd[i + 1]) {
        st = l4p_failf(L4P_EPARSE,
                       "command: column %zu: backslash at the "
                       "end",
                       i + 1);
      } else if (cmd[++i] != '\n') { /* backslash-newline: no character */
        in_word = true;
        l4px_sb_putc(&word, cmd[i]);
      }
    } else if (c == '\'' || c == '"') {
      size_t open = i;
      in_word = true;
      for (i++; cmd[i] && cmd[i] != c; i++) {
        if (c == '"' && cmd[i] == '\\' && dq_special(cmd[i + 1])) {
          if (cmd[++i] != '\n')
            l4px_sb_putc(&word, cmd[i]);
        } else {
          l4px_sb_putc(&word, cmd[i]);
        }
      }
      if (!cmd[i]) {
        st = l4p_failf(L4P_EPARSE,
                       "command: column %zu: unterminated %s "
                       "quote",
                       open + 1, c == '"' ? "double" : "single");
        break;
      }
    } else {
      in_word = true;
      l4px_sb_putc(&word, c);
    }
  }
  if (!st && in_word)
    push(&w, &word);
  l4px_sb_release(&word);
  if (!st && w.oom)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st && w.n == 0)
    st = l4p_failf(L4P_EUSAGE, "empty command");
  if (st) {
    for (size_t k = 0; k < w.n; k++)
      free(w.v[k]);
    free(w.v);
    return st;
  }
  *argv = w.v;
  return L4P_OK;
}

void l4px_argv_free(char **argv)
{
  if (!argv)
    return;
  for (char **a = argv; *a; a++)
    free(*a);
  free(argv);
}
