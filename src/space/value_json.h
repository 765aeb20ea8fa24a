/* The JSON form of an option's value, one for every document that names
 * values: spec files, pruning decisions, the agents' documents and
 * LLM4Perf's artifacts. (The store keeps its own form, with booleans as
 * 0/1.) */
#ifndef L4P_SPACE_VALUE_JSON_H
#define L4P_SPACE_VALUE_JSON_H

#include <jansson.h>

#include "llm4perf/space.h"

/* true/false for a bool, the label for an enum (v is its value index,
 * the nearest label taken), an integer for an int (rounded), a real for a
 * float. NULL on ENOMEM. */
json_t *l4p__value_json(const struct l4p_option *opt, double v);

#endif
