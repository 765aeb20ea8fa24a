/* Reading a command oracle's description, the spec's "oracle" object with
 * "type": "command" (docs/LIVE.md), into a struct cmd_def, checking all of
 * it before anything runs: unknown keys, bad numbers, regular expressions
 * that do not compile, formulas naming unknown metrics, and placeholders
 * that name nothing. Errors point into the spec file (file:line:col) when
 * the spec was loaded from one.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/jsoncheck.h"
#include "util/spawn.h"
#include "util/banned.h"

struct loading {
  const struct l4p_spec *spec;
  char *text;   /* the spec file, when its "oracle" is this one */
  json_t *root; /* the oracle object */
  struct cmd_def *def;
};

/* EPARSE "file:line:col: msg" at oracle/where, or "system 'x': oracle/
 * where: msg" when the spec did not come from a file we can point into. */
static l4p_status fail_at(const struct loading *ld, const char *where,
                          const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static l4p_status fail_at(const struct loading *ld, const char *where,
                          const char *fmt, ...)
{
  char msg[600], at[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(at, sizeof at, "oracle%s%s", *where ? "/" : "", where);
  if (ld->text)
    return l4px_json_fail(L4P_EPARSE, ld->text, ld->spec->path, at, false, msg);
  return l4p_failf(L4P_EPARSE, "system '%s': %s: %s", ld->spec->name, at, msg);
}

/* The same for an unknown member name key of the object at where,
 * pointing at the name. */
static l4p_status fail_key(const struct loading *ld, const char *where,
                           const char *key)
{
  char at[300], msg[300];
  snprintf(at, sizeof at, "oracle%s%s/%s", *where ? "/" : "", where, key);
  snprintf(msg, sizeof msg, "unknown key '%s'", key);
  if (ld->text)
    return l4px_json_fail(L4P_EPARSE, ld->text, ld->spec->path, at, true, msg);
  return l4p_failf(L4P_EPARSE, "system '%s': %s: %s", ld->spec->name, at, msg);
}

/* Keep the spec file's text when it holds this very oracle object (a spec
 * read back from a run database has no such file). */
static void find_text(struct loading *ld)
{
  size_t len;
  if (!ld->spec->path || l4px_read_file(ld->spec->path, &ld->text, &len))
    return;
  json_t *file = json_loads(ld->text, 0, NULL);
  if (!file || !json_equal(json_object_get(file, "oracle"), ld->root)) {
    free(ld->text);
    ld->text = NULL;
  }
  json_decref(file);
  l4p_clear_error();
}

static char *dup_string(const char *s, l4p_status *st)
{
  char *copy = strdup(s);
  if (!copy && !*st)
    *st = l4p_failf(L4P_ENOMEM, "out of memory");
  return copy;
}

/* A non-empty array of strings at obj[key] as a NULL-terminated heap
 * array (l4px_argv_free it); *out stays NULL when absent and optional. */
static l4p_status strings(const struct loading *ld, json_t *obj,
                          const char *where, const char *key, bool required,
                          char ***out)
{
  char at[300];
  snprintf(at, sizeof at, "%s%s%s", where, *where ? "/" : "", key);
  json_t *list = json_object_get(obj, key);
  *out = NULL;
  if (!list && !required)
    return L4P_OK;
  if (!json_is_array(list) || json_array_size(list) == 0)
    return fail_at(ld, list ? at : where,
                   "'%s' must be a non-empty array "
                   "of strings",
                   key);
  if (!(*out = calloc(json_array_size(list) + 1, sizeof **out)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = L4P_OK;
  size_t k;
  json_t *item;
  json_array_foreach (list, k, item) {
    if (!json_is_string(item)) {
      snprintf(at, sizeof at, "%s%s%s/%zu", where, *where ? "/" : "", key, k);
      return fail_at(ld, at, "expected a string");
    }
    if (!((*out)[k] = dup_string(json_string_value(item), &st)))
      break;
  }
  return st;
}

/* A number at obj[key] within [lo, hi] (whole when integer), else def. */
static l4p_status number(const struct loading *ld, json_t *obj,
                         const char *where, const char *key, double lo,
                         double hi, bool integer, double def, double *out)
{
  char at[300];
  snprintf(at, sizeof at, "%s%s%s", where, *where ? "/" : "", key);
  json_t *v = json_object_get(obj, key);
  *out = def;
  if (!v)
    return L4P_OK;
  double x = json_is_number(v) ? json_number_value(v) : NAN;
  if (!(x >= lo && x <= hi) || (integer && x != floor(x)))
    return fail_at(ld, at, "'%s' must be a%s number in [%g, %g]", key,
                   integer ? " whole" : "", lo, hi);
  *out = x;
  return L4P_OK;
}

static bool is_word(const char *s)
{
  if (!*s || isdigit((unsigned char)*s))
    return false;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s) && *s != '_')
      return false;
  return true;
}

/* "env": {"NAME": "template"} as "NAME=template" strings. */
static l4p_status load_env(struct loading *ld)
{
  json_t *env = json_object_get(ld->root, "env");
  if (!env)
    return L4P_OK;
  if (!json_is_object(env))
    return fail_at(ld, "env", "'env' must be an object of strings");
  ld->def->env = calloc(json_object_size(env) + 1, sizeof(char *));
  if (!ld->def->env)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  size_t n = 0;
  const char *name;
  json_t *value;
  json_object_foreach (env, name, value) {
    char at[300];
    snprintf(at, sizeof at, "env/%s", name);
    if (!is_word(name) || !json_is_string(value))
      return fail_at(ld, at,
                     "an environment variable needs a name of "
                     "letters, digits and '_' and a string value");
    size_t size = strlen(name) + strlen(json_string_value(value)) + 2;
    if (!(ld->def->env[n] = malloc(size)))
      return l4p_failf(L4P_ENOMEM, "out of memory");
    snprintf(ld->def->env[n++], size, "%s=%s", name, json_string_value(value));
  }
  return L4P_OK;
}

static l4p_status load_setup(struct loading *ld)
{
  static const char *const keys[] = {"command", "creates", "timeout_s", NULL};
  json_t *list = json_object_get(ld->root, "setup");
  if (!list)
    return L4P_OK;
  if (!json_is_array(list))
    return fail_at(ld, "setup", "'setup' must be an array of objects");
  struct cmd_def *def = ld->def;
  def->setup = calloc(json_array_size(list) + 1, sizeof *def->setup);
  if (!def->setup)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  size_t k;
  json_t *item;
  json_array_foreach (list, k, item) {
    char where[64];
    snprintf(where, sizeof where, "setup/%zu", k);
    if (!json_is_object(item))
      return fail_at(ld, where,
                     "a setup step is an object with a "
                     "'command'");
    struct cmd_setup *s = &def->setup[def->n_setup++];
    const char *bad = l4px_json_unknown_key(item, keys);
    l4p_status st;
    if (bad)
      return fail_key(ld, where, bad);
    if ((st = strings(ld, item, where, "command", true, &s->argv)) ||
        (st = strings(ld, item, where, "creates", false, &s->creates)) ||
        (st = number(ld, item, where, "timeout_s", 0.001, 1e7, false, 3600,
                     &s->timeout_s)))
      return st;
    while (s->creates && s->creates[s->n_creates])
      s->n_creates++;
  }
  return L4P_OK;
}

/* One entry of "metrics": a name and exactly one of file, stdout, stderr. */
static l4p_status load_metric(struct loading *ld, json_t *item,
                              const char *where, struct cmd_metric *m)
{
  static const char *const keys[] = {"name", "file", "stdout", "stderr", NULL};
  static const char *const sources[] = {"file", "stdout", "stderr"};
  if (!json_is_object(item))
    return fail_at(ld, where, "a metric is an object");
  const char *bad = l4px_json_unknown_key(item, keys);
  if (bad)
    return fail_key(ld, where, bad);
  json_t *name = json_object_get(item, "name");
  if (!json_is_string(name) || !is_word(json_string_value(name)))
    return fail_at(ld, where,
                   "a metric needs a 'name' of letters, digits "
                   "and '_'");
  for (size_t k = 0; &ld->def->metrics[k] != m; k++)
    if (strcmp(ld->def->metrics[k].name, json_string_value(name)) == 0)
      return fail_at(ld, where, "metric '%s' is defined twice%s",
                     json_string_value(name),
                     k < CMD_N_BUILTINS ? " (it is built in)" : "");
  int found = -1;
  for (int s = 0; s < 3; s++)
    if (json_object_get(item, sources[s]))
      found = found < 0 ? s : 3;
  json_t *text =
      found >= 0 && found < 3 ? json_object_get(item, sources[found]) : NULL;
  if (!json_is_string(text))
    return fail_at(ld, where,
                   "metric '%s' needs one string 'file', "
                   "'stdout' or 'stderr'",
                   json_string_value(name));
  l4p_status st = L4P_OK;
  m->name = dup_string(json_string_value(name), &st);
  m->text = dup_string(json_string_value(text), &st);
  m->kind = (enum cmd_metric_kind)(CMD_METRIC_FILE + found);
  if (st || m->kind == CMD_METRIC_FILE)
    return st;
  int rc = regcomp(&m->re, m->text, REG_EXTENDED | REG_NEWLINE);
  if (rc) {
    char why[128], at[96];
    regerror(rc, &m->re, why, sizeof why);
    snprintf(at, sizeof at, "%s/%s", where, sources[found]);
    return fail_at(ld, at, "bad regular expression /%s/: %s", m->text, why);
  }
  m->compiled = true;
  if (m->re.re_nsub > 1)
    return fail_at(ld, where,
                   "metric '%s': the pattern may have one "
                   "group, the number",
                   m->name);
  return L4P_OK;
}

static l4p_status load_metrics(struct loading *ld)
{
  static const char *const builtins[CMD_N_BUILTINS] = {[CMD_WALL_S] = "wall_s",
                                                       [CMD_USER_S] = "user_s",
                                                       [CMD_SYS_S] = "sys_s",
                                                       [CMD_CPU_S] = "cpu_s",
                                                       [CMD_MAX_RSS_KB] =
                                                           "max_rss_kb"};
  json_t *list = json_object_get(ld->root, "metrics");
  if (list && !json_is_array(list))
    return fail_at(ld, "metrics", "'metrics' must be an array");
  struct cmd_def *def = ld->def;
  size_t n = CMD_N_BUILTINS + (list ? json_array_size(list) : 0);
  if (!(def->metrics = calloc(n, sizeof *def->metrics)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = L4P_OK;
  for (; def->n_metrics < CMD_N_BUILTINS; def->n_metrics++)
    def->metrics[def->n_metrics].name =
        dup_string(builtins[def->n_metrics], &st);
  size_t k;
  json_t *item;
  json_array_foreach (list, k, item) {
    char where[64];
    snprintf(where, sizeof where, "metrics/%zu", k);
    /* counted first, so what a failure leaves is released */
    struct cmd_metric *m = &def->metrics[def->n_metrics++];
    if (st || (st = load_metric(ld, item, where, m)))
      return st;
  }
  return st;
}

/* "objectives": {"name": "formula"}; an objective left out is the metric
 * of its name. */
static l4p_status load_objectives(struct loading *ld)
{
  const struct l4p_spec *spec = ld->spec;
  json_t *map = json_object_get(ld->root, "objectives");
  if (map && !json_is_object(map))
    return fail_at(ld, "objectives",
                   "'objectives' must map objective "
                   "names to formulas");
  const char *name;
  json_t *formula;
  json_object_foreach (map, name, formula) {
    char at[300];
    snprintf(at, sizeof at, "objectives/%s", name);
    if (l4p_spec_find_objective(spec, name) < 0)
      return fail_at(ld, at, "'%s' is not an objective of the spec", name);
    if (!json_is_string(formula))
      return fail_at(ld, at, "a formula is a string");
  }
  struct cmd_def *def = ld->def;
  if (!(def->objectives =
            calloc(spec->n_objectives + 1, sizeof *def->objectives)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t j = 0; j < spec->n_objectives; j++) {
    name = spec->objectives[j].name;
    formula = json_object_get(map, name);
    char at[300];
    snprintf(at, sizeof at, "objectives/%s", name);
    l4p_status st = l4p__cmd_expr_compile(
        formula ? json_string_value(formula) : name, def, &def->objectives[j]);
    if (st == L4P_EPARSE && !formula)
      return fail_at(ld, "objectives",
                     "objective '%s' has no formula and "
                     "is not a metric",
                     name);
    if (st == L4P_EPARSE) {
      char why[300];
      snprintf(why, sizeof why, "%s", l4p_last_error());
      return fail_at(ld, at, "objective '%s': %s", name, why);
    }
    if (st)
      return st;
  }
  return L4P_OK;
}

static l4p_status load_numbers(struct loading *ld)
{
  struct cmd_def *def = ld->def;
  double warmup, reps, max_reps;
  json_t *keep = json_object_get(ld->root, "keep");
  l4p_status st;
  if ((st = number(ld, ld->root, "", "timeout_s", 0.001, 1e7, false, 600,
                   &def->timeout_s)) ||
      (st = number(ld, ld->root, "", "kill_grace_s", 0, 600, false, 2,
                   &def->grace_s)) ||
      (st = number(ld, ld->root, "", "warmup", 0, 100, true, 0, &warmup)) ||
      (st = number(ld, ld->root, "", "repetitions", 1, 1000, true, 1, &reps)) ||
      (st = number(ld, ld->root, "", "max_repetitions", reps, 1000, true, reps,
                   &max_reps)) ||
      (st = number(ld, ld->root, "", "max_rsd", 0, 100, false, 0,
                   &def->max_rsd)))
    return st;
  if (keep && !json_is_boolean(keep))
    return fail_at(ld, "keep", "'keep' must be true or false");
  def->keep = keep && json_is_true(keep);
  def->warmup = (unsigned)warmup;
  def->repetitions = (unsigned)reps;
  def->max_repetitions = (unsigned)max_reps;
  return L4P_OK;
}

/* Expand every template once with stand-in directories and the default
 * configuration, so a bad placeholder fails now rather than at run 1. */
static l4p_status try_templates(struct loading *ld)
{
  const struct l4p_space *space = ld->spec->space;
  double *cfg = calloc(l4p_space_n_options(space) + 1, sizeof *cfg);
  if (!cfg)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_space_default_config(space, cfg);
  struct cmd_vars v = {"/w", "/i", "/s", "llm4perf", space, cfg};
  struct cmd_def *def = ld->def;
  char **argv = NULL, *text = NULL, where[64] = "command";
  l4p_status st = l4p__cmd_argv(def->argv, &v, &argv);
  for (size_t k = 0; !st && def->env && def->env[k]; k++) {
    snprintf(where, sizeof where, "env");
    if (!(st = l4p__cmd_expand(def->env[k], &v, &text)))
      free(text);
  }
  for (size_t k = CMD_N_BUILTINS; !st && k < def->n_metrics; k++) {
    snprintf(where, sizeof where, "metrics/%zu", k - CMD_N_BUILTINS);
    if (def->metrics[k].kind == CMD_METRIC_FILE &&
        !(st = l4p__cmd_expand(def->metrics[k].text, &v, &text)))
      free(text);
  }
  v.workdir = NULL;
  v.cfg = NULL;
  for (size_t k = 0; !st && k < def->n_setup; k++) {
    l4px_argv_free(argv);
    argv = NULL;
    snprintf(where, sizeof where, "setup/%zu/command", k);
    st = l4p__cmd_argv(def->setup[k].argv, &v, &argv);
  }
  l4px_argv_free(argv);
  free(cfg);
  if (st == L4P_EUSAGE) {
    char why[300];
    snprintf(why, sizeof why, "%s", l4p_last_error());
    st = fail_at(ld, where, "%s", why);
  }
  return st;
}

/* See command-int.h. */
l4p_status l4p__cmd_load(const struct l4p_spec *spec, struct cmd_def *def)
{
  static const char *const keys[] = {"type",
                                     "command",
                                     "env",
                                     "setup",
                                     "metrics",
                                     "objectives",
                                     "timeout_s",
                                     "kill_grace_s",
                                     "warmup",
                                     "repetitions",
                                     "max_repetitions",
                                     "max_rsd",
                                     "keep",
                                     NULL};
  memset(def, 0, sizeof *def);
  struct loading ld = {spec, NULL, NULL, def};
  if (!spec->oracle_json || !(ld.root = json_loads(spec->oracle_json, 0, NULL)))
    return l4p_failf(L4P_EPARSE, "system '%s': no oracle description",
                     spec->name);
  find_text(&ld);
  const char *bad = l4px_json_unknown_key(ld.root, keys);
  l4p_status st = bad ? fail_key(&ld, "", bad) : L4P_OK;
  if (!st && !(st = strings(&ld, ld.root, "", "command", true, &def->argv)) &&
      !(st = load_env(&ld)) && !(st = load_setup(&ld)) &&
      !(st = load_metrics(&ld)) && !(st = load_objectives(&ld)) &&
      !(st = load_numbers(&ld)))
    st = try_templates(&ld);
  json_decref(ld.root);
  free(ld.text);
  return st;
}

/* See command-int.h. */
void l4p__cmd_release(struct cmd_def *def)
{
  l4px_argv_free(def->argv);
  l4px_argv_free(def->env);
  for (size_t k = 0; k < def->n_setup; k++) {
    l4px_argv_free(def->setup[k].argv);
    l4px_argv_free(def->setup[k].creates);
  }
  free(def->setup);
  for (size_t k = 0; k < def->n_metrics; k++) {
    free(def->metrics[k].name);
    free(def->metrics[k].text);
    if (def->metrics[k].compiled)
      regfree(&def->metrics[k].re);
  }
  free(def->metrics);
  for (size_t j = 0; def->objectives && def->objectives[j].text; j++)
    l4p__cmd_expr_release(&def->objectives[j]);
  free(def->objectives);
  memset(def, 0, sizeof *def);
}
