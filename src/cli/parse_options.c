/* One option parser for every subcommand: typed rows (curl's style),
 * "--name value", "--name=value", "-x value", "--" and "--help", with
 * errors that name the option. Numbers are parsed strictly.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "llm4perf/status.h"
#include "util/fileio.h"
#include "util/banned.h"

void cli_print_help(const struct cli_opt *opts, const char *const *usage)
{
  for (size_t k = 0; usage[k]; k++)
    printf("%s%s\n", k ? "   or: " : "usage: ", usage[k]);
  printf("\n");
  for (const struct cli_opt *o = opts; o->long_name; o++) {
    char left[64];
    snprintf(left, sizeof left, "%s%c%s--%s%s%s", o->short_name ? "-" : "",
             o->short_name ? o->short_name : ' ', o->short_name ? ", " : "  ",
             o->long_name, o->type == OPT_BOOL ? "" : " ",
             o->type == OPT_BOOL ? "" : (o->arg_name ? o->arg_name : "VALUE"));
    if (!o->short_name)
      memmove(left, left + 1, strlen(left));
    printf("  %-28s %s\n", left, o->help);
  }
  printf("  %-28s %s\n", "-h, --help", "show this help");
}

static int bad_value(const struct cli_opt *o, const char *value,
                     const char *what)
{
  fprintf(stderr, "llm4perf: error: option '--%s': '%s' is not %s\n",
          o->long_name, value, what);
  return CLI_USAGE;
}

static int assign(const struct cli_opt *o, const char *value)
{
  long long n;
  double d;
  switch (o->type) {
  case OPT_BOOL:
    *(bool *)o->target = true;
    return 0;
  case OPT_INT:
    if (!l4px_parse_llong(value, &n) || n < LONG_MIN || n > LONG_MAX)
      return bad_value(o, value, "an integer");
    *(long *)o->target = (long)n;
    return 0;
  case OPT_SIZE:
    if (!l4px_parse_llong(value, &n) || n < 0)
      return bad_value(o, value, "a non-negative integer");
    *(size_t *)o->target = (size_t)n;
    return 0;
  case OPT_DOUBLE:
    if (!l4px_parse_double(value, &d))
      return bad_value(o, value, "a number");
    *(double *)o->target = d;
    return 0;
  case OPT_STRING:
    *(const char **)o->target = value;
    return 0;
  case OPT_LIST: {
    struct cli_list *list = o->target;
    if (list->n >= CLI_LIST_MAX) {
      fprintf(stderr, "llm4perf: error: option '--%s': more than %d uses\n",
              o->long_name, CLI_LIST_MAX);
      return CLI_USAGE;
    }
    list->items[list->n++] = value;
    return 0;
  }
  }
  return CLI_USAGE;
}

static const struct cli_opt *find_long(const struct cli_opt *opts,
                                       const char *name, size_t len)
{
  for (const struct cli_opt *o = opts; o->long_name; o++)
    if (strlen(o->long_name) == len && strncmp(o->long_name, name, len) == 0)
      return o;
  return NULL;
}

static const struct cli_opt *find_short(const struct cli_opt *opts, char c)
{
  for (const struct cli_opt *o = opts; o->long_name; o++)
    if (o->short_name == c)
      return o;
  return NULL;
}

int cli_parse(int argc, char **argv, const struct cli_opt *opts,
              const char *const *usage, int *n_args)
{
  int n_pos = 0;
  bool only_args = false;
  for (int i = 1; i < argc; i++) {
    char *arg = argv[i];
    if (only_args || arg[0] != '-' || arg[1] == '\0') {
      argv[n_pos++] = arg;
      continue;
    }
    if (strcmp(arg, "--") == 0) {
      only_args = true;
      continue;
    }
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
      cli_print_help(opts, usage);
      return -1;
    }
    const struct cli_opt *o;
    const char *value = NULL;
    if (arg[1] == '-') {
      const char *eq = strchr(arg + 2, '=');
      size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
      o = find_long(opts, arg + 2, len);
      if (eq)
        value = eq + 1;
    } else {
      o = arg[2] ? NULL : find_short(opts, arg[1]);
    }
    if (!o) {
      fprintf(stderr, "llm4perf: error: unknown option '%s'\n", arg);
      fprintf(stderr, "usage: %s\n", usage[0]);
      return CLI_USAGE;
    }
    if (o->type == OPT_BOOL) {
      if (value) {
        fprintf(stderr, "llm4perf: error: option '--%s' takes no value\n",
                o->long_name);
        return CLI_USAGE;
      }
    } else if (!value) {
      if (i + 1 >= argc) {
        fprintf(stderr, "llm4perf: error: option '--%s' needs a value\n",
                o->long_name);
        return CLI_USAGE;
      }
      value = argv[++i];
    }
    int rc = assign(o, value);
    if (rc)
      return rc;
  }
  *n_args = n_pos;
  return 0;
}

int cli_fail(l4p_status st)
{
  const char *detail = l4p_last_error();
  fprintf(stderr, "llm4perf: error: %s\n", *detail ? detail : l4p_strerror(st));
  return CLI_FAIL;
}

int cli_usage_error(const struct cli_ctx *cli, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "llm4perf %s: error: ", cli->command);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
  return CLI_USAGE;
}
