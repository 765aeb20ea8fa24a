/* The llm agent's prompt templates: plain text files, one per role
 * (prompts/ROLE.txt), that people may edit. This file finds their
 * directory, reads a template into its system and user parts, checks its
 * {{placeholders}} against what the role can fill, and fills them.
 * Format and placeholders: docs/LLM.md "Prompts" (tag-prompt-format).
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "llm_agent-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* Set by the build (CMakeLists.txt): where the templates are in the
 * source tree and where they are installed. */
#ifndef L4P_PROMPTS_SOURCE_DIR
#define L4P_PROMPTS_SOURCE_DIR ""
#endif
#ifndef L4P_PROMPTS_INSTALL_DIR
#define L4P_PROMPTS_INSTALL_DIR "/usr/local/share/llm4perf/prompts"
#endif

/* Placeholders each role can fill (keep in step with llm_render.c and
 * docs/LLM.md): those of every role, then the role's own. */
#define COMMON "system, schema, input, seed"
static const char *const placeholders[L4P_ROLE_COUNT] = {
    [L4P_ROLE_EXTRACT] = COMMON ", text, part, parts",
    [L4P_ROLE_FILTER] = COMMON ", objectives, options, n_options",
    [L4P_ROLE_ANALYZE] = COMMON ", objectives, options, n_options, history, "
                                "n_history",
    [L4P_ROLE_DESIGN] = COMMON ", objectives, options, n_options, analysis, "
                               "measured, budget_left, budget",
    [L4P_ROLE_GENERATE] = COMMON ", options, n_options, strategy, measured, "
                                 "n_measured, n",
};

/* The placeholders of role, for messages (static text). */
const char *l4p__prompt_names(enum l4p_role role)
{
  return (unsigned)role < L4P_ROLE_COUNT ? placeholders[role] : "";
}

/* Whether role fills the placeholder name[0..len). */
bool l4p__prompt_knows(enum l4p_role role, const char *name, size_t len)
{
  const char *list = l4p__prompt_names(role);
  while (*list) {
    size_t n = strcspn(list, ",");
    if (n == len && !strncmp(list, name, len))
      return true;
    list += n;
    list += strspn(list, ", ");
  }
  return false;
}

/* Length of the placeholder name at s (after "{{") when "}}" follows
 * it, else 0. Names are lower-case letters and '_'. */
static size_t name_at(const char *s)
{
  size_t n = 0;
  while (islower((unsigned char)s[n]) || s[n] == '_')
    n++;
  return n && s[n] == '}' && s[n + 1] == '}' ? n : 0;
}

static bool is_dir(const char *path)
{
  struct stat st;
  return path && *path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Whether dir holds the templates (judged by extract.txt). */
static bool holds_templates(const char *dir)
{
  if (!is_dir(dir))
    return false;
  char *path = l4px_path_join(dir, "extract.txt");
  struct stat st;
  bool ok = path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
  free(path);
  return ok;
}

/* DIR/../share/llm4perf/prompts for the running program's DIR, so that
 * an install moved elsewhere (cmake --install --prefix) still finds its
 * templates; NULL when unknown. */
static char *beside_program(void)
{
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0)
    return NULL;
  exe[n] = '\0';
  char *dir = l4px_dirname(exe);
  char *path = dir ? l4px_path_join(dir, "../share/llm4perf/prompts") : NULL;
  free(dir);
  return path;
}

/* The templates' directory by the lookup order; see llm_agent-int.h. */
l4p_status l4p__prompts_dir(const char *setting, char **dir)
{
  *dir = NULL;
  const char *env = getenv("L4P_PROMPTS_DIR");
  const char *given = setting && *setting ? setting : env && *env ? env : NULL;
  if (given && !is_dir(given))
    return l4p_failf(L4P_EIO,
                     "prompts directory '%s' (llm.prompts_dir): "
                     "no such directory",
                     given);
  char *beside = given ? NULL : beside_program();
  const char *found = given;
  if (!found && holds_templates(L4P_PROMPTS_SOURCE_DIR))
    found = L4P_PROMPTS_SOURCE_DIR;
  if (!found && holds_templates(beside))
    found = beside;
  if (!found && holds_templates(L4P_PROMPTS_INSTALL_DIR))
    found = L4P_PROMPTS_INSTALL_DIR;
  if (found)
    *dir = strdup(found);
  free(beside);
  if (!found)
    return l4p_failf(L4P_EIO,
                     "no prompt templates in '%s', beside the program or in "
                     "'%s': set llm.prompts_dir (or L4P_PROMPTS_DIR)",
                     L4P_PROMPTS_SOURCE_DIR, L4P_PROMPTS_INSTALL_DIR);
  return *dir ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
}

/* Free a template's parts and zero it. */
void l4p__prompt_release(struct l4p__prompt *p)
{
  free(p->path);
  free(p->system);
  free(p->user);
  memset(p, 0, sizeof *p);
}

/* Whether the line [s, end) is marker, trailing blanks and CR aside. */
static bool is_marker(const char *s, const char *end, const char *marker)
{
  while (end > s && isspace((unsigned char)end[-1]))
    end--;
  size_t n = strlen(marker);
  return (size_t)(end - s) == n && !strncmp(s, marker, n);
}

/* A copy of [s, end) without its leading and trailing blank lines (and
 * trailing blanks). NULL on ENOMEM. */
static char *trimmed(const char *s, const char *end)
{
  const char *p = s;
  while (p < end) { /* skip whole blank lines at the start */
    const char *q = p;
    while (q < end && (*q == ' ' || *q == '\t' || *q == '\r'))
      q++;
    if (q < end && *q != '\n')
      break;
    p = q < end ? q + 1 : q;
  }
  while (end > p && isspace((unsigned char)end[-1]))
    end--;
  return strndup(p, (size_t)(end - p));
}

/* Check the placeholders of the lines [s, end) of the file, the first
 * being line first, against role. EPARSE naming the line. */
static l4p_status check_names(const struct l4p__prompt *p, enum l4p_role role,
                              const char *s, const char *end, int first)
{
  int line = first;
  for (; s < end; s++) {
    if (*s == '\n')
      line++;
    if (s + 1 >= end || s[0] != '{' || s[1] != '{')
      continue;
    size_t n = name_at(s + 2);
    if (n && !l4p__prompt_knows(role, s + 2, n))
      return l4p_failf(L4P_EPARSE,
                       "%s:%d: unknown placeholder '{{%.*s}}' "
                       "(%s knows: %s)",
                       p->path, line, (int)n, s + 2, l4p_role_name(role),
                       l4p__prompt_names(role));
  }
  return L4P_OK;
}

/* Split text into the template's parts; EPARSE when a marker is missing
 * or out of order, or the user part is empty. */
static l4p_status split(struct l4p__prompt *p, enum l4p_role role,
                        const char *text)
{
  const char *sys = NULL, *user = NULL, *sys_end = NULL;
  int line = 1, sys_line = 0, user_line = 0;
  for (const char *s = text; *s;) {
    const char *nl = strchr(s, '\n'), *end = nl ? nl : s + strlen(s);
    const char *next = nl ? nl + 1 : end;
    if (!sys && is_marker(s, end, L4P__PROMPT_SYSTEM)) {
      sys = next;
      sys_line = line + 1;
    } else if (sys && !user && is_marker(s, end, L4P__PROMPT_USER)) {
      sys_end = s;
      user = next;
      user_line = line + 1;
    }
    s = next;
    line++;
  }
  if (!sys || !user)
    return l4p_failf(L4P_EPARSE,
                     "%s: needs a line '%s' and, after it, a "
                     "line '%s'",
                     p->path, L4P__PROMPT_SYSTEM, L4P__PROMPT_USER);
  const char *user_end = user + strlen(user);
  l4p_status st = check_names(p, role, sys, sys_end, sys_line);
  if (!st)
    st = check_names(p, role, user, user_end, user_line);
  if (st)
    return st;
  p->system = trimmed(sys, sys_end);
  p->user = trimmed(user, user_end);
  if (!p->system || !p->user)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  if (!*p->user)
    return l4p_failf(L4P_EPARSE, "%s:%d: the user part is empty", p->path,
                     user_line);
  /* Generators run on one input at once: without their seed in it, they
   * would all ask one question (one answer, and one recorded answer for
   * all of them on replay). tag-generator-seed */
  if (role == L4P_ROLE_GENERATE && !strstr(p->system, "{{seed}}") &&
      !strstr(p->user, "{{seed}}"))
    return l4p_failf(L4P_EPARSE,
                     "%s: needs {{seed}}, so that concurrent "
                     "generators ask different questions",
                     p->path);
  return L4P_OK;
}

/* Read and check dir/ROLE.txt; see llm_agent-int.h. */
l4p_status l4p__prompt_load(const char *dir, enum l4p_role role,
                            struct l4p__prompt *p)
{
  memset(p, 0, sizeof *p);
  char file[32];
  snprintf(file, sizeof file, "%s.txt", l4p_role_name(role));
  if (!(p->path = l4px_path_join(dir, file)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  char *text;
  size_t len;
  l4p_status st = l4px_read_file(p->path, &text, &len);
  if (st)
    return st;
  if (strlen(text) != len)
    st = l4p_failf(L4P_EPARSE, "%s: NUL byte in a template", p->path);
  else
    st = split(p, role, text);
  free(text);
  return st;
}

/* Fill tmpl's placeholders from vars; see llm_agent-int.h. */
l4p_status l4p__prompt_fill(const char *tmpl, const json_t *vars, char **out)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  const char *s = tmpl;
  while (*s) {
    const char *open = strstr(s, "{{");
    if (!open) {
      l4px_sb_puts(&sb, s);
      break;
    }
    size_t n = name_at(open + 2);
    l4px_sb_add(&sb, s, (size_t)(open - s) + (n ? 0 : 2));
    if (n) {
      char name[64];
      snprintf(name, sizeof name, "%.*s", (int)n, open + 2);
      const char *value = json_string_value(json_object_get(vars, name));
      l4px_sb_puts(&sb, value ? value : "");
      s = open + 2 + n + 2;
    } else {
      s = open + 2;
    }
  }
  /* a list placeholder ends in a line break; the message need not */
  while (sb.len && isspace((unsigned char)sb.buf[sb.len - 1]))
    sb.buf[--sb.len] = '\0';
  *out = l4px_sb_detach(&sb);
  return *out ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
}
