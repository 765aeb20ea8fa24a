/* Strict JSON reading helpers (jsoncheck.h): unknown keys and positioned
 * error messages, so a misspelt key in any file llm4perf reads fails with
 * the place of the mistake.
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include "failf.h"
#include "jsoncheck.h"
#include "jsonloc.h"
#include "banned.h"

/* See jsoncheck.h. */
const char *l4px_json_unknown_key(json_t *obj, const char *const *allowed)
{
  const char *key;
  json_t *value;
  json_object_foreach (obj, key, value) {
    bool ok = strcmp(key, "comment") == 0;
    for (const char *const *a = allowed; *a && !ok; a++)
      ok = strcmp(*a, key) == 0;
    if (!ok)
      return key;
  }
  return NULL;
}

/* See jsoncheck.h. */
l4p_status l4px_json_fail(l4p_status st, const char *text, const char *path,
                          const char *where, bool at_key, const char *msg)
{
  int line, col;
  if (at_key)
    l4px_json_locate_key(text, where, &line, &col);
  else
    l4px_json_locate(text, where, &line, &col);
  return l4p_failf(st, "%s:%d:%d: %s", path, line, col, msg);
}
