/* Unit tests for the LLM settings table (src/llm/settings.c,
 * settings_load.c) and the request identity hash (request.c): defaults,
 * per-role overrides, bounds and messages, config files with file:line
 * errors, environment variables, the key kept out of every text form,
 * and a hash anyone can recompute from its documented canonical text.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/llm.h"
#include "testutil.h"
#include "util/sha256.h"

static struct l4p_llm_settings *fresh(void)
{
  struct l4p_llm_settings *s = l4p_llm_settings_new();
  assert_non_null(s);
  return s;
}

static void test_defaults(void **state)
{
  struct l4p_llm_settings *s = fresh();
  struct l4p_llm_config c;
  unsetenv("OPENAI_API_KEY");
  l4p_llm_settings_resolve(s, NULL, &c);
  assert_string_equal(c.base_url, "http://127.0.0.1:8080/v1");
  assert_string_equal(c.model, "default");
  assert_string_equal(c.api_key, "");
  assert_true(c.temperature == 0.2);
  assert_int_equal(c.max_tokens, 4096);
  assert_true(c.timeout_s == 120);
  assert_int_equal(c.max_retries, 3);
  assert_true(c.backoff_s == 1);
  assert_int_equal(l4p_llm_settings_cache(s), L4P_LLM_CACHE_OFF);
  l4p_llm_settings_free(s);
}

static void test_roles_override_globals(void **state)
{
  struct l4p_llm_settings *s = fresh();
  assert_int_equal(l4p_llm_settings_set(s, "llm.temperature", "0.1"), L4P_OK);
  assert_int_equal(l4p_llm_settings_set(s, "llm.generate.temperature", "0.9"),
                   L4P_OK);
  assert_int_equal(l4p_llm_settings_set(s, "llm.generate.model", "small"),
                   L4P_OK);
  assert_int_equal(l4p_llm_settings_assign(s, "llm.model=big"), L4P_OK);
  struct l4p_llm_config c;
  l4p_llm_settings_resolve(s, "generate", &c);
  assert_true(c.temperature == 0.9);
  assert_string_equal(c.model, "small");
  l4p_llm_settings_resolve(s, "analyze", &c);
  assert_true(c.temperature == 0.1);
  assert_string_equal(c.model, "big");
  l4p_llm_settings_free(s);
}

/* l4p_llm_settings_set(name, value) fails with EUSAGE and message want. */
static void refused(const char *name, const char *value, const char *want)
{
  struct l4p_llm_settings *s = fresh();
  assert_int_equal(l4p_llm_settings_set(s, name, value), L4P_EUSAGE);
  assert_string_equal(l4p_last_error(), want);
  l4p_llm_settings_free(s);
}

static void test_bad_settings(void **state)
{
  refused("llm.nope", "1", "unknown setting 'llm.nope'");
  refused("model", "x",
          "unknown setting 'model' (LLM settings start with "
          "'llm.')");
  refused("llm.temperature", "3",
          "setting 'llm.temperature': value '3' is outside [0, 2]");
  refused("llm.max_retries", "2.5",
          "setting 'llm.max_retries': '2.5' is not an integer");
  refused("llm.timeout_s", "fast",
          "setting 'llm.timeout_s': 'fast' is not a number");
  refused("llm.base_url", "ftp://host",
          "setting 'llm.base_url': 'ftp://host' is not an http:// or "
          "https:// URL");
  refused("llm.Gen.model", "x",
          "setting 'llm.Gen.model': 'Gen' is not a "
          "role name (lowercase letters, digits, '_', '-')");
  refused("llm.generate.cache", "record",
          "setting 'llm.generate.cache': llm.cache cannot be set per role");
  refused("llm.cache", "always",
          "setting 'llm.cache': 'always' is not off, record or replay");
  refused("llm.model", "a\nb",
          "setting 'llm.model': control character in the value");
  refused("llm.api_key", "sk-1",
          "unknown setting 'llm.api_key': the key is read only from the "
          "environment variable llm.api_key_env names (OPENAI_API_KEY by "
          "default)");
  struct l4p_llm_settings *s = fresh();
  assert_int_equal(l4p_llm_settings_assign(s, "no equals sign"), L4P_EUSAGE);
  assert_string_equal(l4p_last_error(),
                      "setting 'no equals sign': expected NAME=VALUE");
  l4p_llm_settings_free(s);
}

static void test_config_file(void **state)
{
  const char *path = tu_tmp("llm4perf.conf");
  tu_write(path, "# llm4perf settings\r\n"
                 "\n"
                 "llm.base_url = http://gpu-box:8000/v1\r\n"
                 "  llm.model = \"qwen2.5-7b-instruct\"  \n"
                 "llm.generate.temperature=0.8\n"
                 "llm.cache = record\n");
  struct l4p_llm_settings *s = fresh();
  assert_int_equal(l4p_llm_settings_load_file(s, path), L4P_OK);
  struct l4p_llm_config c;
  l4p_llm_settings_resolve(s, "generate", &c);
  assert_string_equal(c.base_url, "http://gpu-box:8000/v1");
  assert_string_equal(c.model, "qwen2.5-7b-instruct");
  assert_true(c.temperature == 0.8);
  assert_int_equal(l4p_llm_settings_cache(s), L4P_LLM_CACHE_RECORD);

  /* What write() prints reads back to the same settings. */
  const char *copy = tu_tmp("copy.conf");
  FILE *f = fopen(copy, "w");
  assert_non_null(f);
  l4p_llm_settings_write(s, f);
  fclose(f);
  struct l4p_llm_settings *t = fresh();
  assert_int_equal(l4p_llm_settings_load_file(t, copy), L4P_OK);
  struct l4p_llm_config d;
  l4p_llm_settings_resolve(t, "generate", &d);
  assert_string_equal(d.base_url, c.base_url);
  assert_string_equal(d.model, c.model);
  assert_true(d.temperature == c.temperature);
  assert_int_equal(l4p_llm_settings_cache(t), L4P_LLM_CACHE_RECORD);
  l4p_llm_settings_free(t);
  l4p_llm_settings_free(s);
}

static void test_config_file_errors(void **state)
{
  const char *path = tu_tmp("bad.conf");
  tu_write(path, "llm.model = m\n\nllm.modle = m\n");
  struct l4p_llm_settings *s = fresh();
  assert_int_equal(l4p_llm_settings_load_file(s, path), L4P_EPARSE);
  char want[600];
  snprintf(want, sizeof want, "%s:3: unknown setting 'llm.modle'", path);
  assert_string_equal(l4p_last_error(), want);
  tu_write(path, "llm.model\n");
  assert_int_equal(l4p_llm_settings_load_file(s, path), L4P_EPARSE);
  snprintf(want, sizeof want, "%s:1: expected 'llm.NAME = VALUE'", path);
  assert_string_equal(l4p_last_error(), want);
  assert_int_equal(l4p_llm_settings_load_file(s, tu_tmp("missing.conf")),
                   L4P_EIO);
  l4p_llm_settings_free(s);
}

static void test_environment(void **state)
{
  setenv("OPENAI_BASE_URL", "https://api.example.com/v1", 1);
  setenv("L4P_LLM_MODEL", "env-model", 1);
  setenv("L4P_LLM_CACHE", "replay", 1);
  struct l4p_llm_settings *s = fresh();
  assert_int_equal(
      l4p_llm_settings_set(s, "llm.analyze.base_url", "http://local:1/v1"),
      L4P_OK);
  assert_int_equal(l4p_llm_settings_load_env(s), L4P_OK);
  struct l4p_llm_config c;
  l4p_llm_settings_resolve(s, "generate", &c);
  assert_string_equal(c.base_url, "https://api.example.com/v1");
  assert_string_equal(c.model, "env-model");
  /* A role's own value is more specific than the environment. */
  l4p_llm_settings_resolve(s, "analyze", &c);
  assert_string_equal(c.base_url, "http://local:1/v1");
  assert_int_equal(l4p_llm_settings_cache(s), L4P_LLM_CACHE_REPLAY);
  setenv("L4P_LLM_CACHE", "sometimes", 1);
  assert_int_equal(l4p_llm_settings_load_env(s), L4P_EUSAGE);
  assert_string_equal(l4p_last_error(),
                      "L4P_LLM_CACHE: setting 'llm.cache': 'sometimes' is "
                      "not off, record or replay");
  unsetenv("OPENAI_BASE_URL");
  unsetenv("L4P_LLM_MODEL");
  unsetenv("L4P_LLM_CACHE");
  l4p_llm_settings_free(s);
}

/* File, then environment: the environment wins over the file for the
 * same global setting; $L4P_LLM_CONFIG names the file. */
static void test_standard_sources(void **state)
{
  const char *path = tu_tmp("standard.conf");
  tu_write(path, "llm.model = from-file\nllm.temperature = 0.7\n");
  setenv("L4P_LLM_CONFIG", path, 1);
  setenv("L4P_LLM_MODEL", "from-env", 1);
  struct l4p_llm_settings *s = fresh();
  assert_int_equal(l4p_llm_settings_load_standard(s, NULL), L4P_OK);
  assert_int_equal(l4p_llm_settings_set(s, "llm.temperature", "0.3"),
                   L4P_OK); /* a flag */
  struct l4p_llm_config c;
  l4p_llm_settings_resolve(s, NULL, &c);
  assert_string_equal(c.model, "from-env");
  assert_true(c.temperature == 0.3);
  unsetenv("L4P_LLM_MODEL");
  l4p_llm_settings_free(s);
  s = fresh();
  assert_int_equal(l4p_llm_settings_load_standard(s, NULL), L4P_OK);
  l4p_llm_settings_resolve(s, NULL, &c);
  assert_string_equal(c.model, "from-file");
  assert_true(c.temperature == 0.7);
  unsetenv("L4P_LLM_CONFIG");
  assert_int_equal(l4p_llm_settings_load_standard(s, tu_tmp("none.conf")),
                   L4P_EIO);
  l4p_llm_settings_free(s);
}

static void test_key_from_environment_only(void **state)
{
  setenv("OPENAI_API_KEY", "sk-default-SECRET", 1);
  setenv("OTHER_KEY", "sk-other-SECRET", 1);
  struct l4p_llm_settings *s = fresh();
  assert_int_equal(
      l4p_llm_settings_set(s, "llm.analyze.api_key_env", "OTHER_KEY"), L4P_OK);
  struct l4p_llm_config c;
  l4p_llm_settings_resolve(s, "generate", &c);
  assert_string_equal(c.api_key, "sk-default-SECRET");
  l4p_llm_settings_resolve(s, "analyze", &c);
  assert_string_equal(c.api_key, "sk-other-SECRET");
  char *text = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&text, &len);
  l4p_llm_settings_write(s, f);
  fclose(f);
  assert_null(strstr(text, "SECRET"));
  assert_non_null(strstr(text, "llm.analyze.api_key_env = OTHER_KEY"));
  free(text);
  unsetenv("OPENAI_API_KEY");
  unsetenv("OTHER_KEY");
  l4p_llm_settings_free(s);
}

static void test_request_hash(void **state)
{
  json_t *schema = json_pack("{s:s}", "type", "object");
  struct l4p_llm_config c = {.model = "m",
                             .temperature = 0.5,
                             .base_url = "http://a/v1",
                             .max_tokens = 10};
  struct l4p_llm_request r = {
      .role = "prune", .system = "S", .user = "U", .schema = schema};
  char hash[65], want[65];
  assert_int_equal(l4p_llm_request_hash(&c, &r, hash), L4P_OK);
  /* The canonical text docs/internals/LLM-EXCHANGE.md describes. */
  const char *canon =
      "{\"messages\":[{\"content\":\"S\",\"role\":\"system\"},"
      "{\"content\":\"U\",\"role\":\"user\"}],\"model\":\"m\","
      "\"response_format\":{\"json_schema\":{\"name\":\"prune\","
      "\"schema\":{\"type\":\"object\"},\"strict\":false},"
      "\"type\":\"json_schema\"},\"temperature\":0.5}";
  l4px_sha256_hex(canon, strlen(canon), want);
  assert_string_equal(hash, want);
  /* Endpoint, key and max_tokens do not change it; the rest does. */
  c.base_url = "http://b/v1";
  c.api_key = "sk-x";
  c.max_tokens = 99;
  assert_int_equal(l4p_llm_request_hash(&c, &r, want), L4P_OK);
  assert_string_equal(hash, want);
  c.temperature = 0.6;
  assert_int_equal(l4p_llm_request_hash(&c, &r, want), L4P_OK);
  assert_string_not_equal(hash, want);
  r.role = NULL;
  assert_int_equal(l4p_llm_request_hash(&c, &r, want), L4P_EUSAGE);
  json_decref(schema);
}

static void test_cache_names(void **state)
{
  enum l4p_llm_cache m;
  for (int i = 0; i <= L4P_LLM_CACHE_REPLAY; i++) {
    assert_true(l4p_llm_cache_parse(l4p_llm_cache_name(i), &m));
    assert_int_equal(m, i);
  }
  assert_false(l4p_llm_cache_parse("on", &m));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_defaults),
      cmocka_unit_test(test_roles_override_globals),
      cmocka_unit_test(test_bad_settings),
      cmocka_unit_test(test_config_file),
      cmocka_unit_test(test_config_file_errors),
      cmocka_unit_test(test_environment),
      cmocka_unit_test(test_standard_sources),
      cmocka_unit_test(test_key_from_environment_only),
      cmocka_unit_test(test_request_hash),
      cmocka_unit_test(test_cache_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
