/* Reading a pruning decisions file (docs/PRUNING.md) and checking it
 * against the spec it is for. jansson parses the text; every failed check
 * names its place in the file ("file:line:col: message") through the
 * position scanner of util/jsonloc.h, as spec loading does.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "llm4perf/prune.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/jsoncheck.h"
#include "util/jsonloc.h"
#include "util/banned.h"

struct reader {
  const char *text, *path;
  const struct l4p_spec *spec;
  struct l4p_prune *p;
};

/* Fail with "path:line:col: message" at the value (or, with key set, the
 * member name) at where. */
static l4p_status fail_at(const struct reader *rd, l4p_status st, bool key,
                          const char *where, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static l4p_status fail_at(const struct reader *rd, l4p_status st, bool key,
                          const char *where, const char *fmt, ...)
{
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  int line, col;
  if (key)
    l4px_json_locate_key(rd->text, where, &line, &col);
  else
    l4px_json_locate(rd->text, where, &line, &col);
  return l4p_failf(st, "%s:%d:%d: %s", rd->path, line, col, msg);
}

/* Reject members outside allowed (NULL-terminated); "comment" is fine. */
static l4p_status check_keys(const struct reader *rd, json_t *obj,
                             const char *where, const char *const *allowed)
{
  const char *key = l4px_json_unknown_key(obj, allowed);
  if (!key)
    return L4P_OK;
  char at[256];
  snprintf(at, sizeof at, "%s%s%s", where, *where ? "/" : "", key);
  return fail_at(rd, L4P_EPARSE, true, at, "unknown key '%s'", key);
}

/* A pruned value: the JSON value of the option's type, or its text. */
static l4p_status read_value(const struct reader *rd, size_t i, json_t *v,
                             const char *where, double *out)
{
  const struct l4p_space *space = rd->spec->space;
  const struct l4p_option *opt = l4p_space_option(space, i);
  if (json_is_string(v)) {
    if (l4p_value_parse(space, i, json_string_value(v), out) == L4P_OK)
      return L4P_OK;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", l4p_last_error());
    return fail_at(rd, L4P_EDOMAIN, false, where, "%s", msg);
  }
  if (json_is_boolean(v) && opt->type == L4P_OPT_BOOL) {
    *out = json_is_true(v);
    return L4P_OK;
  }
  if (json_is_number(v) && opt->type != L4P_OPT_ENUM) {
    double x = json_number_value(v);
    if ((opt->type == L4P_OPT_BOOL && x != 0 && x != 1) ||
        !l4p_option_contains(opt, x)) {
      char text[64];
      snprintf(text, sizeof text, "%g", x);
      return fail_at(rd, L4P_EDOMAIN, false, where,
                     "option '%s': value %s "
                     "is outside its domain",
                     opt->name, text);
    }
    *out = x;
    return L4P_OK;
  }
  static const char *const wanted[] = {"true or false", "a number", "a number",
                                       "one of its labels"};
  return fail_at(rd, L4P_EDOMAIN, false, where,
                 "option '%s': value must be "
                 "%s",
                 opt->name, wanted[opt->type]);
}

static l4p_status read_decision(const struct reader *rd, json_t *o,
                                size_t index)
{
  static const char *const keys[] = {"option", "keep", "value", "reason", NULL};
  char where[64], at[96];
  snprintf(where, sizeof where, "decisions/%zu", index);
  if (!json_is_object(o))
    return fail_at(rd, L4P_EPARSE, false, where,
                   "a decision must be an "
                   "object");
  l4p_status st = check_keys(rd, o, where, keys);
  if (st)
    return st;
  json_t *name = json_object_get(o, "option"),
         *keep = json_object_get(o, "keep");
  json_t *value = json_object_get(o, "value"),
         *reason = json_object_get(o, "reason");
  snprintf(at, sizeof at, "%s/option", where);
  if (!json_is_string(name))
    return fail_at(rd, L4P_EPARSE, false, name ? at : where,
                   "a decision "
                   "needs an 'option' name (a string)");
  int i = l4p_space_find(rd->spec->space, json_string_value(name));
  if (i < 0)
    return fail_at(rd, L4P_EUSAGE, false, at,
                   "unknown option '%s' (not in "
                   "system '%s')",
                   json_string_value(name),
                   rd->spec->name ? rd->spec->name : "");
  snprintf(at, sizeof at, "%s/keep", where);
  if (!json_is_boolean(keep))
    return fail_at(rd, L4P_EPARSE, false, keep ? at : where,
                   "decision on "
                   "'%s' needs 'keep': true or false",
                   json_string_value(name));
  snprintf(at, sizeof at, "%s/reason", where);
  if (reason && !json_is_string(reason))
    return fail_at(rd, L4P_EPARSE, false, at, "'reason' must be a string");
  double v = 0;
  snprintf(at, sizeof at, "%s/value", where);
  if (value && json_is_true(keep))
    return fail_at(rd, L4P_EUSAGE, false, at,
                   "option '%s' is kept: a "
                   "value is only for pruned options",
                   json_string_value(name));
  if (value && (st = read_value(rd, (size_t)i, value, at, &v)))
    return st;
  st = l4p_prune_decide(rd->p, rd->spec, json_string_value(name),
                        json_is_true(keep), value ? &v : NULL,
                        reason ? json_string_value(reason) : NULL);
  if (st && st != L4P_ENOMEM) {
    char msg[512];
    snprintf(msg, sizeof msg, "%s", l4p_last_error());
    snprintf(at, sizeof at, "%s/option", where);
    return fail_at(rd, st, false, at, "%s", msg);
  }
  return st;
}

/* Who decided: builtin, llm, manual, or any other agent playing the
 * filter role (a registered or an application's own agent), so a name,
 * never free text. NULL (not a string) is refused. */
static bool agent_name_ok(const char *name)
{
  if (!name || !*name || strlen(name) > 64)
    return false;
  for (const char *c = name; *c; c++)
    if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_')
      return false;
  return true;
}

/* "system", "agent" and "objectives": what the decisions were made for. */
static l4p_status read_header(const struct reader *rd, json_t *root)
{
  json_t *system = json_object_get(root, "system");
  json_t *agent = json_object_get(root, "agent");
  json_t *objs = json_object_get(root, "objectives");
  if (system && !json_is_string(system))
    return fail_at(rd, L4P_EPARSE, false, "system",
                   "'system' must be a "
                   "string");
  if (system && rd->spec->name &&
      strcmp(json_string_value(system), rd->spec->name) != 0)
    return fail_at(rd, L4P_EUSAGE, false, "system",
                   "decisions are for "
                   "system '%s', not '%s'",
                   json_string_value(system), rd->spec->name);
  if (agent && !agent_name_ok(json_string_value(agent)))
    return fail_at(rd, L4P_EPARSE, false, "agent",
                   "'agent' must be the "
                   "name of who decided: \"builtin\", \"llm\", "
                   "\"manual\" or another agent's name (letters, digits, "
                   "'-', '_')");
  if (objs && !json_is_array(objs))
    return fail_at(rd, L4P_EPARSE, false, "objectives",
                   "'objectives' must "
                   "be an array of objective names");
  struct l4p_prune *p = rd->p;
  if ((system && !(p->system = strdup(json_string_value(system)))) ||
      (agent && !(p->agent = strdup(json_string_value(agent)))))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  size_t n = objs ? json_array_size(objs) : 0;
  if (n && !(p->objectives = calloc(n, sizeof *p->objectives)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < n; k++) {
    json_t *o = json_array_get(objs, k);
    char at[64];
    snprintf(at, sizeof at, "objectives/%zu", k);
    if (!json_is_string(o) ||
        l4p_spec_find_objective(rd->spec, json_string_value(o)) < 0)
      return fail_at(rd, L4P_EUSAGE, false, at, "unknown objective %s%s%s",
                     json_is_string(o) ? "'" : "",
                     json_is_string(o) ? json_string_value(o)
                                       : "(not a "
                                         "string)",
                     json_is_string(o) ? "'" : "");
    if (!(p->objectives[k] = strdup(json_string_value(o))))
      return l4p_failf(L4P_ENOMEM, "out of memory");
    p->n_objectives++;
  }
  return L4P_OK;
}

l4p_status l4p_prune_parse(const char *text, const char *path,
                           const struct l4p_spec *spec, struct l4p_prune *p)
{
  static const char *const keys[] = {"system", "agent", "objectives",
                                     "decisions", NULL};
  if (!path)
    path = "<decisions>";
  l4p_prune_init(p);
  json_error_t err;
  json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &err);
  if (!root)
    return l4p_failf(L4P_EPARSE, "%s:%d:%d: %s", path, err.line, err.column,
                     err.text);
  struct reader rd = {text, path, spec, p};
  json_t *list = json_object_get(root, "decisions");
  l4p_status st = L4P_OK;
  if (!json_is_object(root))
    st = fail_at(&rd, L4P_EPARSE, false, "",
                 "a decisions file is a JSON "
                 "object");
  if (!st)
    st = check_keys(&rd, root, "", keys);
  if (!st)
    st = read_header(&rd, root);
  if (!st && !json_is_array(list))
    st = fail_at(&rd, L4P_EPARSE, false, list ? "decisions" : "",
                 "a decisions file needs a 'decisions' array");
  for (size_t k = 0; !st && list && k < json_array_size(list); k++)
    st = read_decision(&rd, json_array_get(list, k), k);
  json_decref(root);
  if (st)
    l4p_prune_release(p);
  return st;
}

l4p_status l4p_prune_load(const char *path, const struct l4p_spec *spec,
                          struct l4p_prune *p)
{
  char *text;
  size_t len;
  l4p_prune_init(p);
  l4p_status st = l4px_read_file(path, &text, &len);
  if (st)
    return st;
  if (strlen(text) != len)
    st = l4p_failf(L4P_EPARSE, "%s: contains a NUL byte", path);
  else
    st = l4p_prune_parse(text, path, spec, p);
  free(text);
  return st;
}
