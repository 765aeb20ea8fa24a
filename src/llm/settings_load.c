/* Reading LLM settings from text: a config file of "llm.NAME = VALUE"
 * lines, "NAME=VALUE" assignments from the command line, and the
 * standard order of sources every command uses (tag-llm-precedence).
 * All end in l4p_llm_settings_set, so every source is checked the same
 * way; the file format is documented in docs/LLM.md.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "llm-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

/* Trim spaces and tabs at both ends of [*start, *end). */
static void trim(char **start, char **end)
{
  while (*start < *end && isspace((unsigned char)**start))
    (*start)++;
  while (*end > *start && isspace((unsigned char)(*end)[-1]))
    (*end)--;
}

/* Split "name = value" in place (the text is modified) and set it.
 * EUSAGE with the setting's message; EPARSE without an '='. */
static l4p_status set_line(struct l4p_llm_settings *s, char *line, char *end)
{
  char *eq = memchr(line, '=', (size_t)(end - line));
  if (!eq)
    return l4p_failf(L4P_EPARSE, "expected 'llm.NAME = VALUE'");
  char *name = line, *name_end = eq;
  char *value = eq + 1, *value_end = end;
  trim(&name, &name_end);
  trim(&value, &value_end);
  if (value_end - value >= 2 && value[0] == '"' && value_end[-1] == '"') {
    value++;
    value_end--;
  }
  *name_end = '\0';
  *value_end = '\0';
  return l4p_llm_settings_set(s, name, value);
}

/* Set one "NAME=VALUE" assignment, e.g. from a --set flag. */
l4p_status l4p_llm_settings_assign(struct l4p_llm_settings *s,
                                   const char *assignment)
{
  char *copy = strdup(assignment ? assignment : "");
  if (!copy)
    return l4p_failf(L4P_ENOMEM, "setting: out of memory");
  l4p_status st = set_line(s, copy, copy + strlen(copy));
  if (st == L4P_EPARSE)
    st = l4p_failf(L4P_EUSAGE, "setting '%s': expected NAME=VALUE",
                   assignment ? assignment : "");
  free(copy);
  return st;
}

/* Read a config file line by line; the first bad line fails the whole
 * load, with the settings possibly holding the lines before it. */
l4p_status l4p_llm_settings_load_file(struct l4p_llm_settings *s,
                                      const char *path)
{
  char *text;
  size_t len;
  l4p_status st = l4px_read_file(path, &text, &len);
  if (st != L4P_OK)
    return st;
  if (strlen(text) != len) {
    free(text);
    return l4p_failf(L4P_EPARSE, "%s: NUL byte in a config file", path);
  }
  int lineno = 0;
  char *line = text;
  while (st == L4P_OK && *line) {
    char *end = strchr(line, '\n');
    char *next = end ? end + 1 : line + strlen(line);
    if (!end)
      end = next;
    lineno++;
    char *start = line, *stop = end;
    trim(&start, &stop);
    if (start < stop && *start != '#') {
      st = set_line(s, start, stop);
      if (st != L4P_OK && st != L4P_ENOMEM) {
        char where[600];
        snprintf(where, sizeof where, "%s:%d", path, lineno);
        l4p_error_prefix(where);
        st = L4P_EPARSE;
      }
    }
    line = next;
  }
  free(text);
  return st;
}

/* The default config file, read only when present. */
#define DEFAULT_CONFIG "llm4perf.conf"

/* Defaults < config file < environment; flags come after, from the
 * caller (tag-llm-precedence, docs/LLM.md). */
l4p_status l4p_llm_settings_load_standard(struct l4p_llm_settings *s,
                                          const char *path)
{
  const char *env = getenv("L4P_LLM_CONFIG");
  if (!path && env && *env)
    path = env;
  if (!path && access(DEFAULT_CONFIG, F_OK) == 0)
    path = DEFAULT_CONFIG;
  l4p_status st = path ? l4p_llm_settings_load_file(s, path) : L4P_OK;
  if (st == L4P_OK)
    st = l4p_llm_settings_load_env(s);
  return st;
}
