/* Unit tests for the LLM client (src/llm/chat.c, client.c, http.c)
 * against tests/fake_llm_server.c, started per test on 127.0.0.1: the
 * request format, every fault the client must survive (fences, prose,
 * truncation, empty choices, 429 with Retry-After, 5xx, slow answers,
 * broken bodies, schema violations), the key kept out of the store and
 * of messages, record then replay with the server gone, usage totals,
 * and N threads reaching N open requests in the server's own log.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "llm4perf/llm.h"
#include "llm4perf/store.h"
#include "testutil.h"

#define KEY "sk-test-SECRET-4242"

/* ----------------------------------------------------------- client */

/* Settings for a fake server at url: fast backoff, short timeout. */
static struct l4p_llm_settings *settings_for(const char *url)
{
  struct l4p_llm_settings *s = l4p_llm_settings_new();
  assert_non_null(s);
  assert_int_equal(l4p_llm_settings_set(s, "llm.base_url", url), L4P_OK);
  assert_int_equal(l4p_llm_settings_set(s, "llm.model", "fake-model"), L4P_OK);
  assert_int_equal(l4p_llm_settings_set(s, "llm.backoff_s", "0.05"), L4P_OK);
  assert_int_equal(l4p_llm_settings_set(s, "llm.timeout_s", "5"), L4P_OK);
  assert_int_equal(l4p_llm_settings_set(s, "llm.max_retries", "2"), L4P_OK);
  assert_int_equal(l4p_llm_settings_set(s, "llm.max_tokens", "100"), L4P_OK);
  assert_int_equal(l4p_llm_settings_set(s, "llm.api_key_env", "L4P_TEST_KEY"),
                   L4P_OK);
  return s;
}

/* Every attempt the observer saw, for the test's checks. */
struct seen {
  pthread_mutex_t lock;
  int n;
  struct {
    int attempt;
    long http_status;
    double wait_s;
    bool final, replayed;
    l4p_status status;
    char error[512];
  } at[16];
};

static void observe(void *data, const struct l4p_llm_attempt *a)
{
  struct seen *s = data;
  pthread_mutex_lock(&s->lock);
  if (s->n < 16) {
    s->at[s->n].attempt = a->attempt;
    s->at[s->n].http_status = a->http_status;
    s->at[s->n].wait_s = a->wait_s;
    s->at[s->n].final = a->final;
    s->at[s->n].replayed = a->replayed;
    s->at[s->n].status = a->status;
    snprintf(s->at[s->n].error, sizeof s->at[0].error, "%s", a->error);
    s->n++;
  }
  pthread_mutex_unlock(&s->lock);
}

/* Everything one test needs: a server, a client, an observer. */
struct rig {
  struct tu_fake fake;
  struct l4p_llm_settings *settings;
  struct l4p_llm_client *client;
  struct seen seen;
  json_t *schema;
};

static const char *n_schema =
    "{\"type\": \"object\", \"required\": [\"n\"], \"properties\": "
    "{\"n\": {\"type\": \"integer\"}}, \"additionalProperties\": false}";

static void rig_start(struct rig *r, const char *script, int max_requests,
                      const struct l4p_llm_client_options *options)
{
  memset(r, 0, sizeof *r);
  pthread_mutex_init(&r->seen.lock, NULL);
  tu_fake_start(&r->fake, script, max_requests);
  r->settings = settings_for(r->fake.url);
  struct l4p_llm_client_options o = {0};
  if (options)
    o = *options;
  o.observer = observe;
  o.observer_data = &r->seen;
  assert_int_equal(l4p_llm_client_new(r->settings, &o, &r->client), L4P_OK);
  r->schema = json_loads(n_schema, 0, NULL);
}

static void rig_stop(struct rig *r)
{
  tu_fake_stop(&r->fake);
  l4p_llm_client_free(r->client);
  l4p_llm_settings_free(r->settings);
  json_decref(r->schema);
  pthread_mutex_destroy(&r->seen.lock);
}

/* Ask role's question with the n schema. */
static l4p_status ask(struct rig *r, const char *role, const char *user,
                      struct l4p_llm_reply *reply)
{
  struct l4p_llm_request q = {.role = role,
                              .system = "You answer in JSON.",
                              .user = user,
                              .schema = r->schema};
  return l4p_llm_chat(r->client, &q, reply);
}

/* Ask and expect the answer n after attempts attempts. */
static void expect_n(struct rig *r, const char *user, long long n, int attempts)
{
  struct l4p_llm_reply reply;
  l4p_status st = ask(r, "test", user, &reply);
  if (st != L4P_OK)
    fail_msg("call failed: %s", l4p_last_error());
  assert_int_equal(json_integer_value(json_object_get(reply.json, "n")), n);
  assert_int_equal(reply.attempts, attempts);
  l4p_llm_reply_release(&reply);
}

/* Ask and expect ELLM whose message contains want. */
static void expect_failure(struct rig *r, const char *want)
{
  struct l4p_llm_reply reply;
  assert_int_equal(ask(r, "test", "q", &reply), L4P_ELLM);
  if (!strstr(l4p_last_error(), want))
    fail_msg("message '%s' lacks '%s'", l4p_last_error(), want);
  assert_null(reply.json);
  assert_null(reply.text);
}

/* ------------------------------------------------------------ tests */

static void test_request_format(void **state)
{
  struct rig r;
  rig_start(&r,
            "[{\"content\": \"{\\\"n\\\": 3}\", \"usage\": "
            "{\"prompt_tokens\": 21, \"completion_tokens\": 4}}]",
            0, NULL);
  struct l4p_llm_reply reply;
  assert_int_equal(ask(&r, "prune", "how many?", &reply), L4P_OK);
  assert_int_equal(json_integer_value(json_object_get(reply.json, "n")), 3);
  assert_string_equal(reply.text, "{\"n\": 3}");
  assert_string_equal(reply.finish_reason, "stop");
  assert_int_equal(reply.prompt_tokens, 21);
  assert_int_equal(reply.completion_tokens, 4);
  assert_int_equal(reply.attempts, 1);
  assert_false(reply.replayed);
  assert_int_equal(strlen(reply.request_hash), 64);
  l4p_llm_reply_release(&reply);
  rig_stop(&r);

  json_t *log = tu_fake_log(&r.fake);
  json_t *line = tu_fake_line(log, 1);
  assert_string_equal(json_string_value(json_object_get(line, "path")),
                      "/v1/chat/completions");
  assert_string_equal(json_string_value(json_object_get(line, "role")),
                      "prune");
  assert_string_equal(json_string_value(json_object_get(line, "authorization")),
                      "Bearer " KEY);
  json_t *body = tu_fake_body(log, 0);
  assert_string_equal(json_string_value(json_object_get(body, "model")),
                      "fake-model");
  assert_int_equal(json_integer_value(json_object_get(body, "max_tokens")),
                   100);
  json_t *messages = json_object_get(body, "messages");
  assert_int_equal(json_array_size(messages), 2);
  assert_string_equal(json_string_value(json_object_get(
                          json_array_get(messages, 1), "content")),
                      "how many?");
  json_t *format = json_object_get(body, "response_format");
  assert_string_equal(json_string_value(json_object_get(format, "type")),
                      "json_schema");
  json_t *js = json_object_get(format, "json_schema");
  assert_string_equal(json_string_value(json_object_get(js, "name")), "prune");
  assert_true(json_is_true(json_object_get(js, "strict")));
  json_t *want = json_loads(n_schema, 0, NULL);
  assert_true(json_equal(json_object_get(js, "schema"), want));
  json_decref(want);
  json_decref(body);
  json_decref(log);
}

static void test_fenced_and_chatty_json(void **state)
{
  struct rig r;
  rig_start(&r,
            "[{\"content\": \"Here you go:\\n```json\\n{\\\"n\\\": 4}\\n"
            "```\\nAnything else?\"},"
            " {\"content\": \"Sure! The answer is {\\\"n\\\": 5}.\"},"
            " {\"content\": \"<think>{\\\"n\\\": 0}?</think>{\\\"n\\\": 6}\"}]",
            0, NULL);
  expect_n(&r, "a", 4, 1);
  expect_n(&r, "b", 5, 1);
  expect_n(&r, "c", 6, 1);
  rig_stop(&r);
}

static void test_free_text_answer(void **state)
{
  struct rig r;
  rig_start(&r, "[{\"content\": \"\"}, {\"content\": \"plain words\"}]", 0,
            NULL);
  struct l4p_llm_request q = {.role = "docs", .user = "describe"};
  struct l4p_llm_reply reply;
  assert_int_equal(l4p_llm_chat(r.client, &q, &reply), L4P_OK);
  assert_string_equal(reply.text, "plain words");
  assert_null(reply.json);
  assert_int_equal(reply.attempts, 2); /* an empty answer is retried */
  l4p_llm_reply_release(&reply);
  rig_stop(&r);
  json_t *log = tu_fake_log(&r.fake);
  json_t *body = tu_fake_body(log, 0);
  assert_null(json_object_get(body, "response_format"));
  json_decref(body);
  json_decref(log);
}

static void test_truncated_answer(void **state)
{
  struct rig r;
  rig_start(&r,
            "[{\"content\": \"{\\\"n\\\": \", \"finish_reason\": \"length\"},"
            " {\"content\": \"{\\\"n\\\": 7}\"},"
            " {\"content\": \"{\", \"finish_reason\": \"length\", "
            "  \"repeat\": true, \"match\": \"give up\"}]",
            0, NULL);
  expect_n(&r, "first", 7, 2);
  struct l4p_llm_reply reply;
  assert_int_equal(ask(&r, "test", "give up", &reply), L4P_ELLM);
  assert_string_equal(l4p_last_error(),
                      "role 'test': gave up after 3 attempts: answer cut "
                      "short at max_tokens 400 (finish_reason 'length')");
  rig_stop(&r);
  /* Each retry after a truncation asks for twice as many tokens, up to
   * four times the setting. */
  json_t *log = tu_fake_log(&r.fake);
  long want[] = {100, 200, 100, 200, 400};
  for (size_t i = 0; i < 5; i++) {
    json_t *body = tu_fake_body(log, i);
    assert_int_equal(json_integer_value(json_object_get(body, "max_tokens")),
                     want[i]);
    json_decref(body);
  }
  json_decref(log);
}

static void test_empty_choices(void **state)
{
  struct rig r;
  rig_start(&r,
            "[{\"raw_body\": \"{\\\"choices\\\": []}\"},"
            " {\"content\": \"{\\\"n\\\": 8}\"},"
            " {\"raw_body\": \"{\\\"choices\\\": [{\\\"message\\\": "
            "{\\\"role\\\": \\\"assistant\\\"}}]}\", \"repeat\": true}]",
            0, NULL);
  expect_n(&r, "q", 8, 2);
  expect_failure(&r, "gave up after 3 attempts: choice has no message "
                     "content");
  rig_stop(&r);
}

static void test_non_json_body(void **state)
{
  struct rig r;
  rig_start(&r,
            "[{\"raw_body\": \"<html>gateway</html>\"},"
            " {\"content\": \"{\\\"n\\\": 9}\"},"
            " {\"raw_body\": \"not json at all\", \"repeat\": true}]",
            0, NULL);
  expect_n(&r, "q", 9, 2);
  expect_failure(&r, "response body is not JSON");
  assert_non_null(strstr(l4p_last_error(), "'not json at all'"));
  rig_stop(&r);
}

static void test_rate_limit_retry_after(void **state)
{
  struct rig r;
  rig_start(&r,
            "[{\"status\": 429, \"headers\": {\"Retry-After\": \"1\"},"
            "  \"error\": \"slow down\"},"
            " {\"content\": \"{\\\"n\\\": 10}\"}]",
            0, NULL);
  struct l4p_llm_reply reply;
  assert_int_equal(ask(&r, "test", "q", &reply), L4P_OK);
  assert_int_equal(reply.attempts, 2);
  assert_true(reply.latency_s >= 1.0);
  assert_true(reply.latency_s < 10.0);
  l4p_llm_reply_release(&reply);
  assert_int_equal(r.seen.n, 2);
  assert_int_equal(r.seen.at[0].http_status, 429);
  assert_true(r.seen.at[0].wait_s == 1.0);
  assert_string_equal(r.seen.at[0].error, "HTTP 429 (rate limited): slow down");
  rig_stop(&r);
  /* From the server's clock: the retry came at least 1 s after the 429
   * began to be sent, and not much later. */
  json_t *log = tu_fake_log(&r.fake);
  double sent =
      json_real_value(json_object_get(tu_fake_line(log, 1), "respond_ms"));
  double again =
      json_real_value(json_object_get(tu_fake_line(log, 2), "arrival_ms"));
  assert_true(again - sent >= 1000.0);
  assert_true(again - sent < 5000.0);
  json_decref(log);
}

static void test_rate_limit_too_long(void **state)
{
  struct rig r;
  rig_start(&r,
            "[{\"status\": 429, \"headers\": {\"Retry-After\": "
            "\"3600\"}, \"error\": \"quota\"}]",
            0, NULL);
  double start = (double)time(NULL);
  expect_failure(&r, "role 'test': HTTP 429: server asks to wait 3600 s, "
                     "more than 300: quota");
  assert_true((double)time(NULL) - start < 5);
  assert_int_equal(r.seen.n, 1);
  rig_stop(&r);
}

static void test_server_error_then_success(void **state)
{
  struct rig r;
  rig_start(&r,
            "[{\"status\": 500, \"error\": \"boom\"},"
            " {\"status\": 502, \"raw_body\": \"bad gateway\"},"
            " {\"status\": 503, \"raw_body\": \"busy\","
            "  \"headers\": {\"Retry-After\": \"1\"}},"
            " {\"content\": \"{\\\"n\\\": 11}\"}]",
            0, NULL);
  assert_int_equal(l4p_llm_settings_set(r.settings, "llm.max_retries", "3"),
                   L4P_OK);
  l4p_llm_client_free(r.client);
  struct l4p_llm_client_options o = {.observer = observe,
                                     .observer_data = &r.seen};
  assert_int_equal(l4p_llm_client_new(r.settings, &o, &r.client), L4P_OK);
  expect_n(&r, "q", 11, 4);
  assert_int_equal(r.seen.n, 4);
  assert_string_equal(r.seen.at[0].error, "HTTP 500: boom");
  assert_string_equal(r.seen.at[1].error, "HTTP 502: bad gateway");
  assert_string_equal(r.seen.at[2].error, "HTTP 503: busy");
  /* Exponential backoff from 0.05 s with at most 25% jitter, unless the
   * server says when to come back. */
  assert_true(r.seen.at[0].wait_s >= 0.05 && r.seen.at[0].wait_s <= 0.0625);
  assert_true(r.seen.at[1].wait_s >= 0.10 && r.seen.at[1].wait_s <= 0.125);
  assert_true(r.seen.at[2].wait_s == 1.0);
  assert_false(r.seen.at[2].final);
  assert_true(r.seen.at[3].final);
  assert_int_equal(r.seen.at[3].status, L4P_OK);
  rig_stop(&r);
}

static void test_client_errors_are_not_retried(void **state)
{
  struct rig r;
  rig_start(&r,
            "[{\"status\": 404, \"error\": \"model 'x' not found\","
            "  \"repeat\": true}]",
            0, NULL);
  expect_failure(&r, "role 'test': HTTP 404 (check llm.base_url and "
                     "llm.model): model 'x' not found");
  assert_int_equal(r.seen.n, 1);
  rig_stop(&r);
}

static void test_slow_answer_times_out(void **state)
{
  struct rig r;
  rig_start(&r,
            "[{\"delay_ms\": 3000, \"content\": \"{\\\"n\\\": 1}\"},"
            " {\"content\": \"{\\\"n\\\": 12}\"}]",
            0, NULL);
  assert_int_equal(
      l4p_llm_settings_set(r.settings, "llm.test.timeout_s", "0.5"), L4P_OK);
  /* Settings are copied into the client: make one that sees the change. */
  struct l4p_llm_client *client;
  struct l4p_llm_client_options o = {.observer = observe,
                                     .observer_data = &r.seen};
  assert_int_equal(l4p_llm_client_new(r.settings, &o, &client), L4P_OK);
  struct l4p_llm_request q = {.role = "test", .user = "q", .schema = r.schema};
  struct l4p_llm_reply reply;
  assert_int_equal(l4p_llm_chat(client, &q, &reply), L4P_OK);
  assert_int_equal(json_integer_value(json_object_get(reply.json, "n")), 12);
  assert_int_equal(reply.attempts, 2);
  assert_true(reply.latency_s < 2.5);
  assert_string_equal(r.seen.at[0].error, "no answer within 0.5 s");
  l4p_llm_reply_release(&reply);
  l4p_llm_client_free(client);
  rig_stop(&r);
}

static void test_unreachable_server(void **state)
{
  struct rig r;
  rig_start(&r, "[]", 0, NULL);
  tu_fake_stop(&r.fake); /* nobody listens on its port any more */
  expect_failure(&r, "gave up after 3 attempts: cannot reach "
                     "http://127.0.0.1:");
  l4p_llm_client_free(r.client);
  l4p_llm_settings_free(r.settings);
  json_decref(r.schema);
}

static void test_schema_violation(void **state)
{
  struct rig r;
  rig_start(&r,
            "[{\"content\": \"{\\\"n\\\": \\\"x\\\"}\"},"
            " {\"content\": \"{\\\"n\\\": 13}\"},"
            " {\"content\": \"{\\\"n\\\": 1.5}\", \"repeat\": true}]",
            0, NULL);
  expect_n(&r, "q", 13, 2);
  expect_failure(&r, "role 'test': gave up after 3 attempts: answer does "
                     "not match the schema: $.n: expected integer, got "
                     "number");
  rig_stop(&r);
  /* The retry showed the model its answer and what was wrong. */
  json_t *log = tu_fake_log(&r.fake);
  json_t *body = tu_fake_body(log, 1);
  json_t *messages = json_object_get(body, "messages");
  assert_int_equal(json_array_size(messages), 4);
  json_t *said = json_array_get(messages, 2),
         *told = json_array_get(messages, 3);
  assert_string_equal(json_string_value(json_object_get(said, "role")),
                      "assistant");
  assert_string_equal(json_string_value(json_object_get(said, "content")),
                      "{\"n\": \"x\"}");
  assert_non_null(strstr(json_string_value(json_object_get(told, "content")),
                         "$.n: expected integer, got string"));
  json_decref(body);
  json_decref(log);
}

static void test_key_never_leaks(void **state)
{
  const char *db = tu_tmp("leak.db");
  struct l4p_store *store;
  assert_int_equal(l4p_store_open(db, &store), L4P_OK);
  struct l4p_llm_client_options o = {.store = store,
                                     .cache = L4P_LLM_CACHE_RECORD};
  struct rig r;
  rig_start(&r,
            "[{\"status\": 401, \"error\": \"Incorrect API key "
            "provided: " KEY "\"},"
            " {\"status\": 500, \"raw_body\": \"echo " KEY "\"},"
            " {\"content\": \"{\\\"n\\\": 14}\"}]",
            0, &o);
  expect_failure(&r, "role 'test': HTTP 401 (check the API key): Incorrect "
                     "API key provided: [redacted]");
  assert_null(strstr(l4p_last_error(), "SECRET"));
  expect_n(&r, "q", 14, 2);
  assert_null(strstr(r.seen.at[1].error, "SECRET"));
  rig_stop(&r);
  l4p_store_close(store);
  /* The key reached the server, as a header only. */
  json_t *log = tu_fake_log(&r.fake);
  assert_string_equal(
      json_string_value(json_object_get(tu_fake_line(log, 1), "authorization")),
      "Bearer " KEY);
  assert_null(
      strstr(json_string_value(json_object_get(tu_fake_line(log, 1), "body")),
             "SECRET"));
  json_decref(log);
  /* Nothing of it in the database, WAL included; the rows are there. */
  char wal[600];
  snprintf(wal, sizeof wal, "%s-wal", db);
  assert_false(tu_file_contains(db, "SECRET"));
  assert_false(tu_file_contains(wal, "SECRET"));
  assert_int_equal(l4p_store_open(db, &store), L4P_OK);
  struct l4p_llm_usage *usage;
  size_t n;
  assert_int_equal(l4p_store_llm_usage(store, 0, &usage, &n), L4P_OK);
  assert_int_equal(n, 1);
  assert_int_equal(usage[0].attempts, 3);
  free(usage);
  l4p_store_close(store);
}

static void test_record_then_replay(void **state)
{
  const char *db = tu_tmp("replay.db");
  struct l4p_store *store;
  assert_int_equal(l4p_store_open(db, &store), L4P_OK);
  struct l4p_llm_client_options o = {.store = store,
                                     .cache = L4P_LLM_CACHE_RECORD};
  struct rig r;
  rig_start(&r,
            "[{\"match\": \"X-LLM4Perf-Role: analyze\", \"status\": 500,"
            "  \"error\": \"warming up\"},"
            " {\"match\": \"X-LLM4Perf-Role: analyze\","
            "  \"content\": \"ok: {\\\"n\\\": 15}\", \"usage\": "
            "  {\"prompt_tokens\": 30, \"completion_tokens\": 7}},"
            " {\"match\": \"X-LLM4Perf-Role: generate\","
            "  \"content\": \"{\\\"n\\\": 16}\"}]",
            0, &o);
  struct l4p_llm_reply a, b;
  assert_int_equal(ask(&r, "generate", "g?", &b), L4P_OK);
  assert_int_equal(ask(&r, "analyze", "a?", &a), L4P_OK);
  assert_int_equal(a.attempts, 2);
  tu_fake_stop(&r.fake); /* from here on there is no server */

  struct l4p_llm_client *replay;
  struct l4p_llm_client_options ro = {.store = store,
                                      .cache = L4P_LLM_CACHE_REPLAY,
                                      .observer = observe,
                                      .observer_data = &r.seen};
  assert_int_equal(l4p_llm_client_new(r.settings, &ro, &replay), L4P_OK);
  const char *roles[] = {"analyze", "generate"}, *users[] = {"a?", "g?"};
  struct l4p_llm_reply *live[] = {&a, &b};
  for (int i = 0; i < 2; i++) {
    struct l4p_llm_request q = {.role = roles[i],
                                .system = "You answer in JSON.",
                                .user = users[i],
                                .schema = r.schema};
    struct l4p_llm_reply again;
    assert_int_equal(l4p_llm_chat(replay, &q, &again), L4P_OK);
    assert_true(json_equal(again.json, live[i]->json));
    assert_string_equal(again.text, live[i]->text);
    assert_string_equal(again.request_hash, live[i]->request_hash);
    assert_string_equal(again.finish_reason, live[i]->finish_reason);
    assert_true(again.replayed);
    assert_int_equal(again.attempts, 0);
    l4p_llm_reply_release(&again);
  }
  assert_true(r.seen.at[r.seen.n - 1].replayed);

  /* A request never recorded fails clearly, naming role and hash. */
  struct l4p_llm_request q = {
      .role = "analyze", .user = "new question", .schema = r.schema};
  struct l4p_llm_config config;
  l4p_llm_client_config(replay, "analyze", &config);
  char hash[65], want[200];
  assert_int_equal(l4p_llm_request_hash(&config, &q, hash), L4P_OK);
  snprintf(want, sizeof want,
           "no recorded answer for role 'analyze' request %s", hash);
  struct l4p_llm_reply none;
  assert_int_equal(l4p_llm_chat(replay, &q, &none), L4P_ELLM);
  assert_string_equal(l4p_last_error(), want);

  /* Usage per role, from the stored attempts. */
  struct l4p_llm_usage *usage;
  size_t n;
  assert_int_equal(l4p_store_llm_usage(store, 0, &usage, &n), L4P_OK);
  assert_int_equal(n, 2);
  assert_string_equal(usage[0].role, "analyze");
  assert_int_equal(usage[0].calls, 1);
  assert_int_equal(usage[0].attempts, 2);
  assert_int_equal(usage[0].retries, 1);
  assert_int_equal(usage[0].failed, 0);
  assert_int_equal(usage[0].prompt_tokens, 30);
  assert_int_equal(usage[0].completion_tokens, 7);
  assert_true(usage[0].latency_s > 0);
  assert_string_equal(usage[1].role, "generate");
  assert_int_equal(usage[1].calls, 1);
  assert_int_equal(usage[1].prompt_tokens, 10);
  free(usage);

  l4p_llm_reply_release(&a);
  l4p_llm_reply_release(&b);
  l4p_llm_client_free(replay);
  l4p_llm_client_free(r.client);
  l4p_llm_settings_free(r.settings);
  json_decref(r.schema);
  l4p_store_close(store);
}

enum { N_THREADS = 4 };

struct worker {
  struct rig *rig;
  int index;
  l4p_status status;
  long long n;
};

static void *work(void *arg)
{
  struct worker *w = arg;
  char user[32];
  snprintf(user, sizeof user, "thread %d", w->index);
  struct l4p_llm_reply reply;
  w->status = ask(w->rig, "generate", user, &reply);
  if (w->status == L4P_OK)
    w->n = json_integer_value(json_object_get(reply.json, "n"));
  l4p_llm_reply_release(&reply);
  return NULL;
}

static void test_concurrent_calls(void **state)
{
  struct rig r;
  rig_start(&r,
            "[{\"delay_ms\": 1500, \"content\": \"{\\\"n\\\": 17}\","
            "  \"repeat\": true}]",
            N_THREADS, NULL);
  pthread_t threads[N_THREADS];
  struct worker workers[N_THREADS];
  for (int i = 0; i < N_THREADS; i++) {
    workers[i] = (struct worker){.rig = &r, .index = i};
    assert_int_equal(pthread_create(&threads[i], NULL, work, &workers[i]), 0);
  }
  for (int i = 0; i < N_THREADS; i++) {
    pthread_join(threads[i], NULL);
    assert_int_equal(workers[i].status, L4P_OK);
    assert_int_equal(workers[i].n, 17);
  }
  tu_fake_wait(&r.fake); /* it exits after N_THREADS answers */
  json_t *log = tu_fake_log(&r.fake);
  json_t *summary = json_array_get(log, json_array_size(log) - 1);
  assert_true(json_is_true(json_object_get(summary, "summary")));
  assert_int_equal(json_integer_value(json_object_get(summary, "answered")),
                   N_THREADS);
  assert_int_equal(json_integer_value(json_object_get(summary, "max_open")),
                   N_THREADS);
  json_decref(log);
  l4p_llm_client_free(r.client);
  l4p_llm_settings_free(r.settings);
  json_decref(r.schema);
}

static void test_bad_calls(void **state)
{
  struct l4p_llm_settings *s = l4p_llm_settings_new();
  struct l4p_llm_client *c;
  struct l4p_llm_client_options o = {.cache = L4P_LLM_CACHE_REPLAY};
  assert_int_equal(l4p_llm_client_new(s, &o, &c), L4P_EUSAGE);
  assert_string_equal(l4p_last_error(),
                      "llm: cache mode 'replay' needs a store");
  assert_null(c);
  assert_int_equal(l4p_llm_client_new(s, NULL, &c), L4P_OK);
  struct l4p_llm_reply reply;
  struct l4p_llm_request q = {.role = "test"};
  assert_int_equal(l4p_llm_chat(c, &q, &reply), L4P_EUSAGE);
  json_t *schema = json_pack("{s:s}", "pattern", "a+");
  q.user = "u";
  q.schema = schema;
  assert_int_equal(l4p_llm_chat(c, &q, &reply), L4P_EUSAGE);
  assert_string_equal(l4p_last_error(), "role 'test': schema: $: "
                                        "unsupported keyword 'pattern'");
  q.role = "Bad\r\nX-Evil: 1";
  assert_int_equal(l4p_llm_chat(c, &q, &reply), L4P_EUSAGE);
  json_decref(schema);
  l4p_llm_client_free(c);
  l4p_llm_settings_free(s);
}

int main(void)
{
  tu_fake_no_proxy();
  setenv("L4P_TEST_KEY", KEY, 1);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_request_format),
      cmocka_unit_test(test_fenced_and_chatty_json),
      cmocka_unit_test(test_free_text_answer),
      cmocka_unit_test(test_truncated_answer),
      cmocka_unit_test(test_empty_choices),
      cmocka_unit_test(test_non_json_body),
      cmocka_unit_test(test_rate_limit_retry_after),
      cmocka_unit_test(test_rate_limit_too_long),
      cmocka_unit_test(test_server_error_then_success),
      cmocka_unit_test(test_client_errors_are_not_retried),
      cmocka_unit_test(test_slow_answer_times_out),
      cmocka_unit_test(test_unreachable_server),
      cmocka_unit_test(test_schema_violation),
      cmocka_unit_test(test_key_never_leaks),
      cmocka_unit_test(test_record_then_replay),
      cmocka_unit_test(test_concurrent_calls),
      cmocka_unit_test(test_bad_calls),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
