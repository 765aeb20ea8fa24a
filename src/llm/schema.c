/* JSON-Schema validation of LLM answers for the subset the prompts use
 * (types, properties, required, additionalProperties false, items, enum,
 * const, numeric and size bounds). Servers may ignore response_format
 * and fall back to free text, so every answer is checked here; errors
 * name the JSON path ("$.configs[2].ref: expected integer, got string")
 * because the retry shows them to the model. schema_check.c refuses the
 * keywords this file does not implement.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Append ".key", or ["key"] when key is not an identifier. */
void l4p__schema_path_key(struct l4p__schema_path *p, const char *key)
{
  bool ident = isalpha((unsigned char)key[0]) || key[0] == '_';
  for (const char *c = key; *c && ident; c++)
    ident = isalnum((unsigned char)*c) || *c == '_';
  size_t room = sizeof p->buf - p->len;
  int n = ident ? snprintf(p->buf + p->len, room, ".%s", key)
                : snprintf(p->buf + p->len, room, "[\"%s\"]", key);
  if (n > 0)
    p->len = (size_t)n < room ? p->len + (size_t)n : sizeof p->buf - 1;
}

/* Append "[i]". */
void l4p__schema_path_index(struct l4p__schema_path *p, size_t i)
{
  size_t room = sizeof p->buf - p->len;
  int n = snprintf(p->buf + p->len, room, "[%zu]", i);
  if (n > 0)
    p->len = (size_t)n < room ? p->len + (size_t)n : sizeof p->buf - 1;
}

/* Return to an earlier length (leaving a child). */
void l4p__schema_path_cut(struct l4p__schema_path *p, size_t len)
{
  p->len = len;
  p->buf[len] = '\0';
}

/* ELLM "PATH: message". */
static l4p_status violation(const struct l4p__schema_path *p, const char *fmt,
                            ...) __attribute__((format(printf, 2, 3)));
static l4p_status violation(const struct l4p__schema_path *p, const char *fmt,
                            ...)
{
  char message[600];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  return l4p_failf(L4P_ELLM, "%s: %s", p->buf, message);
}

/* The JSON Schema name of value's type. */
static const char *type_name(const json_t *value)
{
  switch (json_typeof(value)) {
  case JSON_OBJECT:
    return "object";
  case JSON_ARRAY:
    return "array";
  case JSON_STRING:
    return "string";
  case JSON_INTEGER:
    return "integer";
  case JSON_REAL:
    return "number";
  case JSON_TRUE:
  case JSON_FALSE:
    return "boolean";
  case JSON_NULL:
    return "null";
  }
  return "?";
}

/* Whether value is of the schema type called name. An integral real
 * (3.0) is an integer, as JSON Schema counts it. */
bool l4p__schema_is_type(const json_t *value, const char *name)
{
  if (!strcmp(name, "integer"))
    return json_is_integer(value) ||
           (json_is_real(value) && isfinite(json_real_value(value)) &&
            json_real_value(value) == floor(json_real_value(value)));
  if (!strcmp(name, "number"))
    return json_is_number(value);
  if (!strcmp(name, "boolean"))
    return json_is_boolean(value);
  return !strcmp(name, type_name(value));
}

/* Compact JSON of value cut to a short excerpt, for messages. */
static void excerpt(const json_t *value, char *out, size_t size)
{
  char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
  snprintf(out, size, "%s", text ? text : "?");
  if (text && strlen(text) >= size && size > 4)
    memcpy(out + size - 4, "...", 4);
  free(text);
}

/* The "type" keyword: one name or a list of names. */
static l4p_status check_type(const json_t *type, const json_t *value,
                             const struct l4p__schema_path *p)
{
  if (json_is_string(type)) {
    if (l4p__schema_is_type(value, json_string_value(type)))
      return L4P_OK;
    return violation(p, "expected %s, got %s", json_string_value(type),
                     type_name(value));
  }
  char names[200] = "";
  size_t i, used = 0;
  json_t *t;
  json_array_foreach (type, i, t) {
    if (l4p__schema_is_type(value, json_string_value(t)))
      return L4P_OK;
    int n = snprintf(names + used, sizeof names - used, "%s%s", i ? " or " : "",
                     json_string_value(t));
    if (n > 0 && (size_t)n < sizeof names - used)
      used += (size_t)n;
  }
  return violation(p, "expected %s, got %s", names, type_name(value));
}

/* enum and const. */
static l4p_status check_values(const json_t *schema, const json_t *value,
                               const struct l4p__schema_path *p)
{
  char got[80], allowed[160];
  json_t *options = json_object_get(schema, "enum");
  if (options) {
    size_t i;
    json_t *option;
    json_array_foreach (options, i, option) {
      if (json_equal(option, value))
        return L4P_OK;
    }
    excerpt(value, got, sizeof got);
    excerpt(options, allowed, sizeof allowed);
    return violation(p, "%s is not one of %s", got, allowed);
  }
  json_t *constant = json_object_get(schema, "const");
  if (constant && !json_equal(constant, value)) {
    excerpt(value, got, sizeof got);
    excerpt(constant, allowed, sizeof allowed);
    return violation(p, "%s is not the constant %s", got, allowed);
  }
  return L4P_OK;
}

/* A bound keyword as a double; false when absent. */
static bool bound(const json_t *schema, const char *name, double *out)
{
  json_t *v = json_object_get(schema, name);
  if (!json_is_number(v))
    return false;
  *out = json_number_value(v);
  return true;
}

/* minimum/maximum for numbers, minLength/maxLength for strings (in
 * characters, counting UTF-8 sequences once), minItems/maxItems. */
static l4p_status check_bounds(const json_t *schema, const json_t *value,
                               const struct l4p__schema_path *p)
{
  double lo, hi;
  if (json_is_number(value)) {
    double x = json_number_value(value);
    if (bound(schema, "minimum", &lo) && x < lo)
      return violation(p, "%.17g is below minimum %.17g", x, lo);
    if (bound(schema, "maximum", &hi) && x > hi)
      return violation(p, "%.17g is above maximum %.17g", x, hi);
  } else if (json_is_string(value)) {
    size_t chars = 0;
    for (const char *c = json_string_value(value); *c; c++)
      chars += ((unsigned char)*c & 0xC0) != 0x80;
    if (bound(schema, "minLength", &lo) && (double)chars < lo)
      return violation(p,
                       "string of %zu characters is shorter than "
                       "minLength %.0f",
                       chars, lo);
    if (bound(schema, "maxLength", &hi) && (double)chars > hi)
      return violation(p,
                       "string of %zu characters is longer than "
                       "maxLength %.0f",
                       chars, hi);
  } else if (json_is_array(value)) {
    size_t n = json_array_size(value);
    if (bound(schema, "minItems", &lo) && (double)n < lo)
      return violation(p, "%zu items, fewer than minItems %.0f", n, lo);
    if (bound(schema, "maxItems", &hi) && (double)n > hi)
      return violation(p, "%zu items, more than maxItems %.0f", n, hi);
  }
  return L4P_OK;
}

static l4p_status validate(const json_t *schema, const json_t *value,
                           struct l4p__schema_path *p);

/* additionalProperties, required, then each property, in that order: a
 * misnamed member is reported as unexpected rather than as the required
 * one it was meant to be. */
static l4p_status check_object(const json_t *schema, const json_t *value,
                               struct l4p__schema_path *p)
{
  json_t *props = json_object_get(schema, "properties");
  const char *key;
  json_t *member;
  if (json_is_false(json_object_get(schema, "additionalProperties")))
    json_object_foreach ((json_t *)value, key, member) {
      if (!json_object_get(props, key))
        return violation(p, "unexpected property '%s'", key);
    }
  size_t i;
  json_t *name;
  json_array_foreach (json_object_get(schema, "required"), i, name) {
    if (!json_object_get(value, json_string_value(name)))
      return violation(p, "missing required property '%s'",
                       json_string_value(name));
  }
  size_t len = p->len;
  json_object_foreach ((json_t *)value, key, member) {
    json_t *sub = json_object_get(props, key);
    if (!sub)
      continue;
    l4p__schema_path_key(p, key);
    l4p_status st = validate(sub, member, p);
    if (st != L4P_OK)
      return st;
    l4p__schema_path_cut(p, len);
  }
  return L4P_OK;
}

/* items of an array. */
static l4p_status check_items(const json_t *schema, const json_t *value,
                              struct l4p__schema_path *p)
{
  json_t *items = json_object_get(schema, "items");
  if (!items)
    return L4P_OK;
  size_t i, len = p->len;
  json_t *item;
  json_array_foreach (value, i, item) {
    l4p__schema_path_index(p, i);
    l4p_status st = validate(items, item, p);
    if (st != L4P_OK)
      return st;
    l4p__schema_path_cut(p, len);
  }
  return L4P_OK;
}

/* Check value against schema at path p, first violation wins. */
static l4p_status validate(const json_t *schema, const json_t *value,
                           struct l4p__schema_path *p)
{
  json_t *type = json_object_get(schema, "type");
  l4p_status st = type ? check_type(type, value, p) : L4P_OK;
  if (st == L4P_OK)
    st = check_values(schema, value, p);
  if (st == L4P_OK)
    st = check_bounds(schema, value, p);
  if (st == L4P_OK && json_is_object(value))
    st = check_object(schema, value, p);
  if (st == L4P_OK && json_is_array(value))
    st = check_items(schema, value, p);
  return st;
}

/* Validate value against schema; see llm.h. */
l4p_status l4p_llm_schema_validate(const json_t *schema, const json_t *value)
{
  if (!schema || !value)
    return l4p_failf(L4P_EUSAGE, "schema: nothing to validate");
  struct l4p__schema_path p = {"$", 1};
  return validate(schema, value, &p);
}
