/* Writing a system spec back to JSON, in the same format spec_load.c
 * reads (docs/SPEC.md), with keys in a stable, readable order.
 * SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/spec.h"
#include "value_json.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

/* A default or fixed value. On a float grid or list the loader snaps it
 * back to the domain's own double, so 15 digits say it exactly ("0.6",
 * not 0.6000000000000001, which would force 17 digits on the whole file
 * in l4p_spec_to_json). */
static json_t *member_json(const struct l4p_option *opt, double v)
{
  if (opt->type == L4P_OPT_FLOAT && l4p_option_cardinality(opt)) {
    char buf[32];
    snprintf(buf, sizeof buf, "%.15g", v);
    double shorter = strtod(buf, NULL);
    if (l4p_option_snap(opt, shorter) == v)
      v = shorter;
  }
  return l4p__value_json(opt, v);
}

static void set_string(json_t *obj, const char *key, const char *value)
{
  if (value)
    json_object_set_new(obj, key, json_string(value));
}

static json_t *cli_json(const struct l4p_option *opt)
{
  static const char *const forms[] = {"none", "switch", "value", "equals",
                                      "attached"};
  const struct l4p_cli *cli = &opt->cli;
  json_t *o = json_object();
  set_string(o, "flag", cli->flag);
  set_string(o, "false_flag", cli->false_flag);
  json_object_set_new(o, "form", json_string(forms[cli->form]));
  if (cli->omit_default)
    json_object_set_new(o, "omit_default", json_true());
  if (cli->values) {
    json_t *map = json_object();
    for (size_t k = 0; k < opt->n_values; k++)
      set_string(map, opt->labels[k], cli->values[k]);
    json_object_set_new(o, "values", map);
  }
  return o;
}

static json_t *option_json(const struct l4p_option *opt)
{
  static const char *const types[] = {"bool", "int", "float", "enum"};
  json_t *o = json_object();
  json_object_set_new(o, "name", json_string(opt->name));
  json_object_set_new(o, "type", json_string(types[opt->type]));
  if (opt->type == L4P_OPT_ENUM) {
    json_t *vals = json_array();
    for (size_t k = 0; k < opt->n_values; k++)
      json_array_append_new(vals, json_string(opt->labels[k]));
    json_object_set_new(o, "values", vals);
  } else if (opt->type != L4P_OPT_BOOL && opt->n_values) {
    json_t *vals = json_array();
    for (size_t k = 0; k < opt->n_values; k++)
      json_array_append_new(vals, l4p__value_json(opt, opt->values[k]));
    json_object_set_new(o, "values", vals);
  } else if (opt->type != L4P_OPT_BOOL) {
    json_object_set_new(o, "min", l4p__value_json(opt, opt->min));
    json_object_set_new(o, "max", l4p__value_json(opt, opt->max));
    json_object_set_new(o, "step", l4p__value_json(opt, opt->step));
  }
  json_object_set_new(o, "default", member_json(opt, opt->default_value));
  if (opt->fixed)
    json_object_set_new(o, "fixed", member_json(opt, opt->fixed_value));
  set_string(o, "doc", opt->doc);
  if (opt->cli.form != L4P_CLI_NONE || opt->cli.flag || opt->cli.values)
    json_object_set_new(o, "cli", cli_json(opt));
  return o;
}

l4p_status l4p_spec_to_json(const struct l4p_spec *spec, char **text)
{
  json_t *root = json_object();
  json_object_set_new(root, "name", json_string(spec->name));
  set_string(root, "description", spec->description);
  set_string(root, "provenance", spec->provenance);
  if (spec->docs_command || spec->docs_file) {
    json_t *docs = json_object();
    set_string(docs, "command", spec->docs_command);
    set_string(docs, "file", spec->docs_file);
    json_object_set_new(root, "docs", docs);
  }
  json_t *options = json_array();
  for (size_t i = 0; i < l4p_space_n_options(spec->space); i++)
    json_array_append_new(options,
                          option_json(l4p_space_option(spec->space, i)));
  json_object_set_new(root, "options", options);
  if (l4p_space_n_constraints(spec->space)) {
    json_t *cons = json_array();
    for (size_t c = 0; c < l4p_space_n_constraints(spec->space); c++)
      json_array_append_new(
          cons, json_string(l4p_space_constraint_text(spec->space, c)));
    json_object_set_new(root, "constraints", cons);
  }
  json_t *objectives = json_array();
  for (size_t k = 0; k < spec->n_objectives; k++) {
    const struct l4p_objective *obj = &spec->objectives[k];
    json_t *o = json_object();
    json_object_set_new(o, "name", json_string(obj->name));
    set_string(o, "unit", obj->unit);
    json_object_set_new(o, "goal",
                        json_string(obj->goal == L4P_MAXIMIZE ? "max" : "min"));
    set_string(o, "doc", obj->doc);
    json_array_append_new(objectives, o);
  }
  json_object_set_new(root, "objectives", objectives);
  if (spec->oracle_json) {
    json_error_t err;
    json_t *oracle = json_loads(spec->oracle_json, 0, &err);
    if (!oracle) {
      json_decref(root);
      return l4p_failf(L4P_EPARSE, "oracle description is not JSON: %s",
                       err.text);
    }
    json_object_set_new(root, "oracle", oracle);
  }
  /* 15 digits read well (0.1, not 0.10000000000000001) but do not always
   * read back as the same double (1/3, 0.1 + 0.2); fall back to 17, which
   * always does, when some number would change on reloading */
  size_t flags = JSON_INDENT(2) | JSON_PRESERVE_ORDER;
  *text = json_dumps(root, flags | JSON_REAL_PRECISION(15));
  json_t *back = *text ? json_loads(*text, 0, NULL) : NULL;
  if (*text && !json_equal(root, back)) {
    free(*text);
    *text = json_dumps(root, flags | JSON_REAL_PRECISION(17));
  }
  json_decref(back);
  json_decref(root);
  if (!*text)
    return l4p_failf(L4P_ENOMEM, "out of memory writing spec '%s'", spec->name);
  return L4P_OK;
}

l4p_status l4p_spec_save(const struct l4p_spec *spec, const char *path)
{
  char *text;
  l4p_status st = l4p_spec_to_json(spec, &text);
  if (st)
    return st;
  st = l4px_write_text_atomic(path, text);
  free(text);
  return st;
}
