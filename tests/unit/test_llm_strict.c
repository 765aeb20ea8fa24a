/* Unit tests for the strict form of answer schemas (src/llm/
 * schema_strict.c) and for reading its nulls back as absent members
 * (extract.c): what OpenAI's strict structured outputs need, derived from
 * the schemas answers are validated with.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "llm/llm-int.h"
#include "llm4perf/agent.h"
#include "llm4perf/llm.h"
#include "testutil.h"

/* The strict form of schema must equal want (JSON text), or be absent
 * when want is NULL; schema itself must come out unchanged. */
static void expect_strict(const char *schema, const char *want)
{
  json_t *s = tu_json(schema), *before = tu_json(schema), *got = NULL;
  assert_int_equal(l4p_llm_schema_check(s), L4P_OK);
  assert_int_equal(l4p__llm_schema_strict(s, &got), L4P_OK);
  assert_true(json_equal(s, before));
  if (!want) {
    if (got)
      fail_msg("%s has a strict form: %s", schema,
               json_dumps(got, JSON_COMPACT));
  } else {
    json_t *w = tu_json(want);
    if (!got || !json_equal(got, w))
      fail_msg("strict form of %s\n is %s\n not %s", schema,
               got ? json_dumps(got, JSON_COMPACT) : "none", want);
    assert_int_equal(l4p_llm_schema_check(got), L4P_OK);
    json_decref(w);
  }
  json_decref(got);
  json_decref(before);
  json_decref(s);
}

static void test_optional_members_become_nullable(void **state)
{
  expect_strict(
      "{\"type\":\"object\",\"required\":[\"a\"],\"properties\":{"
      "\"a\":{\"type\":\"integer\",\"minimum\":0},"
      "\"b\":{\"type\":\"string\",\"minLength\":1,\"default\":\"x\"},"
      "\"c\":{\"enum\":[\"x\",\"y\"]},"
      "\"d\":{\"type\":[\"string\",\"number\"]},"
      "\"f\":{\"const\":3},"
      "\"g\":{\"type\":[\"string\",\"null\"]}}}",
      "{\"type\":\"object\",\"additionalProperties\":false,"
      "\"required\":[\"a\",\"b\",\"c\",\"d\",\"f\",\"g\"],\"properties\":{"
      "\"a\":{\"type\":\"integer\",\"minimum\":0},"
      "\"b\":{\"type\":[\"string\",\"null\"]},"
      "\"c\":{\"enum\":[\"x\",\"y\",null]},"
      "\"d\":{\"type\":[\"string\",\"number\",\"null\"]},"
      "\"f\":{\"enum\":[3,null]},"
      "\"g\":{\"type\":[\"string\",\"null\"]}}}");
  /* Nested objects and array items are made strict too; extra members
   * are forbidden even where the original allowed them. */
  expect_strict("{\"type\":\"object\",\"additionalProperties\":true,"
                "\"properties\":{\"xs\":{\"type\":\"array\",\"minItems\":1,"
                "\"items\":{\"type\":\"object\",\"properties\":{"
                "\"k\":{\"type\":\"boolean\"}}}}}}",
                "{\"type\":\"object\",\"additionalProperties\":false,"
                "\"required\":[\"xs\"],\"properties\":{\"xs\":{"
                "\"type\":[\"array\",\"null\"],\"minItems\":1,"
                "\"items\":{\"type\":\"object\",\"additionalProperties\":"
                "false,\"required\":[\"k\"],\"properties\":{"
                "\"k\":{\"type\":[\"boolean\",\"null\"]}}}}}}");
}

/* A free-form object or an untyped value cannot be written strictly: an
 * optional one is left out, a required one leaves no strict form. */
static void test_free_form_members(void **state)
{
  expect_strict("{\"type\":\"object\",\"required\":[\"c\"],\"properties\":{"
                "\"c\":{\"type\":\"object\"}}}",
                NULL);
  expect_strict("{\"type\":\"array\",\"items\":{\"type\":\"object\"}}", NULL);
  expect_strict("{\"type\":\"object\"}", NULL);
  expect_strict("{}", NULL);
  expect_strict("{\"type\":\"object\",\"required\":[\"a\"],\"properties\":{"
                "\"a\":{\"type\":\"number\"},\"o\":{\"type\":\"object\"},"
                "\"any\":{},\"xs\":{\"type\":\"array\",\"items\":{}}}}",
                "{\"type\":\"object\",\"required\":[\"a\"],"
                "\"properties\":{\"a\":{\"type\":\"number\"}},"
                "\"additionalProperties\":false}");
}

/* Every member of every object of a strict form is required. */
static void expect_all_required(const json_t *schema)
{
  const json_t *props = json_object_get(schema, "properties");
  if (props)
    assert_int_equal(json_array_size(json_object_get(schema, "required")),
                     json_object_size(props));
  const char *key;
  const json_t *sub;
  json_object_foreach ((json_t *)props, key, sub)
    expect_all_required(sub);
  if (json_object_get(schema, "items"))
    expect_all_required(json_object_get(schema, "items"));
}

/* The roles' general output schemas have strict forms, except those that
 * hold free-form configurations until narrowed to a space
 * (l4p_agent_schema_for): generate's and analyze's. */
static void test_agent_schemas(void **state)
{
  for (int role = 0; role < L4P_ROLE_COUNT; role++) {
    json_t *s = tu_json(l4p_agent_schema(role, L4P_AGENT_OUTPUT)), *got;
    assert_int_equal(l4p__llm_schema_strict(s, &got), L4P_OK);
    if (role == L4P_ROLE_GENERATE || role == L4P_ROLE_ANALYZE) {
      assert_null(got);
    } else {
      assert_non_null(got);
      expect_all_required(got);
    }
    json_decref(got);
    json_decref(s);
  }
}

/* Nulls in members the schema leaves optional are read as absent, at
 * any depth; a null where a member is required stays a violation. */
static void test_nulls_read_as_absent(void **state)
{
  json_t *schema = tu_json(
      "{\"type\":\"object\",\"required\":[\"a\"],\"properties\":{"
      "\"a\":{\"type\":[\"integer\",\"null\"]},\"b\":{\"type\":\"string\"},"
      "\"n\":{\"type\":\"object\",\"properties\":{\"c\":{\"type\":"
      "\"integer\"}}},\"xs\":{\"type\":\"array\",\"items\":{\"type\":"
      "\"object\",\"properties\":{\"d\":{\"type\":\"boolean\"},"
      "\"e\":{\"type\":[\"boolean\",\"null\"]}}}}}}");
  json_t *v = NULL, *want = tu_json("{\"a\":null,\"n\":{},"
                                    "\"xs\":[{\"e\":null},{\"d\":true}]}");
  assert_int_equal(
      l4p_llm_extract_json("{\"a\":null,\"b\":null,\"n\":{\"c\":null},"
                           "\"xs\":[{\"d\":null,\"e\":null},{\"d\":true}]}",
                           schema, &v),
      L4P_OK);
  assert_true(json_equal(v, want));
  json_decref(v);
  json_decref(want);
  json_decref(schema);

  schema = tu_json("{\"type\":\"object\",\"required\":[\"b\"],\"properties\":{"
                   "\"b\":{\"type\":\"string\"}}}");
  assert_int_equal(l4p_llm_extract_json("{\"b\":null}", schema, &v), L4P_ELLM);
  assert_string_equal(l4p_last_error(), "answer does not match the schema: "
                                        "$.b: expected string, got null");
  json_decref(schema);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_optional_members_become_nullable),
      cmocka_unit_test(test_free_form_members),
      cmocka_unit_test(test_agent_schemas),
      cmocka_unit_test(test_nulls_read_as_absent),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
