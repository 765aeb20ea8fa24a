/* The LLM client handle and its use of the results store: making and
 * freeing a client, per-role settings, recording attempts (RECORD) and
 * answering from recorded answers (REPLAY). The retry loop that talks to
 * the server is in chat.c; the stored fields are described in
 * docs/internals/LLM-EXCHANGE.md.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Make a client owning a copy of settings. */
l4p_status l4p_llm_client_new(const struct l4p_llm_settings *settings,
                              const struct l4p_llm_client_options *options,
                              struct l4p_llm_client **client)
{
  *client = NULL;
  struct l4p_llm_client_options none = {0};
  if (!options)
    options = &none;
  if (!settings)
    return l4p_failf(L4P_EUSAGE, "llm: a client needs settings");
  if (options->cache != L4P_LLM_CACHE_OFF && !options->store)
    return l4p_failf(L4P_EUSAGE, "llm: cache mode '%s' needs a store",
                     l4p_llm_cache_name(options->cache));
  if ((unsigned)options->cache > L4P_LLM_CACHE_REPLAY)
    return l4p_failf(L4P_EUSAGE, "llm: unknown cache mode %d",
                     (int)options->cache);
  struct l4p_llm_client *c = calloc(1, sizeof *c);
  if (!c || !(c->settings = l4p__llm_settings_dup(settings))) {
    free(c);
    return l4p_failf(L4P_ENOMEM, "llm: out of memory");
  }
  if (pthread_mutex_init(&c->lock, NULL) != 0) {
    l4p_llm_settings_free(c->settings);
    free(c);
    return l4p_failf(L4P_ENOMEM, "llm: cannot create a lock");
  }
  c->store = options->store;
  c->campaign = options->campaign;
  c->cache = options->cache;
  c->observer = options->observer;
  c->observer_data = options->observer_data;
  c->seed = options->seed;
  *client = c;
  return L4P_OK;
}

/* Free the client (not its store); NULL is a no-op. */
void l4p_llm_client_free(struct l4p_llm_client *client)
{
  if (!client)
    return;
  pthread_mutex_destroy(&client->lock);
  l4p_llm_settings_free(client->settings);
  free(client);
}

/* The settings role's requests use. */
void l4p_llm_client_config(const struct l4p_llm_client *client,
                           const char *role, struct l4p_llm_config *config)
{
  l4p_llm_settings_resolve(client->settings, role, config);
}

/* Store one attempt when recording. */
l4p_status l4p__llm_record(struct l4p_llm_client *client,
                           const struct l4p_llm_exchange *exchange)
{
  if (client->cache != L4P_LLM_CACHE_RECORD)
    return L4P_OK;
  pthread_mutex_lock(&client->lock);
  l4p_status st = l4p_store_exchange_add(client->store, exchange, NULL);
  pthread_mutex_unlock(&client->lock);
  return st;
}

/* Tell the observer about a replayed answer. */
static void observe_replay(struct l4p_llm_client *client,
                           const struct l4p_llm_request *request,
                           const struct l4p_llm_config *config,
                           const struct l4p_llm_reply *reply, l4p_status st)
{
  if (!client->observer)
    return;
  struct l4p_llm_attempt a = {.role = request->role,
                              .model = config->model,
                              .request_hash = reply->request_hash,
                              .attempt = 1,
                              .replayed = true,
                              .final = true,
                              .status = st,
                              .error = st == L4P_OK ? "" : l4p_last_error(),
                              .finish_reason = reply->finish_reason,
                              .prompt_tokens = -1,
                              .completion_tokens = -1};
  client->observer(client->observer_data, &a);
}

/* Fill reply from a recorded answer, checked against the schema again
 * (the database may have been edited, or the schema changed). */
static l4p_status use_recorded(const struct l4p_llm_recorded *rec,
                               const struct l4p_llm_request *request,
                               const json_t *schema,
                               struct l4p_llm_reply *reply)
{
  if (!(reply->text = strdup(rec->response_text ? rec->response_text : "")))
    return l4p_failf(L4P_ENOMEM, "llm: out of memory");
  snprintf(reply->finish_reason, sizeof reply->finish_reason, "%s",
           rec->finish_reason ? rec->finish_reason : "");
  if (!schema)
    return L4P_OK;
  json_error_t jerr;
  reply->json = rec->reply_json ? json_loads(rec->reply_json, 0, &jerr) : NULL;
  if (!reply->json)
    return l4p_failf(L4P_ELLM,
                     "role '%s': recorded answer %lld holds no "
                     "JSON reply",
                     request->role, (long long)rec->id);
  if (l4p_llm_schema_validate(schema, reply->json) != L4P_OK) {
    l4p_error_prefix("recorded answer does not match the schema");
    char where[128];
    snprintf(where, sizeof where, "role '%s': exchange %lld", request->role,
             (long long)rec->id);
    l4p_error_prefix(where);
    return L4P_ELLM;
  }
  return L4P_OK;
}

/* Answer from the store; see llm-int.h. */
l4p_status l4p__llm_replay(struct l4p_llm_client *client,
                           const struct l4p_llm_request *request,
                           const struct l4p_llm_config *config,
                           const json_t *schema, const char *hash,
                           struct l4p_llm_reply *reply)
{
  double start = l4p__llm_now();
  struct l4p_llm_recorded rec;
  bool found = false;
  pthread_mutex_lock(&client->lock);
  l4p_status st = l4p_store_exchange_find(client->store, hash, &rec, &found);
  pthread_mutex_unlock(&client->lock);
  snprintf(reply->request_hash, sizeof reply->request_hash, "%s", hash);
  reply->replayed = true;
  if (st == L4P_OK && !found)
    st = l4p_failf(L4P_ELLM, "no recorded answer for role '%s' request %s",
                   request->role, hash);
  if (st == L4P_OK) {
    st = use_recorded(&rec, request, schema, reply);
    l4p_llm_recorded_release(&rec);
  }
  reply->latency_s = l4p__llm_now() - start;
  observe_replay(client, request, config, reply, st);
  return st;
}

/* Look before asking (RECORD mode, tag-llm-recall); see llm-int.h. */
l4p_status l4p__llm_recall(struct l4p_llm_client *client,
                           const struct l4p_llm_request *request,
                           const struct l4p_llm_config *config,
                           const json_t *schema, const char *hash,
                           struct l4p_llm_reply *reply, bool *found)
{
  *found = false;
  struct l4p_llm_recorded rec;
  bool have = false;
  pthread_mutex_lock(&client->lock);
  l4p_status st = l4p_store_exchange_find(client->store, hash, &rec, &have);
  pthread_mutex_unlock(&client->lock);
  if (st != L4P_OK || !have)
    return st;
  l4p_llm_recorded_release(&rec);
  if (l4p__llm_replay(client, request, config, schema, hash, reply) == L4P_OK) {
    *found = true;
    return L4P_OK;
  }
  l4p_llm_reply_release(reply); /* unusable now: ask the network */
  l4p_clear_error();
  return L4P_OK;
}

/* Free the reply's answer and zero it. */
void l4p_llm_reply_release(struct l4p_llm_reply *reply)
{
  json_decref(reply->json);
  free(reply->text);
  memset(reply, 0, sizeof *reply);
}
