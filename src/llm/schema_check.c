/* Checking a JSON schema before it is sent: every keyword must be one the
 * validator (schema.c) implements, with a value of the right shape. A
 * schema using "pattern" or "anyOf" would otherwise look enforced while
 * answers pass unchecked; failing early names the place instead.
 * SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "schema-int.h"
#include "util/failf.h"
#include "util/banned.h"

static const char *const type_names[] = {
    "object", "array", "string", "number", "integer", "boolean", "null",
};

/* Keywords read by schema.c, then annotations it ignores on purpose. */
static const char *const keywords[] = {
    "type",      "properties", "required",    "additionalProperties",
    "items",     "enum",       "const",       "minimum",
    "maximum",   "minItems",   "maxItems",    "minLength",
    "maxLength", "title",      "description", "default",
    "examples",  "$schema",
};

/* EUSAGE "schema: PATH: message". */
static l4p_status bad(const struct l4p__schema_path *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static l4p_status bad(const struct l4p__schema_path *p, const char *fmt, ...)
{
  char message[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  return l4p_failf(L4P_EUSAGE, "schema: %s: %s", p->buf, message);
}

static bool known(const char *name, const char *const *list, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (!strcmp(name, list[i]))
      return true;
  return false;
}

/* "type": a known name or a non-empty list of them. */
static l4p_status check_type(const json_t *type,
                             const struct l4p__schema_path *p)
{
  size_t n_types = sizeof type_names / sizeof type_names[0];
  if (json_is_string(type)) {
    if (!known(json_string_value(type), type_names, n_types))
      return bad(p, "unknown type '%s'", json_string_value(type));
    return L4P_OK;
  }
  if (!json_is_array(type) || json_array_size(type) == 0)
    return bad(p, "'type' must be a type name or a list of them");
  size_t i;
  json_t *t;
  json_array_foreach (type, i, t) {
    if (!json_is_string(t) || !known(json_string_value(t), type_names, n_types))
      return bad(p, "'type' lists an unknown type");
  }
  return L4P_OK;
}

static l4p_status check(const json_t *schema, struct l4p__schema_path *p);

/* "properties": an object of schemas. */
static l4p_status check_properties(const json_t *props,
                                   struct l4p__schema_path *p)
{
  if (!json_is_object(props))
    return bad(p, "'properties' must be an object");
  size_t len = p->len;
  const char *key;
  json_t *sub;
  l4p__schema_path_key(p, "properties");
  size_t props_len = p->len;
  json_object_foreach ((json_t *)props, key, sub) {
    l4p__schema_path_key(p, key);
    l4p_status st = check(sub, p);
    if (st != L4P_OK)
      return st;
    l4p__schema_path_cut(p, props_len);
  }
  l4p__schema_path_cut(p, len);
  return L4P_OK;
}

/* The value of one keyword other than properties. */
static l4p_status check_keyword(const char *key, const json_t *v,
                                struct l4p__schema_path *p)
{
  if (!strcmp(key, "type"))
    return check_type(v, p);
  if (!strcmp(key, "required")) {
    size_t i;
    json_t *name;
    if (!json_is_array(v))
      return bad(p, "'required' must be a list of names");
    json_array_foreach (v, i, name) {
      if (!json_is_string(name))
        return bad(p, "'required' must be a list of names");
    }
  } else if (!strcmp(key, "additionalProperties")) {
    if (!json_is_boolean(v))
      return bad(p, "'additionalProperties' must be true or false");
  } else if (!strcmp(key, "items")) {
    size_t len = p->len;
    l4p__schema_path_key(p, "items");
    l4p_status st = check(v, p);
    if (st == L4P_OK)
      l4p__schema_path_cut(p, len);
    return st;
  } else if (!strcmp(key, "enum")) {
    if (!json_is_array(v) || json_array_size(v) == 0)
      return bad(p, "'enum' must be a non-empty list");
  } else if (!strcmp(key, "minimum") || !strcmp(key, "maximum")) {
    if (!json_is_number(v))
      return bad(p, "'%s' must be a number", key);
  } else if (!strncmp(key, "min", 3) || !strncmp(key, "max", 3)) {
    if (!l4p__schema_is_type(v, "integer") || json_number_value(v) < 0)
      return bad(p, "'%s' must be a non-negative integer", key);
  }
  return L4P_OK;
}

/* Check one schema object and, through properties and items, its
 * children. */
static l4p_status check(const json_t *schema, struct l4p__schema_path *p)
{
  if (!json_is_object(schema))
    return bad(p, "a schema must be an object");
  const char *key;
  json_t *v;
  json_object_foreach ((json_t *)schema, key, v) {
    if (!known(key, keywords, sizeof keywords / sizeof keywords[0]))
      return bad(p, "unsupported keyword '%s'", key);
    l4p_status st = !strcmp(key, "properties") ? check_properties(v, p)
                                               : check_keyword(key, v, p);
    if (st != L4P_OK)
      return st;
  }
  return L4P_OK;
}

/* Refuse schemas outside the supported subset; see llm.h. */
l4p_status l4p_llm_schema_check(const json_t *schema)
{
  struct l4p__schema_path p = {"$", 1};
  if (!schema)
    return bad(&p, "no schema");
  return check(schema, &p);
}
