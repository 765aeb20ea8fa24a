/* Building the roles' input documents from the library's structures: the
 * option list (types, domains, defaults, docs), the objectives, and
 * configurations as {"option": value} objects. The sampler orchestrator
 * and the docs/prune commands call these; the formats are docs/AGENTS.md.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "agent-int.h"
#include "util/failf.h"
#include "util/banned.h"

static const char *const type_names[] = {"bool", "int", "float", "enum"};

json_t *l4p__option_json(const struct l4p_space *space, size_t i)
{
  const struct l4p_option *opt = l4p_space_option(space, i);
  json_t *o = json_object();
  if (!o)
    return NULL;
  json_object_set_new(o, "name", json_string(opt->name));
  json_object_set_new(o, "type", json_string(type_names[opt->type]));
  if (opt->type == L4P_OPT_BOOL || opt->type == L4P_OPT_ENUM || opt->n_values) {
    json_t *values = json_array();
    size_t n = l4p_option_cardinality(opt);
    for (size_t k = 0; k < n; k++)
      json_array_append_new(values,
                            l4p__value_json(opt, l4p_option_value_at(opt, k)));
    json_object_set_new(o, "values", values);
  } else {
    json_object_set_new(o, "min", l4p__value_json(opt, opt->min));
    json_object_set_new(o, "max", l4p__value_json(opt, opt->max));
    if (opt->step > 0)
      json_object_set_new(o, "step", json_real(opt->step));
  }
  json_object_set_new(o, "default", l4p__value_json(opt, opt->default_value));
  if (opt->fixed)
    json_object_set_new(o, "fixed", l4p__value_json(opt, opt->fixed_value));
  if (opt->doc)
    json_object_set_new(o, "doc", json_string(opt->doc));
  if (opt->cli.flag)
    json_object_set_new(o, "flag", json_string(opt->cli.flag));
  return o;
}

json_t *l4p__options_json(const struct l4p_space *space, bool free_only)
{
  json_t *list = json_array();
  for (size_t i = 0; list && i < l4p_space_n_options(space); i++)
    if (!free_only || !l4p_space_option(space, i)->fixed)
      json_array_append_new(list, l4p__option_json(space, i));
  return list;
}

static json_t *objective_json(const struct l4p_objective *o)
{
  json_t *j = json_object();
  json_object_set_new(j, "name", json_string(o->name));
  json_object_set_new(j, "goal",
                      json_string(o->goal == L4P_MAXIMIZE ? "max" : "min"));
  if (o->unit)
    json_object_set_new(j, "unit", json_string(o->unit));
  if (o->doc)
    json_object_set_new(j, "doc", json_string(o->doc));
  return j;
}

l4p_status l4p__objectives_json(const struct l4p_spec *spec,
                                const char *const *names, size_t n,
                                json_t **objectives)
{
  json_t *list = json_array();
  if (!list)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  for (size_t k = 0; k < (n ? n : spec->n_objectives); k++) {
    int j = n ? l4p_spec_find_objective(spec, names[k]) : (int)k;
    if (j < 0) {
      json_decref(list);
      return l4p_failf(L4P_EUSAGE,
                       "unknown objective '%s' (not in system "
                       "'%s')",
                       names[k], spec->name);
    }
    json_array_append_new(list, objective_json(&spec->objectives[j]));
  }
  *objectives = list;
  return L4P_OK;
}

json_t *l4p__config_json(const struct l4p_space *space, const double *cfg)
{
  json_t *o = json_object();
  for (size_t i = 0; o && i < l4p_space_n_options(space); i++) {
    const struct l4p_option *opt = l4p_space_option(space, i);
    if (!opt->fixed)
      json_object_set_new(o, opt->name, l4p__value_json(opt, cfg[i]));
  }
  return o;
}

/* Dump doc into *input, checking it against the role's input schema (a
 * failure here is a bug in this file, reported rather than hidden). */
static l4p_status finish(enum l4p_role role, json_t *doc, char **input)
{
  *input = NULL;
  if (!doc)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = l4p__agent_check_json(role, L4P_AGENT_INPUT, doc);
  if (!st)
    st = l4p__agent_dump(doc, input);
  json_decref(doc);
  return st;
}

/* Length of the valid UTF-8 sequence at s (shortest form, no surrogate,
 * at most U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s)
{
  if (s[0] < 0x80)
    return 1;
  unsigned char lo = 0x80, hi = 0xbf;
  size_t n;
  if (s[0] >= 0xc2 && s[0] <= 0xdf)
    n = 2;
  else if (s[0] >= 0xe0 && s[0] <= 0xef)
    n = 3, lo = s[0] == 0xe0 ? 0xa0 : 0x80, hi = s[0] == 0xed ? 0x9f : 0xbf;
  else if (s[0] >= 0xf0 && s[0] <= 0xf4)
    n = 4, lo = s[0] == 0xf0 ? 0x90 : 0x80, hi = s[0] == 0xf4 ? 0x8f : 0xbf;
  else
    return 0;
  if (s[1] < lo || s[1] > hi)
    return 0;
  for (size_t k = 2; k < n; k++)
    if (s[k] < 0x80 || s[k] > 0xbf)
      return 0;
  return n;
}

/* text as a JSON string, bytes that are not UTF-8 (a Latin-1 help text)
 * replaced by '?'. */
static json_t *text_json(const char *text)
{
  char *copy = strdup(text);
  if (!copy)
    return NULL;
  for (unsigned char *p = (unsigned char *)copy; *p;) {
    size_t n = utf8_len(p);
    if (!n)
      *p = '?';
    p += n ? n : 1;
  }
  json_t *j = json_string(copy);
  free(copy);
  return j;
}

l4p_status l4p_agent_extract_input(const char *system, const char *text,
                                   char **input)
{
  json_t *doc = json_object();
  json_object_set_new(doc, "system", text_json(system ? system : ""));
  json_object_set_new(doc, "text", text_json(text ? text : ""));
  if (doc && json_object_size(doc) != 2) {
    json_decref(doc);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  return finish(L4P_ROLE_EXTRACT, doc, input);
}

l4p_status l4p_agent_filter_input(const struct l4p_spec *spec,
                                  const char *const *objectives,
                                  size_t n_objectives, char **input)
{
  json_t *objs;
  l4p_status st = l4p__objectives_json(spec, objectives, n_objectives, &objs);
  if (st)
    return st;
  json_t *doc = json_object();
  json_object_set_new(doc, "system", json_string(spec->name));
  json_object_set_new(doc, "objectives", objs);
  json_object_set_new(doc, "options", l4p__options_json(spec->space, false));
  return finish(L4P_ROLE_FILTER, doc, input);
}

/* The history rows: measured configurations with their objectives (null
 * for a missing value). */
static json_t *history_json(const struct l4p_spec *spec,
                            const struct l4p_space *space,
                            const struct l4p_history *h)
{
  json_t *rows = json_array();
  size_t n_opt = l4p_space_n_options(space), m = spec->n_objectives;
  for (size_t r = 0; rows && h && r < h->n; r++) {
    json_t *row = json_object(), *vals = json_object();
    json_object_set_new(row, "config",
                        l4p__config_json(space, h->configs + r * n_opt));
    for (size_t j = 0; j < m; j++) {
      double y = h->values[r * m + j];
      json_object_set_new(vals, spec->objectives[j].name,
                          isfinite(y) ? json_real(y) : json_null());
    }
    json_object_set_new(row, "objectives", vals);
    json_array_append_new(rows, row);
  }
  return rows;
}

l4p_status l4p_agent_analyze_input(const struct l4p_spec *spec,
                                   const struct l4p_space *space,
                                   const struct l4p_history *h, char **input)
{
  json_t *objs;
  l4p_status st = l4p__objectives_json(spec, NULL, 0, &objs);
  if (st)
    return st;
  json_t *doc = json_object();
  json_object_set_new(doc, "system", json_string(spec->name));
  json_object_set_new(doc, "objectives", objs);
  json_object_set_new(doc, "options", l4p__options_json(space, true));
  json_object_set_new(doc, "history", history_json(spec, space, h));
  return finish(L4P_ROLE_ANALYZE, doc, input);
}

l4p_status l4p_agent_design_input(const struct l4p_spec *spec,
                                  const struct l4p_space *space,
                                  const char *analysis, size_t measured,
                                  size_t budget, char **input)
{
  json_t *an, *objs;
  l4p_status st = l4p__agent_parse(analysis, "analysis", &an);
  if (st)
    return st;
  if ((st = l4p__objectives_json(spec, NULL, 0, &objs))) {
    json_decref(an);
    return st;
  }
  json_t *doc = json_object();
  json_object_set_new(doc, "system", json_string(spec->name));
  json_object_set_new(doc, "analysis", an);
  json_object_set_new(doc, "objectives", objs);
  json_object_set_new(doc, "options", l4p__options_json(space, true));
  json_object_set_new(doc, "measured", json_integer((json_int_t)measured));
  json_object_set_new(
      doc, "budget_left",
      json_integer((json_int_t)(budget > measured ? budget - measured : 0)));
  json_object_set_new(doc, "budget", json_integer((json_int_t)budget));
  return finish(L4P_ROLE_DESIGN, doc, input);
}

l4p_status l4p_agent_generate_input(const struct l4p_spec *spec,
                                    const struct l4p_space *space,
                                    const char *strategy,
                                    const struct l4p_history *h, size_t n,
                                    char **input)
{
  json_t *strat;
  l4p_status st = l4p__agent_parse(strategy, "strategy", &strat);
  if (st)
    return st;
  json_t *doc = json_object(), *measured = json_array();
  size_t n_opt = l4p_space_n_options(space);
  for (size_t r = 0; h && r < h->n; r++)
    json_array_append_new(measured,
                          l4p__config_json(space, h->configs + r * n_opt));
  for (size_t r = 0; h && r < h->n_failed; r++)
    json_array_append_new(measured,
                          l4p__config_json(space, h->failed + r * n_opt));
  json_object_set_new(doc, "system", json_string(spec->name));
  json_object_set_new(doc, "strategy", strat);
  json_object_set_new(doc, "options", l4p__options_json(space, true));
  json_object_set_new(doc, "measured", measured);
  json_object_set_new(doc, "n", json_integer((json_int_t)(n ? n : 1)));
  return finish(L4P_ROLE_GENERATE, doc, input);
}
