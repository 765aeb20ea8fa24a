/* Reading summary.json's members by type, each failure naming its place
 * as "file:line:col" (util/jsonloc.h finds it in the text), so a
 * summary.json edited by hand or cut short says where it went wrong.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "report-int.h"
#include "util/jsoncheck.h"
#include "util/banned.h"

/* See report-int.h. */
void l4p__jr_path(char *buf, size_t size, const char *where, const char *key)
{
  snprintf(buf, size, "%s%s%s", where, *where ? "/" : "", key);
}

/* See report-int.h. */
l4p_status l4p__jr_fail(const struct l4p__jr *r, const char *where,
                        const char *fmt, ...)
{
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  return l4px_json_fail(L4P_EPARSE, r->text, r->path, where, false, msg);
}

static const char *type_name(json_type type)
{
  switch (type) {
  case JSON_OBJECT:
    return "an object";
  case JSON_ARRAY:
    return "an array";
  case JSON_STRING:
    return "a string";
  case JSON_INTEGER:
    return "an integer";
  case JSON_TRUE:
    return "true or false";
  default:
    return "a number";
  }
}

/* The member key of obj, or EPARSE at obj naming what was expected. */
static l4p_status member(const struct l4p__jr *r, json_t *obj,
                         const char *where, const char *key, json_type type,
                         json_t **out)
{
  *out = json_object_get(obj, key);
  if (!*out)
    return l4p__jr_fail(r, where,
                        "expected member '%s' "
                        "(%s)",
                        key, type_name(type));
  return L4P_OK;
}

static l4p_status mistyped(const struct l4p__jr *r, const char *where,
                           const char *key, json_type type)
{
  char at[256];
  l4p__jr_path(at, sizeof at, where, key);
  return l4p__jr_fail(r, at, "'%s' should be %s", key, type_name(type));
}

/* See report-int.h. */
l4p_status l4p__jr_get(const struct l4p__jr *r, json_t *obj, const char *where,
                       const char *key, json_type type, json_t **out)
{
  l4p_status s = member(r, obj, where, key, type, out);
  if (!s && json_typeof(*out) != type)
    s = mistyped(r, where, key, type);
  return s;
}

/* See report-int.h. */
l4p_status l4p__jr_str(const struct l4p__jr *r, json_t *obj, const char *where,
                       const char *key, const char **out)
{
  json_t *v;
  l4p_status s = l4p__jr_get(r, obj, where, key, JSON_STRING, &v);
  *out = s ? NULL : json_string_value(v);
  return s;
}

/* See report-int.h. */
l4p_status l4p__jr_str_or_null(const struct l4p__jr *r, json_t *obj,
                               const char *where, const char *key,
                               const char **out)
{
  json_t *v;
  *out = NULL;
  l4p_status s = member(r, obj, where, key, JSON_STRING, &v);
  if (s || json_is_null(v))
    return s;
  if (!json_is_string(v))
    return mistyped(r, where, key, JSON_STRING);
  *out = json_string_value(v);
  return L4P_OK;
}

/* See report-int.h. */
l4p_status l4p__jr_size(const struct l4p__jr *r, json_t *obj, const char *where,
                        const char *key, bool null_ok, size_t *out)
{
  json_t *v;
  *out = 0;
  l4p_status s = member(r, obj, where, key, JSON_INTEGER, &v);
  if (s || (null_ok && json_is_null(v)))
    return s;
  if (!json_is_integer(v) || json_integer_value(v) < 0)
    return mistyped(r, where, key, JSON_INTEGER);
  *out = (size_t)json_integer_value(v);
  return L4P_OK;
}

/* See report-int.h. */
l4p_status l4p__jr_real(const struct l4p__jr *r, json_t *obj, const char *where,
                        const char *key, double *out)
{
  json_t *v;
  *out = NAN;
  l4p_status s = member(r, obj, where, key, JSON_REAL, &v);
  if (s || json_is_null(v))
    return s;
  if (!json_is_number(v))
    return mistyped(r, where, key, JSON_REAL);
  *out = json_number_value(v);
  return L4P_OK;
}

/* See report-int.h. */
l4p_status l4p__jr_bool(const struct l4p__jr *r, json_t *obj, const char *where,
                        const char *key, bool *out)
{
  json_t *v;
  *out = false;
  l4p_status s = member(r, obj, where, key, JSON_TRUE, &v);
  if (!s && !json_is_boolean(v))
    s = mistyped(r, where, key, JSON_TRUE);
  if (!s)
    *out = json_is_true(v);
  return s;
}
