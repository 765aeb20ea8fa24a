/* The strict form of an answer schema, for servers that constrain their
 * decoding by it. OpenAI's strict structured outputs take a narrower
 * subset than the one answers are validated with: every object lists all
 * its properties in "required" and forbids others, an optional member is
 * written as a nullable one, every schema names its type (or an enum),
 * and length bounds and annotations such as "default" are refused. This
 * file derives that wire form; answers are still checked against the
 * original schema, after a null in a member it leaves optional has been
 * read as "absent" (l4p__llm_schema_drop_nulls).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "llm-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Keywords the strict subset refuses; dropping them only widens what the
 * server may send, and the original schema still judges the answer. */
static const char *const refused_keywords[] = {
    "minLength", "maxLength", "title", "examples", "default", "$schema",
};

static bool refused(const char *key)
{
  for (size_t k = 0; k < sizeof refused_keywords / sizeof *refused_keywords;
       k++)
    if (!strcmp(key, refused_keywords[k]))
      return true;
  return false;
}

static bool object_keyword(const char *key)
{
  return !strcmp(key, "properties") || !strcmp(key, "required") ||
         !strcmp(key, "additionalProperties");
}

/* Whether a schema's "type" (a name or a list of names) includes name. */
static bool has_type(const json_t *schema, const char *name)
{
  const json_t *type = json_object_get(schema, "type");
  if (json_is_string(type))
    return !strcmp(json_string_value(type), name);
  size_t k;
  const json_t *t;
  json_array_foreach (type, k, t) {
    if (json_is_string(t) && !strcmp(json_string_value(t), name))
      return true;
  }
  return false;
}

/* Whether a schema accepts null as it stands. */
static bool allows_null(const json_t *schema)
{
  const json_t *list = json_object_get(schema, "enum");
  if (list) {
    size_t k;
    const json_t *v;
    json_array_foreach (list, k, v) {
      if (json_is_null(v))
        return true;
    }
    return false;
  }
  const json_t *constant = json_object_get(schema, "const");
  if (constant)
    return json_is_null(constant);
  return !json_object_get(schema, "type") || has_type(schema, "null");
}

static bool is_required(const json_t *schema, const char *key)
{
  size_t k;
  const json_t *name;
  json_array_foreach (json_object_get(schema, "required"), k, name) {
    if (!strcmp(json_string_value(name), key))
      return true;
  }
  return false;
}

/* Make a strict schema (stolen) nullable: null joins its enum or its
 * type list (a strict form always has one of them). NULL on ENOMEM. */
static json_t *nullable(json_t *schema)
{
  if (allows_null(schema))
    return schema;
  json_t *list = json_object_get(schema, "enum");
  json_t *type = json_object_get(schema, "type");
  int failed = 1;
  if (list)
    failed = json_array_append_new(list, json_null());
  else if (json_is_string(type))
    failed = json_object_set_new(
        schema, "type", json_pack("[s,s]", json_string_value(type), "null"));
  else if (json_is_array(type))
    failed = json_array_append_new(type, json_string("null"));
  if (failed) {
    json_decref(schema);
    return NULL;
  }
  return schema;
}

/* The strict "properties" and "required" of an object schema. Optional
 * members become nullable, or are left out when they cannot be
 * expressed; *ok false when a required one cannot be. */
static l4p_status strict_members(const json_t *schema, json_t **props,
                                 json_t **required, bool *ok)
{
  *props = json_object();
  *required = json_array();
  l4p_status st = *props && *required ? L4P_OK : L4P_ENOMEM;
  const char *key;
  const json_t *member;
  json_object_foreach ((json_t *)json_object_get(schema, "properties"), key,
                       member) {
    json_t *sub = NULL;
    if (st || (st = l4p__llm_schema_strict(member, &sub)))
      break;
    bool needed = is_required(schema, key);
    if (sub && !needed)
      sub = nullable(sub);
    if (!sub && needed) {
      *ok = false;
      break;
    }
    if (!sub)
      continue;
    if (json_object_set_new(*props, key, sub) ||
        json_array_append_new(*required, json_string(key)))
      st = L4P_ENOMEM;
  }
  return st;
}

/* See llm-int.h. Keys keep their order, so a schema that is strict
 * already comes out equal to itself. */
l4p_status l4p__llm_schema_strict(const json_t *schema, json_t **out)
{
  *out = NULL;
  bool typed = json_object_get(schema, "type") ||
               json_object_get(schema, "enum") ||
               json_object_get(schema, "const");
  bool object = has_type(schema, "object");
  if (!typed ||
      (object && !json_is_object(json_object_get(schema, "properties"))))
    return L4P_OK;
  json_t *s = json_object(), *props = NULL, *required = NULL, *items = NULL;
  bool ok = true;
  l4p_status st = s ? L4P_OK : L4P_ENOMEM;
  if (!st && object)
    st = strict_members(schema, &props, &required, &ok);
  if (!st && ok && json_object_get(schema, "items") &&
      !(st = l4p__llm_schema_strict(json_object_get(schema, "items"), &items)))
    ok = items != NULL;
  const char *key;
  const json_t *v;
  json_object_foreach ((json_t *)schema, key, v) {
    if (st || !ok)
      break;
    if (refused(key) || (!object && object_keyword(key)))
      continue;
    const char *as = key;
    json_t *put;
    if (!strcmp(key, "properties"))
      put = json_incref(props);
    else if (!strcmp(key, "required"))
      put = json_incref(required);
    else if (!strcmp(key, "additionalProperties"))
      put = json_false();
    else if (!strcmp(key, "items"))
      put = json_incref(items);
    else if (!strcmp(key, "const")) { /* as a one-value enum */
      put = json_pack("[O]", v);
      as = "enum";
    } else
      put = json_deep_copy(v);
    if (json_object_set_new(s, as, put)) /* fails on NULL too */
      st = L4P_ENOMEM;
  }
  /* Members an object schema may not have had yet. */
  if (!st && ok && object &&
      ((!json_object_get(s, "required") &&
        json_object_set(s, "required", required)) ||
       (!json_object_get(s, "additionalProperties") &&
        json_object_set_new(s, "additionalProperties", json_false()))))
    st = L4P_ENOMEM;
  json_decref(props);
  json_decref(required);
  json_decref(items);
  if (st || !ok) {
    json_decref(s);
    return st ? l4p_failf(L4P_ENOMEM, "llm: out of memory") : L4P_OK;
  }
  *out = s;
  return L4P_OK;
}

/* See llm-int.h. */
void l4p__llm_schema_drop_nulls(const json_t *schema, json_t *value)
{
  if (!json_is_object(schema))
    return;
  const json_t *props = json_object_get(schema, "properties");
  const json_t *items = json_object_get(schema, "items");
  if (json_is_object(value) && props) {
    const char *key;
    json_t *member;
    void *next;
    json_object_foreach_safe(value, next, key, member)
    {
      const json_t *sub = json_object_get(props, key);
      if (!sub)
        continue;
      if (json_is_null(member) && !is_required(schema, key) &&
          !allows_null(sub))
        json_object_del(value, key);
      else
        l4p__llm_schema_drop_nulls(sub, member);
    }
  } else if (json_is_array(value) && items) {
    size_t k;
    json_t *item;
    json_array_foreach (value, k, item) {
      l4p__llm_schema_drop_nulls(items, item);
    }
  }
}
