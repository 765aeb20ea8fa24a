/* Output schemas narrowed to one space, for servers that constrain their
 * decoding by the schema: option names become enums, and a generated
 * configuration becomes an object with exactly the free options, each
 * with its own values or bounds, so such a server cannot invent an
 * option or a label. The answers are still read against the space.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "agent-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* {"enum": [names of the options (free ones when free_only)]} */
static json_t *names_enum(const struct l4p_space *space, bool free_only)
{
  json_t *names = json_array();
  for (size_t i = 0; i < l4p_space_n_options(space); i++) {
    const struct l4p_option *opt = l4p_space_option(space, i);
    if (!free_only || !opt->fixed)
      json_array_append_new(names, json_string(opt->name));
  }
  return json_pack("{s:o}", "enum", names);
}

/* The schema of one free option's value. */
static json_t *value_schema(const struct l4p_option *opt)
{
  if (opt->type == L4P_OPT_BOOL)
    return json_pack("{s:s}", "type", "boolean");
  if (opt->type == L4P_OPT_ENUM || opt->n_values) {
    json_t *values = json_array();
    for (size_t k = 0; k < l4p_option_cardinality(opt); k++)
      json_array_append_new(values,
                            l4p__value_json(opt, l4p_option_value_at(opt, k)));
    return json_pack("{s:o}", "enum", values);
  }
  return json_pack("{s:s,s:o,s:o}", "type",
                   opt->type == L4P_OPT_INT ? "integer" : "number", "minimum",
                   l4p__value_json(opt, opt->min), "maximum",
                   l4p__value_json(opt, opt->max));
}

static json_t *config_schema(const struct l4p_space *space)
{
  json_t *props = json_object(), *req = json_array();
  for (size_t i = 0; i < l4p_space_n_options(space); i++) {
    const struct l4p_option *opt = l4p_space_option(space, i);
    if (opt->fixed)
      continue;
    json_object_set_new(props, opt->name, value_schema(opt));
    json_array_append_new(req, json_string(opt->name));
  }
  return json_pack("{s:s,s:b,s:o,s:o}", "type", "object",
                   "additionalProperties", 0, "required", req, "properties",
                   props);
}

/* Replace the schema at the '/'-separated path of properties and items
 * under root ("decisions/items/option") with value (stolen). */
static void put(json_t *root, const char *path, json_t *value)
{
  char buf[128];
  snprintf(buf, sizeof buf, "%s", path);
  json_t *at = root;
  char *save = NULL, *seg = strtok_r(buf, "/", &save);
  while (at && seg) {
    char *next = strtok_r(NULL, "/", &save);
    json_t *holder =
        strcmp(seg, "items") == 0 ? at : json_object_get(at, "properties");
    if (!next) {
      json_object_set_new(holder, seg, value);
      return;
    }
    at = json_object_get(holder, seg);
    seg = next;
  }
  json_decref(value);
}

l4p_status l4p_agent_schema_for(enum l4p_role role,
                                const struct l4p_space *space, char **schema)
{
  *schema = NULL;
  const char *text = l4p_agent_schema(role, L4P_AGENT_OUTPUT);
  json_t *root = text ? json_loads(text, 0, NULL) : NULL;
  if (!root)
    return l4p_failf(text ? L4P_ENOMEM : L4P_EUSAGE, "no schema");
  switch (role) {
  case L4P_ROLE_FILTER:
    put(root, "decisions/items/option", names_enum(space, false));
    break;
  case L4P_ROLE_ANALYZE:
    put(root, "objectives/items/influences/items/option",
        names_enum(space, true));
    put(root, "interactions/items/options/items", names_enum(space, true));
    put(root, "pareto/items/config", config_schema(space));
    put(root, "gaps/items/option", names_enum(space, true));
    break;
  case L4P_ROLE_DESIGN:
    put(root, "focus/items/option", names_enum(space, true));
    put(root, "avoid/items/option", names_enum(space, true));
    break;
  case L4P_ROLE_GENERATE:
    put(root, "configs/items", config_schema(space));
    break;
  default:
    break;
  }
  l4p_status st = l4p__agent_dump(root, schema);
  json_decref(root);
  return st;
}
