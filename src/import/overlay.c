/* Overlays: the human-written part of a spec (documentation in our own
 * words, command-line forms, units) kept beside a dataset and merged into
 * the spec an importer builds. Merging works on the JSON form, so the
 * result is validated by the ordinary spec loader.
 * SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/import.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/jsonloc.h"
#include "util/banned.h"

static l4p_status fail_at(const char *text, const char *path, const char *where,
                          const char *msg, const char *name)
{
  int line, col;
  l4px_json_locate(text, where, &line, &col);
  return l4p_failf(L4P_EPARSE, "%s:%d:%d: %s '%s'", path, line, col, msg, name);
}

/* Copy every member of src into the array element of dst named name. */
static bool merge_named(json_t *array, const char *name, json_t *src)
{
  size_t k;
  json_t *item;
  json_array_foreach (array, k, item) {
    json_t *n = json_object_get(item, "name");
    if (json_is_string(n) && strcmp(json_string_value(n), name) == 0) {
      json_object_update(item, src);
      return true;
    }
  }
  return false;
}

static l4p_status merge_section(json_t *spec, json_t *overlay,
                                const char *section, const char *text,
                                const char *path)
{
  json_t *src = json_object_get(overlay, section);
  if (!src)
    return L4P_OK;
  if (!json_is_object(src))
    return fail_at(text, path, section, "expected an object of names in",
                   section);
  const char *name;
  json_t *value;
  json_object_foreach (src, name, value) {
    char where[512];
    snprintf(where, sizeof where, "%s/%s", section, name);
    if (!json_is_object(value))
      return fail_at(text, path, where, "expected an object for", name);
    if (!merge_named(json_object_get(spec, section), name, value))
      return fail_at(text, path, where,
                     section[0] == 'o' && section[1] == 'p'
                         ? "no such option"
                         : "no such objective",
                     name);
  }
  return L4P_OK;
}

l4p_status l4p_import_overlay(struct l4p_spec **spec, const char *path)
{
  char *text, *spec_text;
  size_t len;
  l4p_status st = l4px_read_file(path, &text, &len);
  if (st)
    return st;
  json_error_t err;
  json_t *overlay = json_loads(text, JSON_REJECT_DUPLICATES, &err);
  if (!overlay) {
    free(text);
    return l4p_failf(L4P_EPARSE, "%s:%d:%d: %s", path, err.line, err.column,
                     err.text);
  }
  if ((st = l4p_spec_to_json(*spec, &spec_text))) {
    json_decref(overlay);
    free(text);
    return st;
  }
  json_t *root = json_loads(spec_text, 0, &err);
  free(spec_text);
  if (!root) {
    json_decref(overlay);
    free(text);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  static const char *const top[] = {"name", "description", "docs",
                                    "provenance"};
  const char *key;
  json_t *value;
  json_object_foreach (overlay, key, value) {
    bool known = !strcmp(key, "options") || !strcmp(key, "objectives") ||
                 !strcmp(key, "comment");
    for (size_t k = 0; k < 4 && !known; k++)
      if (!strcmp(key, top[k])) {
        json_object_set(root, key, value);
        known = true;
      }
    if (!known && !st)
      st = fail_at(text, path, key, "unknown key", key);
  }
  if (!st && !(st = merge_section(root, overlay, "options", text, path)))
    st = merge_section(root, overlay, "objectives", text, path);
  json_decref(overlay);
  free(text);
  char *merged =
      st ? NULL : json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  json_decref(root);
  if (st)
    return st;
  if (!merged)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  struct l4p_spec *fresh;
  st = l4p_spec_parse(merged, path, &fresh);
  free(merged);
  if (st)
    return st;
  /* keep where the spec came from */
  free(fresh->path);
  free(fresh->dir);
  fresh->path = (*spec)->path ? strdup((*spec)->path) : NULL;
  fresh->dir = (*spec)->dir ? strdup((*spec)->dir) : NULL;
  l4p_spec_free(*spec);
  *spec = fresh;
  return L4P_OK;
}
