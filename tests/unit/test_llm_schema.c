/* Unit tests for the LLM answer checks (src/llm/schema.c, schema_check.c,
 * extract.c): each supported keyword, the JSON paths in messages, the
 * refusal of unsupported keywords, and finding JSON in fenced, chatty or
 * thinking answers.
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

#include "llm4perf/llm.h"
#include "testutil.h"

/* Validate value against schema; expect OK (want NULL) or ELLM with
 * exactly the message want. */
static void expect(const char *schema, const char *value, const char *want)
{
  json_t *s = tu_json(schema), *v = tu_json(value);
  assert_int_equal(l4p_llm_schema_check(s), L4P_OK);
  l4p_status st = l4p_llm_schema_validate(s, v);
  if (!want) {
    if (st != L4P_OK)
      fail_msg("%s rejected: %s", value, l4p_last_error());
  } else {
    assert_int_equal(st, L4P_ELLM);
    assert_string_equal(l4p_last_error(), want);
  }
  json_decref(s);
  json_decref(v);
}

static const char *configs_schema =
    "{\"type\": \"object\", \"additionalProperties\": false,"
    " \"required\": [\"configs\"],"
    " \"properties\": {\"configs\": {\"type\": \"array\", \"minItems\": 1,"
    "  \"maxItems\": 3, \"items\": {\"type\": \"object\","
    "  \"required\": [\"ref\", \"mode\"],"
    "  \"properties\": {\"ref\": {\"type\": \"integer\", \"minimum\": 0,"
    "   \"maximum\": 10}, \"mode\": {\"enum\": [\"fast\", \"slow\"]},"
    "   \"why\": {\"type\": [\"string\", \"null\"], \"maxLength\": 5}}}}}}";

static void test_validate_paths(void **state)
{
  const char *s = configs_schema;
  expect(s, "{\"configs\": [{\"ref\": 1, \"mode\": \"fast\"}]}", NULL);
  expect(s,
         "{\"configs\": [{\"ref\": 1.0, \"mode\": \"fast\", "
         "\"why\": null}]}",
         NULL);
  expect(s,
         "{\"configs\": [{\"ref\": 1, \"mode\": \"fast\"}, "
         "{\"ref\": 2, \"mode\": \"slow\"}, {\"ref\": \"x\", "
         "\"mode\": \"fast\"}]}",
         "$.configs[2].ref: expected integer, got string");
  expect(s, "{\"configs\": [{\"ref\": 1.5, \"mode\": \"fast\"}]}",
         "$.configs[0].ref: expected integer, got number");
  expect(s, "{\"configs\": [{\"mode\": \"fast\"}]}",
         "$.configs[0]: missing required property 'ref'");
  expect(s, "{\"configs\": [], \"extra\": 1}",
         "$: unexpected property 'extra'");
  expect(s, "{\"configs\": []}",
         "$.configs: 0 items, fewer than "
         "minItems 1");
  expect(s,
         "{\"configs\": [{\"ref\": 1, \"mode\": \"fast\"}, "
         "{\"ref\": 1, \"mode\": \"fast\"}, {\"ref\": 1, \"mode\": "
         "\"fast\"}, {\"ref\": 1, \"mode\": \"fast\"}]}",
         "$.configs: 4 items, more than maxItems 3");
  expect(s, "{\"configs\": [{\"ref\": 11, \"mode\": \"fast\"}]}",
         "$.configs[0].ref: 11 is above maximum 10");
  expect(s, "{\"configs\": [{\"ref\": -1, \"mode\": \"fast\"}]}",
         "$.configs[0].ref: -1 is below minimum 0");
  expect(s, "{\"configs\": [{\"ref\": 1, \"mode\": \"medium\"}]}",
         "$.configs[0].mode: \"medium\" is not one of [\"fast\",\"slow\"]");
  expect(s,
         "{\"configs\": [{\"ref\": 1, \"mode\": \"fast\", "
         "\"why\": 3}]}",
         "$.configs[0].why: expected string or null, got integer");
  expect(s,
         "{\"configs\": [{\"ref\": 1, \"mode\": \"fast\", "
         "\"why\": \"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\"}]}",
         NULL); /* 5 characters in 10 bytes */
  expect(s,
         "{\"configs\": [{\"ref\": 1, \"mode\": \"fast\", "
         "\"why\": \"abcdef\"}]}",
         "$.configs[0].why: string of 6 characters is longer than "
         "maxLength 5");
  expect(s, "[1]", "$: expected object, got array");
}

static void test_validate_scalars(void **state)
{
  expect("{\"type\": \"boolean\"}", "true", NULL);
  expect("{\"type\": \"boolean\"}", "0", "$: expected boolean, got integer");
  expect("{\"type\": \"number\", \"minimum\": 0.5}", "1", NULL);
  expect("{\"type\": \"number\", \"minimum\": 0.5}", "0.25",
         "$: 0.25 is below minimum 0.5");
  expect("{\"const\": \"x\"}", "\"x\"", NULL);
  expect("{\"const\": \"x\"}", "\"y\"", "$: \"y\" is not the constant \"x\"");
  expect("{\"type\": \"string\", \"minLength\": 2}", "\"a\"",
         "$: string of 1 characters is shorter than minLength 2");
  expect("{\"type\": \"object\", \"properties\": {\"a b\": "
         "{\"type\": \"null\"}}}",
         "{\"a b\": 1}", "$[\"a b\"]: expected null, got integer");
  /* Without additionalProperties false, unknown members pass. */
  expect("{\"type\": \"object\", \"properties\": {}}", "{\"z\": 1}", NULL);
}

/* l4p_llm_schema_check's message for schema text. */
static void expect_refused(const char *schema, const char *want)
{
  json_t *s = tu_json(schema);
  assert_int_equal(l4p_llm_schema_check(s), L4P_EUSAGE);
  assert_string_equal(l4p_last_error(), want);
  json_decref(s);
}

static void test_schema_check(void **state)
{
  json_t *ok = tu_json(configs_schema);
  assert_int_equal(l4p_llm_schema_check(ok), L4P_OK);
  json_decref(ok);
  expect_refused("{\"type\": \"object\", \"properties\": {\"n\": "
                 "{\"type\": \"string\", \"pattern\": \"^a\"}}}",
                 "schema: $.properties.n: unsupported keyword 'pattern'");
  expect_refused("{\"anyOf\": []}", "schema: $: unsupported keyword 'anyOf'");
  expect_refused("{\"type\": \"float\"}", "schema: $: unknown type 'float'");
  expect_refused("{\"type\": \"array\", \"items\": {\"minItems\": -1}}",
                 "schema: $.items: 'minItems' must be a non-negative "
                 "integer");
  expect_refused("{\"additionalProperties\": {}}",
                 "schema: $: 'additionalProperties' must be true or false");
  expect_refused("[]", "schema: $: a schema must be an object");
  expect_refused("{\"required\": [1]}",
                 "schema: $: 'required' must be a list of names");
}

static const char *n_schema =
    "{\"type\": \"object\", \"required\": [\"n\"], \"properties\": "
    "{\"n\": {\"type\": \"integer\"}}, \"additionalProperties\": false}";

/* Extract from text with n_schema and expect n. */
static void expect_n(const char *text, long long n)
{
  json_t *s = tu_json(n_schema), *v = NULL;
  if (l4p_llm_extract_json(text, s, &v) != L4P_OK)
    fail_msg("no answer in '%s': %s", text, l4p_last_error());
  assert_int_equal(json_integer_value(json_object_get(v, "n")), n);
  json_decref(v);
  json_decref(s);
}

static void test_extract(void **state)
{
  expect_n("{\"n\": 1}", 1);
  expect_n("  \n{\"n\": 2}\n", 2);
  expect_n("Here it is:\n```json\n{\"n\": 3}\n```\nAnything else?", 3);
  expect_n("```\n{\"n\": 4}\n```", 4);
  expect_n("Sure! The answer is {\"n\": 5} as you asked.", 5);
  expect_n("<think>maybe {\"n\": 0}? no: {\"n\": \"x\"}</think>\n{\"n\": 6}",
           6);
  /* An example that breaks the schema comes first; the answer wins. */
  expect_n("Format: {\"n\": \"int\"}. Answer: {\"n\": 7}", 7);
  /* A fence that was never closed (answer cut after it). */
  expect_n("```json\n{\"n\": 9}", 9);
}

static void test_extract_fails(void **state)
{
  json_t *s = tu_json(n_schema), *v = NULL;
  assert_int_equal(l4p_llm_extract_json("I cannot help with that.", s, &v),
                   L4P_ELLM);
  assert_null(v);
  assert_string_equal(l4p_last_error(), "answer holds no JSON value: "
                                        "'I cannot help with that.'");
  assert_int_equal(l4p_llm_extract_json("{\"n\": 1.5} or {\"m\": 1}", s, &v),
                   L4P_ELLM);
  assert_string_equal(l4p_last_error(), "answer does not match the schema: "
                                        "$.n: expected integer, got number");
  assert_int_equal(l4p_llm_extract_json("{\"n\": ", s, &v), L4P_ELLM);
  /* Without a schema any JSON value is the answer. */
  assert_int_equal(l4p_llm_extract_json("say [1, 2]", NULL, &v), L4P_OK);
  assert_true(json_is_array(v));
  json_decref(v);
  /* Braces inside strings do not confuse the span scan. */
  assert_int_equal(
      l4p_llm_extract_json("x {\"a\": \"}{\", \"b\": 1} y", NULL, &v), L4P_OK);
  assert_string_equal(json_string_value(json_object_get(v, "a")), "}{");
  json_decref(v);
  json_decref(s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_validate_paths),
      cmocka_unit_test(test_validate_scalars),
      cmocka_unit_test(test_schema_check),
      cmocka_unit_test(test_extract),
      cmocka_unit_test(test_extract_fails),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
