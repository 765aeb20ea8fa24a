/* Unit test of the LLM client's record mode looking before it asks
 * (tag-llm-recall, src/llm/client.c): a request already answered in the
 * store is answered from it, without the network and without a new row,
 * so a campaign resumed after a kill pays for nothing twice; a new
 * request, or one whose stored answer the schema now rejects, goes to
 * the server (tests/fake_llm_server) as before.
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
#include "llm4perf/store.h"
#include "testutil.h"

static const char *n_schema =
    "{\"type\": \"object\", \"required\": [\"n\"], \"properties\": "
    "{\"n\": {\"type\": \"integer\"}}, \"additionalProperties\": false}";
static const char *min100 =
    "{\"type\": \"object\", \"required\": [\"n\"], \"properties\": "
    "{\"n\": {\"type\": \"integer\", \"minimum\": 100}}}";

/* Ask user's question (schema n_schema, answers checked against
 * accept_text when not NULL); the answer's n. */
static long ask(struct l4p_llm_client *client, const char *user,
                const char *accept_text, bool *replayed)
{
  json_t *schema = json_loads(n_schema, 0, NULL);
  json_t *accept = accept_text ? json_loads(accept_text, 0, NULL) : NULL;
  struct l4p_llm_request q = {
      .role = "generate", .user = user, .schema = schema, .accept = accept};
  struct l4p_llm_reply reply;
  if (l4p_llm_chat(client, &q, &reply) != L4P_OK)
    fail_msg("call failed: %s", l4p_last_error());
  long n = (long)json_integer_value(json_object_get(reply.json, "n"));
  *replayed = reply.replayed;
  l4p_llm_reply_release(&reply);
  json_decref(schema);
  json_decref(accept);
  return n;
}

static long count_rows(struct l4p_store *store)
{
  struct l4p_llm_usage *u;
  size_t n;
  assert_int_equal(l4p_store_llm_usage(store, 0, &u, &n), L4P_OK);
  long attempts = n ? u[0].attempts : 0;
  free(u);
  return attempts;
}

static void test_record_looks_first(void **state)
{
  (void)state;
  struct tu_fake fake;
  tu_fake_start(&fake,
                "[{\"content\": \"{\\\"n\\\": 1}\"},"
                " {\"content\": \"{\\\"n\\\": 2}\"},"
                " {\"content\": \"{\\\"n\\\": 300}\"}]",
                0);
  struct l4p_llm_settings *settings = l4p_llm_settings_new();
  assert_non_null(settings);
  assert_int_equal(l4p_llm_settings_set(settings, "llm.base_url", fake.url),
                   L4P_OK);
  assert_int_equal(l4p_llm_settings_set(settings, "llm.model", "fake"), L4P_OK);
  struct l4p_store *store;
  assert_int_equal(l4p_store_open(tu_tmp("recall.db"), &store), L4P_OK);
  struct l4p_llm_client_options o = {.store = store,
                                     .cache = L4P_LLM_CACHE_RECORD};
  struct l4p_llm_client *client;
  assert_int_equal(l4p_llm_client_new(settings, &o, &client), L4P_OK);
  bool replayed;
  assert_int_equal(ask(client, "first?", NULL, &replayed), 1);
  assert_false(replayed);
  assert_int_equal(count_rows(store), 1);
  /* the same request again: from the store, nothing sent or stored */
  assert_int_equal(ask(client, "first?", NULL, &replayed), 1);
  assert_true(replayed);
  assert_int_equal(count_rows(store), 1);
  /* another request: the server's next answer */
  assert_int_equal(ask(client, "second?", NULL, &replayed), 2);
  assert_false(replayed);
  assert_int_equal(count_rows(store), 2);
  /* the first request again (same hash), but checked against a schema
   * its stored answer breaks: asked anew */
  assert_int_equal(ask(client, "first?", min100, &replayed), 300);
  assert_false(replayed);
  l4p_llm_client_free(client);
  tu_fake_stop(&fake);
  json_t *log = tu_fake_log(&fake);
  size_t requests = 0;
  for (size_t k = 0; k < json_array_size(log); k++)
    requests += json_object_get(json_array_get(log, k), "body") != NULL;
  assert_int_equal(requests, 3);
  json_decref(log);
  l4p_store_close(store);
  l4p_llm_settings_free(settings);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_record_looks_first),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
