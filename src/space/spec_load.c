/* Loading a system spec from JSON. jansson parses the text; every check on
 * the tree that fails is reported at its place in the file
 * ("file:line:col: message") through the position scanner in jsonloc.c.
 * The accepted format is documented in docs/SPEC.md.
 * SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/spec.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/jsoncheck.h"
#include "util/jsonloc.h"
#include "util/strbuf.h"
#include "util/banned.h"

struct loader {
  const char *text, *path;
  struct l4p_spec *spec;
};

/* Fail with "path:line:col: message" for the JSON value at where. */
static l4p_status fail_at(const struct loader *ld, l4p_status st,
                          const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static l4p_status fail_at(const struct loader *ld, l4p_status st,
                          const char *where, const char *fmt, ...)
{
  char msg[768];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  int line, col;
  l4px_json_locate(ld->text, where, &line, &col);
  return l4p_failf(st, "%s:%d:%d: %s", ld->path, line, col, msg);
}

/* The same, pointing at the member name of where (an unknown key). */
static l4p_status fail_at_key(const struct loader *ld, const char *where,
                              const char *key)
{
  int line, col;
  l4px_json_locate_key(ld->text, where, &line, &col);
  return l4p_failf(L4P_EPARSE, "%s:%d:%d: unknown key '%s'", ld->path, line,
                   col, key);
}

/* Prefix the library's own message (from a failed add) with a place. */
static l4p_status locate_error(const struct loader *ld, l4p_status st,
                               const char *where)
{
  int line, col;
  l4px_json_locate(ld->text, where, &line, &col);
  char prefix[512];
  snprintf(prefix, sizeof prefix, "%s:%d:%d", ld->path, line, col);
  l4p_error_prefix(prefix);
  return st;
}

/* Reject keys outside allowed (NULL-terminated); "comment" is always ok. */
static l4p_status check_keys(const struct loader *ld, json_t *obj,
                             const char *where, const char *const *allowed)
{
  const char *key = l4px_json_unknown_key(obj, allowed);
  if (!key)
    return L4P_OK;
  char at[512];
  snprintf(at, sizeof at, "%s%s%s", where, *where ? "/" : "", key);
  return fail_at_key(ld, at, key);
}

/* Optional string member: NULL when absent; EPARSE when not a string. */
static l4p_status get_string(const struct loader *ld, json_t *obj,
                             const char *where, const char *key,
                             const char **out)
{
  json_t *v = json_object_get(obj, key);
  *out = NULL;
  if (!v || json_is_null(v))
    return L4P_OK;
  if (!json_is_string(v)) {
    char at[512];
    snprintf(at, sizeof at, "%s%s%s", where, *where ? "/" : "", key);
    return fail_at(ld, L4P_EPARSE, at, "'%s' must be a string", key);
  }
  *out = json_string_value(v);
  return L4P_OK;
}

static l4p_status get_number(const struct loader *ld, json_t *obj,
                             const char *where, const char *key, double *out,
                             bool *present)
{
  json_t *v = json_object_get(obj, key);
  *present = v != NULL;
  if (!v)
    return L4P_OK;
  if (!json_is_number(v)) {
    char at[512];
    snprintf(at, sizeof at, "%s/%s", where, key);
    return fail_at(ld, L4P_EPARSE, at, "'%s' must be a number", key);
  }
  *out = json_number_value(v);
  return L4P_OK;
}

/* A JSON value (default or fixed) as the internal value of opt. */
static l4p_status json_value(const struct loader *ld,
                             const struct l4p_option *opt, json_t *v,
                             const char *where, double *out)
{
  switch (opt->type) {
  case L4P_OPT_BOOL:
    if (json_is_boolean(v)) {
      *out = json_is_true(v);
      return L4P_OK;
    }
    if (json_is_integer(v) &&
        (json_integer_value(v) == 0 || json_integer_value(v) == 1)) {
      *out = (double)json_integer_value(v);
      return L4P_OK;
    }
    return fail_at(ld, L4P_EDOMAIN, where,
                   "option '%s': expected true or "
                   "false",
                   opt->name);
  case L4P_OPT_ENUM:
    if (json_is_string(v))
      for (size_t k = 0; k < opt->n_values; k++)
        if (strcmp(opt->labels[k], json_string_value(v)) == 0) {
          *out = (double)k;
          return L4P_OK;
        }
    return fail_at(ld, L4P_EDOMAIN, where,
                   "option '%s': value %s%s%s is "
                   "not one of its values",
                   opt->name, json_is_string(v) ? "'" : "",
                   json_is_string(v) ? json_string_value(v) : "(not a string)",
                   json_is_string(v) ? "'" : "");
  default:
    if (!json_is_number(v))
      return fail_at(ld, L4P_EDOMAIN, where, "option '%s': expected a number",
                     opt->name);
    *out = json_number_value(v);
    return L4P_OK;
  }
}

static const char *const option_keys[] = {"name", "type",  "values",  "min",
                                          "max",  "step",  "default", "doc",
                                          "cli",  "fixed", NULL};
static const char *const cli_keys[] = {"flag",         "false_flag", "form",
                                       "omit_default", "values",     NULL};

/* "cli": {"values": {"label": "text", ...}}: what an enum option passes
 * for each label, when the program spells it differently. *texts gets an
 * array of n_values entries pointing into the JSON (NULL: the label). */
static l4p_status parse_cli_values(const struct loader *ld, json_t *map,
                                   const char *at, struct l4p_option *opt,
                                   const char ***texts)
{
  char here[600];
  snprintf(here, sizeof here, "%s/values", at);
  if (opt->type != L4P_OPT_ENUM || !json_is_object(map))
    return fail_at(ld, L4P_EPARSE, here,
                   "'values' maps an enum option's "
                   "labels to the text passed for them");
  if (!(*texts = calloc(opt->n_values + 1, sizeof **texts)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  const char *label;
  json_t *text;
  json_object_foreach (map, label, text) {
    size_t k = 0;
    while (k < opt->n_values && strcmp(opt->labels[k], label) != 0)
      k++;
    snprintf(here, sizeof here, "%s/values/%s", at, label);
    if (k == opt->n_values) {
      char msg[600];
      snprintf(msg, sizeof msg, "'%s' is not a value of option '%s'", label,
               opt->name);
      return l4px_json_fail(L4P_EPARSE, ld->text, ld->path, here, true, msg);
    }
    if (!json_is_string(text))
      return fail_at(ld, L4P_EPARSE, here,
                     "the text for '%s' must be a "
                     "string",
                     label);
    (*texts)[k] = json_string_value(text);
  }
  opt->cli.values = (char **)*texts;
  return L4P_OK;
}

static l4p_status parse_cli(const struct loader *ld, json_t *cli,
                            const char *where, struct l4p_option *opt,
                            const char ***texts)
{
  char at[512];
  snprintf(at, sizeof at, "%s/cli", where);
  if (!json_is_object(cli))
    return fail_at(ld, L4P_EPARSE, at, "'cli' must be an object");
  l4p_status st = check_keys(ld, cli, at, cli_keys);
  const char *flag, *false_flag, *form;
  if (st || (st = get_string(ld, cli, at, "flag", &flag)) ||
      (st = get_string(ld, cli, at, "false_flag", &false_flag)) ||
      (st = get_string(ld, cli, at, "form", &form)))
    return st;
  static const char *const forms[] = {"none", "switch", "value", "equals",
                                      "attached"};
  opt->cli.form =
      flag ? (opt->type == L4P_OPT_BOOL ? L4P_CLI_SWITCH : L4P_CLI_VALUE)
           : L4P_CLI_NONE;
  if (form) {
    size_t k = 0;
    while (k < 5 && strcmp(forms[k], form) != 0)
      k++;
    if (k == 5)
      return fail_at(ld, L4P_EPARSE, at,
                     "unknown cli form '%s' (none, "
                     "switch, value, equals, attached)",
                     form);
    opt->cli.form = (enum l4p_cli_form)k;
  }
  if (opt->cli.form != L4P_CLI_NONE && !flag && opt->cli.form != L4P_CLI_SWITCH)
    return fail_at(ld, L4P_EPARSE, at, "cli form '%s' needs a 'flag'",
                   forms[opt->cli.form]);
  if (opt->cli.form == L4P_CLI_SWITCH && opt->type != L4P_OPT_BOOL)
    return fail_at(ld, L4P_EPARSE, at,
                   "cli form 'switch' is for bool "
                   "options only");
  json_t *omit = json_object_get(cli, "omit_default");
  if (omit && !json_is_boolean(omit))
    return fail_at(ld, L4P_EPARSE, at, "'omit_default' must be true or false");
  opt->cli.omit_default = omit && json_is_true(omit);
  opt->cli.flag = (char *)flag;
  opt->cli.false_flag = (char *)false_flag;
  json_t *values = json_object_get(cli, "values");
  return values ? parse_cli_values(ld, values, at, opt, texts) : L4P_OK;
}

/* Domain members of an option: "values", or "min"/"max"/"step". */
static l4p_status parse_domain(const struct loader *ld, json_t *o,
                               const char *where, struct l4p_option *opt,
                               const char ***labels, double **values)
{
  char at[512];
  json_t *vals = json_object_get(o, "values");
  snprintf(at, sizeof at, "%s/values", where);
  if (vals && (!json_is_array(vals) || json_array_size(vals) == 0))
    return fail_at(ld, L4P_EPARSE, at, "'values' must be a non-empty array");
  if (opt->type == L4P_OPT_ENUM) {
    if (!vals)
      return fail_at(ld, L4P_EPARSE, where,
                     "enum option '%s' needs "
                     "'values'",
                     opt->name);
    *labels = calloc(json_array_size(vals), sizeof **labels);
    if (!*labels)
      return l4p_failf(L4P_ENOMEM, "out of memory");
    size_t k;
    json_t *v;
    json_array_foreach (vals, k, v) {
      snprintf(at, sizeof at, "%s/values/%zu", where, k);
      if (!json_is_string(v) && !json_is_number(v))
        return fail_at(ld, L4P_EPARSE, at, "enum values must be strings");
      (*labels)[k] = json_string_value(v);
      if (!(*labels)[k])
        return fail_at(ld, L4P_EPARSE, at,
                       "enum values must be strings "
                       "(quote numbers: \"%g\")",
                       json_number_value(v));
    }
    opt->n_values = json_array_size(vals);
    opt->labels = (char **)*labels;
    return L4P_OK;
  }
  if (opt->type == L4P_OPT_BOOL) {
    if (vals || json_object_get(o, "min") || json_object_get(o, "max"))
      return fail_at(ld, L4P_EPARSE, where,
                     "bool option '%s' takes no "
                     "domain",
                     opt->name);
    return L4P_OK;
  }
  if (vals) {
    *values = calloc(json_array_size(vals), sizeof **values);
    if (!*values)
      return l4p_failf(L4P_ENOMEM, "out of memory");
    size_t k;
    json_t *v;
    json_array_foreach (vals, k, v) {
      snprintf(at, sizeof at, "%s/values/%zu", where, k);
      if (!json_is_number(v))
        return fail_at(ld, L4P_EPARSE, at,
                       "values of option '%s' must be "
                       "numbers",
                       opt->name);
      (*values)[k] = json_number_value(v);
    }
    opt->n_values = json_array_size(vals);
    opt->values = *values;
    return L4P_OK;
  }
  bool has_min, has_max, has_step;
  l4p_status st;
  if ((st = get_number(ld, o, where, "min", &opt->min, &has_min)) ||
      (st = get_number(ld, o, where, "max", &opt->max, &has_max)) ||
      (st = get_number(ld, o, where, "step", &opt->step, &has_step)))
    return st;
  if (!has_min || !has_max)
    return fail_at(ld, L4P_EPARSE, where,
                   "numeric option '%s' needs "
                   "'values' or 'min' and 'max'",
                   opt->name);
  if (!has_step)
    opt->step = opt->type == L4P_OPT_INT ? 1 : 0;
  return L4P_OK;
}

static l4p_status parse_option(struct loader *ld, json_t *o, size_t index)
{
  char where[64];
  snprintf(where, sizeof where, "options/%zu", index);
  if (!json_is_object(o))
    return fail_at(ld, L4P_EPARSE, where, "an option must be an object");
  l4p_status st = check_keys(ld, o, where, option_keys);
  struct l4p_option opt = {0};
  const char *type = NULL, *doc = NULL;
  const char **labels = NULL, **cli_texts = NULL;
  double *values = NULL;
  if (st || (st = get_string(ld, o, where, "name", (const char **)&opt.name)) ||
      (st = get_string(ld, o, where, "type", &type)) ||
      (st = get_string(ld, o, where, "doc", &doc)))
    goto out;
  if (!opt.name) {
    st = fail_at(ld, L4P_EPARSE, where, "option without a 'name'");
    goto out;
  }
  static const char *const types[] = {"bool", "int", "float", "enum"};
  size_t t = 0;
  while (type && t < 4 && strcmp(types[t], type) != 0)
    t++;
  if (!type || t == 4) {
    char at[96];
    snprintf(at, sizeof at, "%s/type", where);
    st = fail_at(ld, L4P_EPARSE, type ? at : where,
                 "option '%s': type must "
                 "be bool, int, float or enum",
                 opt.name);
    goto out;
  }
  opt.type = (enum l4p_option_type)t;
  opt.doc = (char *)doc;
  if ((st = parse_domain(ld, o, where, &opt, &labels, &values)))
    goto out;
  json_t *cli = json_object_get(o, "cli");
  if (cli && (st = parse_cli(ld, cli, where, &opt, &cli_texts)))
    goto out;
  /* default: explicit, else false / first label / smallest value */
  opt.default_value = opt.type == L4P_OPT_INT || opt.type == L4P_OPT_FLOAT
                          ? (opt.n_values ? values[0] : opt.min)
                          : 0;
  if (opt.n_values && opt.type != L4P_OPT_ENUM)
    for (size_t k = 1; k < opt.n_values; k++)
      if (values[k] < opt.default_value)
        opt.default_value = values[k];
  json_t *def = json_object_get(o, "default");
  char def_at[96], fixed_at[96];
  snprintf(def_at, sizeof def_at, "%s/default", where);
  if (def && (st = json_value(ld, &opt, def, def_at, &opt.default_value)))
    goto out;
  json_t *fixed = json_object_get(o, "fixed");
  snprintf(fixed_at, sizeof fixed_at, "%s/fixed", where);
  if (fixed && (st = json_value(ld, &opt, fixed, fixed_at, &opt.fixed_value)))
    goto out;
  opt.fixed = fixed != NULL;
  if ((st = l4p_space_add_option(ld->spec->space, &opt))) {
    const char *place = where;
    /* option names have no quotes or blanks, so "': default " can only
     * be the message about the default (not an option named default-x) */
    if (st == L4P_EDOMAIN && strstr(l4p_last_error(), "': fixed value "))
      place = fixed_at;
    else if (st == L4P_EDOMAIN && def &&
             strstr(l4p_last_error(), "': default "))
      place = def_at;
    st = locate_error(ld, st, place);
  }
out:
  free(labels);
  free(cli_texts);
  free(values);
  return st;
}

/* Quote a name for the expression language when it is not a plain word:
 * other characters, a leading digit (8x8dct) or a keyword. */
static void add_name(struct l4px_sb *sb, const char *name)
{
  static const char *const keywords[] = {"and", "or", "not", "true", "false"};
  bool plain = !(*name >= '0' && *name <= '9');
  for (const char *p = name; *p; p++)
    plain &= (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
             (*p >= '0' && *p <= '9') || *p == '_';
  for (size_t k = 0; k < sizeof keywords / sizeof *keywords; k++)
    plain &= strcmp(name, keywords[k]) != 0;
  if (plain)
    l4px_sb_puts(sb, name);
  else
    l4px_sb_printf(sb, "{%s}", name);
}

/* {"requires": [a, b]} and friends as expression text. */
static l4p_status shorthand(const struct loader *ld, json_t *c,
                            const char *where, struct l4px_sb *out)
{
  static const char *const kinds[] = {"requires", "excludes", "alternative",
                                      "or",       "expr",     NULL};
  l4p_status st = check_keys(ld, c, where, kinds);
  if (st)
    return st;
  /* "comment" is allowed beside the one kind (docs/SPEC.md) */
  const char *kind = NULL, *key;
  json_t *arg = NULL, *value;
  size_t kinds_found = 0;
  json_object_foreach (c, key, value) {
    if (strcmp(key, "comment") == 0)
      continue;
    kind = key;
    arg = value;
    kinds_found++;
  }
  if (kinds_found != 1)
    return fail_at(ld, L4P_EPARSE, where,
                   "a constraint object has exactly "
                   "one of requires, excludes, alternative, or, expr");
  char at[96];
  snprintf(at, sizeof at, "%s/%s", where, kind);
  if (strcmp(kind, "expr") == 0) {
    if (!json_is_string(arg))
      return fail_at(ld, L4P_EPARSE, at, "'expr' must be a string");
    l4px_sb_puts(out, json_string_value(arg));
    return L4P_OK;
  }
  size_t n = json_is_array(arg) ? json_array_size(arg) : 0;
  bool pair = strcmp(kind, "requires") == 0 || strcmp(kind, "excludes") == 0;
  if (n < 2 || (pair && n != 2))
    return fail_at(ld, L4P_EPARSE, at, "'%s' takes %s option names", kind,
                   pair ? "two" : "a list of at least two");
  const char *sep = strcmp(kind, "requires") == 0      ? " -> "
                    : strcmp(kind, "excludes") == 0    ? " && "
                    : strcmp(kind, "alternative") == 0 ? " + "
                                                       : " || ";
  if (strcmp(kind, "excludes") == 0)
    l4px_sb_puts(out, "!(");
  for (size_t k = 0; k < n; k++) {
    json_t *name = json_array_get(arg, k);
    if (!json_is_string(name)) {
      snprintf(at, sizeof at, "%s/%s/%zu", where, kind, k);
      return fail_at(ld, L4P_EPARSE, at, "expected an option name");
    }
    int i = l4p_space_find(ld->spec->space, json_string_value(name));
    if (i < 0 ||
        l4p_space_option(ld->spec->space, (size_t)i)->type != L4P_OPT_BOOL) {
      snprintf(at, sizeof at, "%s/%s/%zu", where, kind, k);
      return fail_at(ld, L4P_EUSAGE, at, "'%s' is not a bool option",
                     json_string_value(name));
    }
    if (k)
      l4px_sb_puts(out, sep);
    add_name(out, json_string_value(name));
  }
  l4px_sb_puts(out, strcmp(kind, "excludes") == 0      ? ")"
                    : strcmp(kind, "alternative") == 0 ? " == 1"
                                                       : "");
  return L4P_OK;
}

static l4p_status parse_constraints(struct loader *ld, json_t *list)
{
  if (!list)
    return L4P_OK;
  if (!json_is_array(list))
    return fail_at(ld, L4P_EPARSE, "constraints",
                   "'constraints' must be an "
                   "array");
  size_t k;
  json_t *c;
  json_array_foreach (list, k, c) {
    char where[64];
    snprintf(where, sizeof where, "constraints/%zu", k);
    struct l4px_sb text;
    l4px_sb_init(&text);
    l4p_status st = L4P_OK;
    if (json_is_string(c))
      l4px_sb_puts(&text, json_string_value(c));
    else if (json_is_object(c))
      st = shorthand(ld, c, where, &text);
    else
      st = fail_at(ld, L4P_EPARSE, where,
                   "a constraint is a string or an "
                   "object");
    if (!st && l4px_sb_failed(&text))
      st = l4p_failf(L4P_ENOMEM, "out of memory");
    if (!st && (st = l4p_space_add_constraint(ld->spec->space, text.buf)))
      st = locate_error(ld, st, where);
    l4px_sb_release(&text);
    if (st)
      return st;
  }
  size_t bad;
  l4p_status st = l4p_space_check_satisfiable(ld->spec->space, &bad);
  if (st) {
    char where[64];
    snprintf(where, sizeof where, "constraints/%zu", bad);
    return locate_error(ld, st, where);
  }
  return L4P_OK;
}

static l4p_status parse_objectives(struct loader *ld, json_t *list)
{
  if (!json_is_array(list) || json_array_size(list) == 0)
    return fail_at(ld, L4P_EPARSE, list ? "objectives" : "",
                   "a spec needs a non-empty 'objectives' array");
  static const char *const keys[] = {"name", "unit", "goal", "doc", NULL};
  size_t k;
  json_t *o;
  json_array_foreach (list, k, o) {
    char where[64];
    snprintf(where, sizeof where, "objectives/%zu", k);
    if (!json_is_object(o))
      return fail_at(ld, L4P_EPARSE, where, "an objective must be an object");
    const char *name, *unit, *goal, *doc;
    l4p_status st = check_keys(ld, o, where, keys);
    if (st || (st = get_string(ld, o, where, "name", &name)) ||
        (st = get_string(ld, o, where, "unit", &unit)) ||
        (st = get_string(ld, o, where, "goal", &goal)) ||
        (st = get_string(ld, o, where, "doc", &doc)))
      return st;
    if (goal && strcmp(goal, "min") != 0 && strcmp(goal, "max") != 0) {
      char at[96];
      snprintf(at, sizeof at, "%s/goal", where);
      return fail_at(ld, L4P_EPARSE, at, "goal must be 'min' or 'max'");
    }
    if ((st = l4p_spec_add_objective(
             ld->spec, name ? name : "", unit,
             goal && !strcmp(goal, "max") ? L4P_MAXIMIZE : L4P_MINIMIZE)))
      return locate_error(ld, st, where);
    if (doc && !(ld->spec->objectives[k].doc = strdup(doc)))
      return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  return L4P_OK;
}

static l4p_status copy_string(const struct loader *ld, json_t *obj,
                              const char *where, const char *key, char **out)
{
  const char *s;
  l4p_status st = get_string(ld, obj, where, key, &s);
  if (st || !s)
    return st;
  free(*out);
  if (!(*out = strdup(s)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  return L4P_OK;
}

static l4p_status parse_root(struct loader *ld, json_t *root)
{
  static const char *const keys[] = {"name",       "description", "provenance",
                                     "docs",       "options",     "constraints",
                                     "objectives", "oracle",      NULL};
  if (!json_is_object(root))
    return fail_at(ld, L4P_EPARSE, "", "a spec must be a JSON object");
  l4p_status st = check_keys(ld, root, "", keys);
  if (st || (st = copy_string(ld, root, "", "name", &ld->spec->name)) ||
      (st = copy_string(ld, root, "", "description", &ld->spec->description)) ||
      (st = copy_string(ld, root, "", "provenance", &ld->spec->provenance)))
    return st;
  if (!json_object_get(root, "name"))
    return fail_at(ld, L4P_EPARSE, "", "a spec needs a 'name'");
  json_t *docs = json_object_get(root, "docs");
  if (docs) {
    static const char *const doc_keys[] = {"command", "file", NULL};
    if (!json_is_object(docs))
      return fail_at(ld, L4P_EPARSE, "docs", "'docs' must be an object");
    if ((st = check_keys(ld, docs, "docs", doc_keys)) ||
        (st = copy_string(ld, docs, "docs", "command",
                          &ld->spec->docs_command)) ||
        (st = copy_string(ld, docs, "docs", "file", &ld->spec->docs_file)))
      return st;
  }
  json_t *options = json_object_get(root, "options");
  if (!json_is_array(options) || json_array_size(options) == 0)
    return fail_at(ld, L4P_EPARSE, options ? "options" : "",
                   "a spec needs a non-empty 'options' array");
  size_t k;
  json_t *o;
  json_array_foreach (options, k, o)
    if ((st = parse_option(ld, o, k)))
      return st;
  if ((st = parse_constraints(ld, json_object_get(root, "constraints"))) ||
      (st = parse_objectives(ld, json_object_get(root, "objectives"))))
    return st;
  json_t *oracle = json_object_get(root, "oracle");
  if (oracle) {
    json_t *type = json_object_get(oracle, "type");
    if (!json_is_object(oracle) || !json_is_string(type))
      return fail_at(ld, L4P_EPARSE, "oracle",
                     "'oracle' must be an object "
                     "with a string 'type'");
    ld->spec->oracle_type = strdup(json_string_value(type));
    ld->spec->oracle_json = json_dumps(oracle, JSON_COMPACT | JSON_SORT_KEYS);
    if (!ld->spec->oracle_type || !ld->spec->oracle_json)
      return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  return L4P_OK;
}

/* jansson places an error on the last character of the token its message
 * names ("invalid token near 'tru'", "duplicate object key near
 * '"type"'"), and at column 0 for empty input: give the token's first
 * column instead (tokens never span lines). */
static int token_column(const json_error_t *err)
{
  int col = err->column;
  const char *near = strstr(err->text, " near '");
  size_t len = near ? strlen(near + 7) : 0;
  if (len > 1 && near[7 + len - 1] == '\'') {
    int chars = 0; /* jansson counts UTF-8 characters, not bytes */
    for (size_t k = 0; k + 1 < len; k++)
      chars += ((unsigned char)near[7 + k] & 0xC0) != 0x80;
    col -= chars - 1;
  }
  return col < 1 ? 1 : col;
}

l4p_status l4p_spec_parse(const char *text, const char *path,
                          struct l4p_spec **out)
{
  if (!path)
    path = "<spec>";
  json_error_t err;
  json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &err);
  if (!root)
    return l4p_failf(L4P_EPARSE, "%s:%d:%d: %s", path, err.line,
                     token_column(&err), err.text);
  struct loader ld = {text, path, l4p_spec_new(NULL)};
  l4p_status st =
      ld.spec ? parse_root(&ld, root) : l4p_failf(L4P_ENOMEM, "out of memory");
  json_decref(root);
  if (!st && strcmp(path, "<spec>") != 0) {
    ld.spec->path = strdup(path);
    ld.spec->dir = l4px_dirname(path);
    if (!ld.spec->path || !ld.spec->dir)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
  }
  if (st) {
    l4p_spec_free(ld.spec);
    return st;
  }
  *out = ld.spec;
  return L4P_OK;
}

l4p_status l4p_spec_load(const char *path, struct l4p_spec **spec)
{
  char *text;
  size_t len;
  l4p_status st = l4px_read_file(path, &text, &len);
  if (st)
    return st;
  if (strlen(text) != len)
    st = l4p_failf(L4P_EPARSE, "%s: contains a NUL byte", path);
  else
    st = l4p_spec_parse(text, path, spec);
  free(text);
  return st;
}
