/* Configurations as the store keeps them: a JSON object from option name
 * to value, so a database stays readable by hand and by other tools, and a
 * configuration is read back by name rather than by column position.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* One option's value as JSON: numbers for bool/int/float, the label for
 * an enum (through l4p_value_format, the one text form of a value). */
static l4p_status value_json(const struct l4p_space *space, size_t i, double v,
                             json_t **out)
{
  const struct l4p_option *opt = l4p_space_option(space, i);
  if (!isfinite(v))
    return l4p_failf(L4P_EDOMAIN, "option '%s': value is not finite",
                     opt->name);
  char text[256];
  switch (opt->type) {
  case L4P_OPT_BOOL:
    *out = json_integer(v != 0);
    break;
  case L4P_OPT_INT:
    *out = json_integer((json_int_t)llround(v));
    break;
  case L4P_OPT_FLOAT:
    *out = json_real(v);
    break;
  case L4P_OPT_ENUM:
    if (v < 0 || v >= (double)opt->n_values || v != floor(v))
      return l4p_failf(L4P_EDOMAIN, "option '%s': %g is not a label index",
                       opt->name, v);
    l4p_value_format(space, i, v, text, sizeof text);
    *out = json_string(text);
    break;
  default:
    *out = NULL;
    return l4p_failf(L4P_EUSAGE, "option '%s': unknown type", opt->name);
  }
  if (!*out)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  return L4P_OK;
}

/* cfg as compact JSON in option order (free() it). */
l4p_status l4p__store_config_json(const struct l4p_space *space,
                                  const double *cfg, char **json)
{
  *json = NULL;
  json_t *obj = json_object();
  if (!obj)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = L4P_OK;
  size_t n = l4p_space_n_options(space);
  for (size_t i = 0; i < n && st == L4P_OK; i++) {
    const char *name = l4p_space_option(space, i)->name;
    json_t *v;
    st = value_json(space, i, cfg[i], &v);
    if (st == L4P_OK && json_object_set_new(obj, name, v) != 0)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
  }
  if (st == L4P_OK) {
    *json = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!*json)
      st = l4p_failf(L4P_ENOMEM, "out of memory");
  }
  json_decref(obj);
  return st;
}

/* One stored value back into a double: a label string (or any text) goes
 * through l4p_value_parse, a number is taken as it is, true/false as 1/0. */
static l4p_status value_parse(const struct l4p_space *space, size_t i,
                              json_t *v, double *out)
{
  const struct l4p_option *opt = l4p_space_option(space, i);
  if (json_is_string(v))
    return l4p_value_parse(space, i, json_string_value(v), out);
  if (json_is_boolean(v)) {
    *out = json_is_true(v) ? 1 : 0;
    return L4P_OK;
  }
  if (json_is_number(v)) {
    *out = json_number_value(v);
    if (opt->type == L4P_OPT_ENUM &&
        (*out < 0 || *out >= (double)opt->n_values || *out != floor(*out)))
      return l4p_failf(L4P_EDOMAIN, "option '%s': %g is not a label index",
                       opt->name, *out);
    return L4P_OK;
  }
  return l4p_failf(L4P_EPARSE, "option '%s': value is not a number or text",
                   opt->name);
}

/* config_json back into cfg, by option name; ESTORE naming row. */
l4p_status l4p__store_config_parse(const struct l4p_space *space,
                                   const char *json, int64_t row, double *cfg)
{
  char where[64];
  snprintf(where, sizeof where, "stored configuration %lld", (long long)row);
  json_error_t jerr;
  json_t *obj = json_loads(json ? json : "", 0, &jerr);
  if (!json_is_object(obj)) {
    json_decref(obj);
    return l4p_failf(L4P_ESTORE, "%s: config_json is not a JSON object", where);
  }
  size_t n = l4p_space_n_options(space), seen = 0;
  l4p_status st = L4P_OK;
  const char *name;
  json_t *v;
  json_object_foreach (obj, name, v) {
    int i = l4p_space_find(space, name);
    if (i < 0) {
      st = l4p_failf(L4P_ESTORE, "%s: option '%s' is not in the space", where,
                     name);
      break;
    }
    if (value_parse(space, (size_t)i, v, &cfg[i]) != L4P_OK) {
      l4p_error_prefix(where);
      st = L4P_ESTORE;
      break;
    }
    seen++; /* object keys are unique, so seen counts distinct options */
  }
  if (st == L4P_OK && seen != n) {
    for (size_t i = 0; i < n; i++) {
      const char *opt = l4p_space_option(space, i)->name;
      if (!json_object_get(obj, opt)) {
        st = l4p_failf(L4P_ESTORE, "%s: option '%s' is missing", where, opt);
        break;
      }
    }
  }
  json_decref(obj);
  return st;
}

/* Read (id, config_json) rows of stmt into a new array (free() it). */
l4p_status l4p__store_fetch_configs(struct l4p_store *store, sqlite3_stmt *stmt,
                                    const struct l4p_space *space,
                                    double **cfgs, size_t *n)
{
  *cfgs = NULL;
  *n = 0;
  size_t width = l4p_space_n_options(space), len = 0, cap = 0;
  double *rows = NULL;
  l4p_status st = L4P_OK;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (len == cap) {
      size_t ncap = cap ? 2 * cap : 16;
      void *grown = realloc(rows, ncap * (width ? width : 1) * sizeof *rows);
      if (!grown) {
        st = l4p_failf(L4P_ENOMEM, "out of memory");
        break;
      }
      rows = grown;
      cap = ncap;
    }
    st = l4p__store_config_parse(
        space, (const char *)sqlite3_column_text(stmt, 1),
        sqlite3_column_int64(stmt, 0), rows + len * width);
    if (st != L4P_OK)
      break;
    len++;
  }
  if (st == L4P_OK && rc != SQLITE_DONE)
    st = l4p__store_fail(store, "cannot read configurations");
  if (st != L4P_OK) {
    free(rows);
    return st;
  }
  *cfgs = rows;
  *n = len;
  return L4P_OK;
}
