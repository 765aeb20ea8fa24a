/* From a configuration to the argv a live run executes: placeholders in
 * the spec's templates ({workdir}, {inputdir}, {specdir}, {llm4perf}, an
 * option's value as {name}) are filled in, and "{options}" becomes the
 * configuration's arguments, each option written in its cli form (switch,
 * value, equals, attached). Every value stays one argument whatever it
 * holds, since no shell ever reads it.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command-int.h"
#include "util/failf.h"
#include "util/spawn.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* See command-int.h. */
void l4p__cmd_value_text(const struct l4p_space *space, size_t i, double v,
                         char *buf, size_t size)
{
  const struct l4p_option *opt = l4p_space_option(space, i);
  if (opt->type == L4P_OPT_ENUM && opt->cli.values) {
    const char *text = opt->cli.values[l4p_option_nearest_index(opt, v)];
    if (text) {
      snprintf(buf, size, "%s", text);
      return;
    }
  }
  l4p_value_format(space, i, v, buf, size);
}

/* The value of placeholder name into sb. */
static l4p_status lookup(const char *name, const struct cmd_vars *v,
                         struct l4px_sb *sb)
{
  const char *dir = !strcmp(name, "workdir")    ? v->workdir
                    : !strcmp(name, "inputdir") ? v->inputdir
                    : !strcmp(name, "specdir")  ? v->specdir
                    : !strcmp(name, "llm4perf") ? v->self
                                                : NULL;
  if (dir) {
    l4px_sb_puts(sb, dir);
    return L4P_OK;
  }
  if (!strcmp(name, "workdir"))
    return l4p_failf(L4P_EUSAGE, "{workdir} is not available in setup "
                                 "commands");
  if (!strcmp(name, "options"))
    return l4p_failf(L4P_EUSAGE, "{options} must be a whole argument");
  int i = l4p_space_find(v->space, name);
  if (i < 0)
    return l4p_failf(L4P_EUSAGE, "unknown placeholder {%s}", name);
  if (!v->cfg)
    return l4p_failf(L4P_EUSAGE,
                     "option {%s} is not available in setup "
                     "commands",
                     name);
  char text[256];
  l4p__cmd_value_text(v->space, (size_t)i, v->cfg[i], text, sizeof text);
  l4px_sb_puts(sb, text);
  return L4P_OK;
}

/* See command-int.h. "{{" stands for a literal '{'. */
l4p_status l4p__cmd_expand(const char *tmpl, const struct cmd_vars *v,
                           char **out)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  l4p_status st = L4P_OK;
  for (const char *p = tmpl; *p && !st; p++) {
    if (*p != '{') {
      l4px_sb_putc(&sb, *p);
    } else if (p[1] == '{') {
      l4px_sb_putc(&sb, '{');
      p++;
    } else {
      const char *close = strchr(p, '}');
      if (!close) {
        st = l4p_failf(L4P_EUSAGE, "'{' without '}' in '%s'", tmpl);
        break;
      }
      char name[128];
      snprintf(name, sizeof name, "%.*s", (int)(close - p - 1), p + 1);
      st = lookup(name, v, &sb);
      p = close;
    }
  }
  *out = st ? NULL : l4px_sb_detach(&sb);
  l4px_sb_release(&sb);
  if (!st && !*out)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  return st;
}

/* A growing NULL-terminated argv. */
struct args {
  char **v;
  size_t n, cap;
  bool oom;
};

/* Append s (taken over; NULL means out of memory). */
static void add(struct args *a, char *s)
{
  if (!s) {
    a->oom = true;
    return;
  }
  if (a->n + 2 > a->cap) {
    size_t cap = 2 * a->cap;
    char **grown = realloc(a->v, cap * sizeof *grown);
    if (!grown) {
      a->oom = true;
      free(s);
      return;
    }
    a->v = grown;
    a->cap = cap;
  }
  a->v[a->n++] = s;
  a->v[a->n] = NULL;
}

/* flag, sep and text as one argument; NULL when out of memory. */
static char *joined(const char *flag, const char *sep, const char *text)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  l4px_sb_printf(&sb, "%s%s%s", flag, sep, text);
  return l4px_sb_detach(&sb);
}

/* Option i holding value v, written in its cli form. */
static void add_option(struct args *a, const struct l4p_space *space, size_t i,
                       double v)
{
  const struct l4p_option *opt = l4p_space_option(space, i);
  const struct l4p_cli *cli = &opt->cli;
  if (cli->form == L4P_CLI_NONE ||
      (cli->omit_default && v == opt->default_value))
    return;
  if (cli->form == L4P_CLI_SWITCH) {
    const char *flag = v != 0 ? cli->flag : cli->false_flag;
    if (flag)
      add(a, strdup(flag));
    return;
  }
  char text[256];
  l4p__cmd_value_text(space, i, v, text, sizeof text);
  if (cli->form == L4P_CLI_VALUE) {
    add(a, strdup(cli->flag));
    add(a, strdup(text));
  } else {
    add(a, joined(cli->flag, cli->form == L4P_CLI_EQUALS ? "=" : "", text));
  }
}

/* See command-int.h. */
l4p_status l4p__cmd_argv(char *const *tmpl, const struct cmd_vars *v,
                         char ***argv)
{
  struct args a = {calloc(16, sizeof(char *)), 0, 16, false};
  if (!a.v)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = L4P_OK;
  for (size_t k = 0; tmpl[k] && !st && !a.oom; k++) {
    if (strcmp(tmpl[k], "{options}") != 0) {
      char *arg;
      if (!(st = l4p__cmd_expand(tmpl[k], v, &arg)))
        add(&a, arg);
      continue;
    }
    for (size_t i = 0; v->cfg && i < l4p_space_n_options(v->space); i++)
      add_option(&a, v->space, i, v->cfg[i]);
  }
  if (!st && a.oom)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (st) {
    l4px_argv_free(a.v);
    return st;
  }
  *argv = a.v;
  return L4P_OK;
}
