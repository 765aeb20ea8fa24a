/* Shared by the schema validator (schema.c) and the schema checker
 * (schema_check.c): JSON paths as messages print them ("$.a[2].b") and
 * the type names of the supported subset. */
#ifndef L4P_LLM_SCHEMA_INT_H
#define L4P_LLM_SCHEMA_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "llm4perf/llm.h"

/* A JSON path under construction; buf always holds a NUL-terminated
 * path starting with "$" and is cut back when leaving a child. */
struct l4p__schema_path {
  char buf[512];
  size_t len;
};

void l4p__schema_path_key(struct l4p__schema_path *p, const char *key);
void l4p__schema_path_index(struct l4p__schema_path *p, size_t i);
void l4p__schema_path_cut(struct l4p__schema_path *p, size_t len);

/* Whether value is of the JSON Schema type called name ("integer"
 * accepts integral reals). */
bool l4p__schema_is_type(const json_t *value, const char *name);

#endif
