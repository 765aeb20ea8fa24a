/* The JSON Schemas of the five roles' input and output documents: the
 * contract between the builtin and llm agents and the sampler that calls
 * them (docs/AGENTS.md explains every field). They use only the subset
 * the LLM client validates (types, properties, required,
 * additionalProperties false, items, enum, bounds), and the output
 * schemas double as response_format, so they stay strict and flat.
 * SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent-int.h"
#include "llm4perf/llm.h"
#include "util/failf.h"
#include "util/banned.h"

/* Shared fragments, pasted into the schemas by string concatenation. */
#define STR "{\"type\":\"string\"}"
#define NAME "{\"type\":\"string\",\"minLength\":1}"
#define TEXT_VALUE "{\"type\":[\"string\",\"number\"]}"
#define VALUE "{\"type\":[\"boolean\",\"string\",\"number\"]}"
#define VALUES "{\"type\":\"array\",\"items\":" VALUE "}"
#define UNIT "{\"type\":\"number\",\"minimum\":0,\"maximum\":1}"
#define COUNT "{\"type\":\"integer\",\"minimum\":0}"
#define CONFIG "{\"type\":\"object\"}"
#define NUMBERS "{\"type\":\"object\"}"

#define OBJECTIVE                                            \
  "{\"type\":\"object\",\"additionalProperties\":false,"     \
  "\"required\":[\"name\",\"goal\"],\"properties\":{"        \
  "\"name\":" NAME ",\"goal\":{\"enum\":[\"min\",\"max\"]}," \
  "\"unit\":" STR ",\"doc\":" STR "}}"
#define OBJECTIVES "{\"type\":\"array\",\"items\":" OBJECTIVE "}"

#define OPTION                                                    \
  "{\"type\":\"object\",\"additionalProperties\":false,"          \
  "\"required\":[\"name\",\"type\",\"default\"],\"properties\":{" \
  "\"name\":" NAME ","                                            \
  "\"type\":{\"enum\":[\"bool\",\"int\",\"float\",\"enum\"]},"    \
  "\"values\":" VALUES ",\"min\":{\"type\":\"number\"},"          \
  "\"max\":{\"type\":\"number\"},"                                \
  "\"step\":{\"type\":\"number\",\"minimum\":0},"                 \
  "\"default\":" VALUE ",\"fixed\":" VALUE ","                    \
  "\"doc\":" STR ",\"flag\":" STR "}}"
#define OPTIONS "{\"type\":\"array\",\"items\":" OPTION "}"

static const char extract_in[] =
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"system\",\"text\"],\"properties\":{"
    "\"system\":" STR ",\"text\":" STR "}}";

static const char extract_out[] =
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"options\"],\"properties\":{"
    "\"options\":{\"type\":\"array\",\"items\":"
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"name\",\"type\",\"description\"],\"properties\":{"
    "\"name\":" NAME ","
    "\"type\":{\"enum\":[\"bool\",\"int\",\"float\",\"enum\",\"string\"]},"
    "\"values\":{\"type\":\"array\",\"items\":" TEXT_VALUE "},"
    "\"min\":{\"type\":\"number\"},\"max\":{\"type\":\"number\"},"
    "\"default\":" VALUE ",\"description\":" STR ","
    "\"flag\":" STR ",\"false_flag\":" STR ","
    "\"form\":{\"enum\":[\"switch\",\"value\",\"equals\",\"attached\"]}"
    "}}}}}";

static const char filter_in[] =
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"system\",\"objectives\",\"options\"],\"properties\":{"
    "\"system\":" STR ",\"objectives\":" OBJECTIVES ","
    "\"options\":" OPTIONS "}}";

static const char filter_out[] =
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"decisions\"],\"properties\":{"
    "\"decisions\":{\"type\":\"array\",\"items\":"
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"option\",\"keep\",\"reason\"],\"properties\":{"
    "\"option\":" NAME ",\"keep\":{\"type\":\"boolean\"},"
    "\"reason\":" NAME "}}}}}";

#define HISTORY_ROW                                           \
  "{\"type\":\"object\",\"additionalProperties\":false,"      \
  "\"required\":[\"config\",\"objectives\"],\"properties\":{" \
  "\"config\":" CONFIG ",\"objectives\":" NUMBERS "}}"

static const char analyze_in[] =
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"system\",\"objectives\",\"options\",\"history\"],"
    "\"properties\":{"
    "\"system\":" STR ",\"objectives\":" OBJECTIVES ","
    "\"options\":" OPTIONS ","
    "\"history\":{\"type\":\"array\",\"items\":" HISTORY_ROW "}}}";

#define INFLUENCE                                                         \
  "{\"type\":\"object\",\"additionalProperties\":false,"                  \
  "\"required\":[\"option\",\"direction\",\"strength\"],\"properties\":{" \
  "\"option\":" NAME ","                                                  \
  "\"direction\":{\"enum\":[\"increase\",\"decrease\",\"mixed\","         \
  "\"none\"]},"                                                           \
  "\"strength\":" UNIT ",\"best\":" VALUE "}}"

static const char analyze_out[] =
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"objectives\",\"interactions\",\"correlations\","
    "\"pareto\",\"gaps\",\"summary\"],\"properties\":{"
    "\"objectives\":{\"type\":\"array\",\"items\":"
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"name\",\"influences\"],\"properties\":{"
    "\"name\":" NAME ","
    "\"influences\":{\"type\":\"array\",\"items\":" INFLUENCE "}}}},"
    "\"interactions\":{\"type\":\"array\",\"items\":"
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"options\",\"objective\",\"strength\"],\"properties\":{"
    "\"options\":{\"type\":\"array\",\"items\":" NAME ","
    "\"minItems\":2,\"maxItems\":2},"
    "\"objective\":" NAME ",\"strength\":" UNIT "}}},"
    "\"correlations\":{\"type\":\"array\",\"items\":"
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"a\",\"b\",\"r\"],\"properties\":{"
    "\"a\":" NAME ",\"b\":" NAME ","
    "\"r\":{\"type\":\"number\",\"minimum\":-1,\"maximum\":1}}}},"
    "\"pareto\":{\"type\":\"array\",\"items\":"
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"config\"],\"properties\":{"
    "\"config\":" CONFIG ",\"objectives\":" NUMBERS "}}},"
    "\"gaps\":{\"type\":\"array\",\"items\":"
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"option\",\"values\"],\"properties\":{"
    "\"option\":" NAME ",\"values\":" VALUES "}}},"
    "\"summary\":" STR "}}";

static const char design_in[] =
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"system\",\"analysis\",\"objectives\",\"options\","
    "\"measured\",\"budget_left\",\"budget\"],\"properties\":{"
    "\"system\":" STR ",\"analysis\":{\"type\":\"object\"},"
    "\"objectives\":" OBJECTIVES ",\"options\":" OPTIONS ","
    "\"measured\":" COUNT ",\"budget_left\":" COUNT ","
    "\"budget\":" COUNT "}}";

static const char design_out[] =
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"explore\",\"focus\",\"avoid\",\"rationale\"],"
    "\"properties\":{"
    "\"explore\":" UNIT ","
    "\"focus\":{\"type\":\"array\",\"items\":"
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"option\",\"values\",\"weight\"],\"properties\":{"
    "\"option\":" NAME ",\"values\":{\"type\":\"array\",\"items\":" VALUE
    ",\"minItems\":1},\"weight\":" UNIT "}}},"
    "\"avoid\":{\"type\":\"array\",\"items\":"
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"option\",\"values\"],\"properties\":{"
    "\"option\":" NAME ",\"values\":{\"type\":\"array\",\"items\":" VALUE
    ",\"minItems\":1}}}},"
    "\"rationale\":" STR "}}";

static const char generate_in[] =
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"system\",\"strategy\",\"options\",\"measured\",\"n\"],"
    "\"properties\":{"
    "\"system\":" STR ",\"strategy\":{\"type\":\"object\"},"
    "\"options\":" OPTIONS ","
    "\"measured\":{\"type\":\"array\",\"items\":" CONFIG "},"
    "\"n\":{\"type\":\"integer\",\"minimum\":1}}}";

static const char generate_out[] =
    "{\"type\":\"object\",\"additionalProperties\":false,"
    "\"required\":[\"configs\"],\"properties\":{"
    "\"configs\":{\"type\":\"array\",\"items\":" CONFIG "}}}";

static const char *const schemas[L4P_ROLE_COUNT][2] = {
    [L4P_ROLE_EXTRACT] = {extract_in, extract_out},
    [L4P_ROLE_FILTER] = {filter_in, filter_out},
    [L4P_ROLE_ANALYZE] = {analyze_in, analyze_out},
    [L4P_ROLE_DESIGN] = {design_in, design_out},
    [L4P_ROLE_GENERATE] = {generate_in, generate_out},
};

const char *l4p_agent_schema(enum l4p_role role, enum l4p_agent_doc doc)
{
  if ((unsigned)role >= L4P_ROLE_COUNT || (unsigned)doc > 1)
    return NULL;
  return schemas[role][doc];
}

l4p_status l4p__agent_check_json(enum l4p_role role, enum l4p_agent_doc doc,
                                 const json_t *value)
{
  const char *text = l4p_agent_schema(role, doc);
  if (!text)
    return l4p_failf(L4P_EUSAGE, "no schema for role %d", (int)role);
  json_t *schema = json_loads(text, 0, NULL);
  if (!schema)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = l4p_llm_schema_validate(schema, value);
  json_decref(schema);
  if (st == L4P_OK)
    return L4P_OK;
  /* the validator's message is "$.path: what"; say whose document */
  char where[64];
  snprintf(where, sizeof where, "%s %s", l4p_role_name(role),
           doc == L4P_AGENT_INPUT ? "input" : "output");
  l4p_error_prefix(where);
  return doc == L4P_AGENT_INPUT ? L4P_EUSAGE : L4P_ELLM;
}

l4p_status l4p_agent_check(enum l4p_role role, enum l4p_agent_doc doc,
                           const char *text)
{
  json_error_t err;
  json_t *value = json_loads(text, JSON_DECODE_ANY, &err);
  if (!value)
    return l4p_failf(L4P_EPARSE, "%s %s: not JSON: %d:%d: %s",
                     l4p_role_name(role),
                     doc == L4P_AGENT_INPUT ? "input" : "output", err.line,
                     err.column, err.text);
  l4p_status st = l4p__agent_check_json(role, doc, value);
  json_decref(value);
  return st;
}
