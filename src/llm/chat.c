/* One LLM call: build the request, send it, judge the answer, and retry
 * within bounds. Rate limits (429, honouring Retry-After), server errors
 * (5xx, 408), timeouts and unreachable servers wait with exponential
 * backoff plus seeded jitter; malformed bodies, missing content and
 * truncated answers retry (a truncated one with a larger max_tokens);
 * an answer that is not JSON or breaks the schema is retried with the
 * problem told to the model. Other 4xx fail at once. Every attempt goes
 * to the observer and, when recording, to the store.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Raw bodies of failed attempts are stored up to this size. */
#define STORED_BODY_MAX (64u << 10)

/* State of one call across its attempts. */
struct call {
  struct l4p_llm_client *client;
  const struct l4p_llm_request *request;
  struct l4p_llm_config config;
  json_t *schema; /* the call's private copy, or NULL */
  json_t *accept; /* private copy of request->accept, or NULL */
  json_t *base;   /* the first attempt's body */
  char hash[65];
  char *url;
  char url_shown[256]; /* without credentials */
  int max_tokens;      /* for the next attempt */
  char *rejected;      /* answer to correct next time, or NULL */
  char problem[1024];  /* what was wrong with it */
  int backoffs;        /* backoff waits so far */
};

/* What one attempt gave and what to do next. */
struct verdict {
  bool accepted;
  bool retry; /* another attempt may help */
  double wait_s;
  char error[1024];
  json_t *json;      /* accepted JSON answer */
  char *content;     /* the answer's text, when one came */
  char *stored_text; /* response_text for the store */
  char finish_reason[32];
  long http_status;
  long prompt_tokens, completion_tokens;
  double latency_s;
};

static void verdict_release(struct verdict *v)
{
  json_decref(v->json);
  free(v->content);
  free(v->stored_text);
}

/* splitmix64: a well-mixed 64-bit value from a counter, so the jitter of
 * every (seed, request, attempt) is reproducible and needs no shared
 * generator between threads. */
static uint64_t mix64(uint64_t x)
{
  x += 0x9e3779b97f4a7c15u;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
  return x ^ (x >> 31);
}

/* The next backoff wait: backoff_s * 2^k, plus up to 25% jitter, capped
 * at L4P__LLM_MAX_BACKOFF. */
static double backoff(struct call *c, int attempt)
{
  uint64_t h = strtoull(c->hash + 48, NULL, 16); /* last 16 hex digits */
  double u = (double)(mix64(c->client->seed ^ h ^ (uint64_t)attempt) >> 11) /
             9007199254740992.0;
  double wait =
      c->config.backoff_s * ldexp(1.0, c->backoffs++) * (1.0 + 0.25 * u);
  return wait < L4P__LLM_MAX_BACKOFF ? wait : L4P__LLM_MAX_BACKOFF;
}

/* The server's message for an HTTP error, with the key redacted. */
static void server_message(const struct call *c, const char *body, char *out,
                           size_t size)
{
  char *clean = l4p__llm_redact(body, c->config.api_key);
  l4p__llm_server_message(clean ? clean : "", out, size);
  free(clean);
}

/* Judge an HTTP error status. 429, 5xx and 408 are worth retrying:
 * after Retry-After seconds when the server says so (more than
 * L4P__LLM_MAX_RETRY_AFTER fails the call instead), else after the
 * backoff. Other statuses (400, 401, 404...) would fail again. */
static void judge_status(struct call *c, const struct l4p__llm_http *res,
                         int attempt, struct verdict *v)
{
  char message[240];
  server_message(c, res->body, message, sizeof message);
  long code = res->status;
  v->retry = code == 429 || code >= 500 || code == 408;
  if (v->retry && res->retry_after_s > L4P__LLM_MAX_RETRY_AFTER) {
    v->retry = false;
    snprintf(v->error, sizeof v->error,
             "HTTP %ld: server asks to wait "
             "%g s, more than %g: %s",
             code, res->retry_after_s, L4P__LLM_MAX_RETRY_AFTER, message);
    return;
  }
  if (v->retry)
    v->wait_s =
        res->retry_after_s >= 0 ? res->retry_after_s : backoff(c, attempt);
  const char *hint = code == 429                  ? " (rate limited)"
                     : code == 401 || code == 403 ? " (check the API key)"
                     : code == 404 ? " (check llm.base_url and llm.model)"
                                   : "";
  snprintf(v->error, sizeof v->error, "HTTP %ld%s: %s", code, hint, message);
}

/* Judge a 200 answer's content: JSON for the schema, or any text. */
static void judge_content(struct call *c, struct verdict *v)
{
  if (!c->schema) {
    v->accepted = *v->content != '\0';
    v->retry = !v->accepted;
    if (!v->accepted)
      snprintf(v->error, sizeof v->error, "empty answer");
    return;
  }
  const json_t *check = c->accept ? c->accept : c->schema;
  if (l4p_llm_extract_json(v->content, check, &v->json) == L4P_OK) {
    v->accepted = true;
    return;
  }
  v->retry = true;
  snprintf(v->error, sizeof v->error, "%s", l4p_last_error());
  /* Tell the model what was wrong on the next attempt. */
  free(c->rejected);
  c->rejected = strdup(v->content);
  snprintf(c->problem, sizeof c->problem, "%s", v->error);
}

/* Judge a 200 response. ENOMEM only; the verdict says the rest. */
static l4p_status judge_ok(struct call *c, const struct l4p__llm_http *res,
                           int attempt, struct verdict *v)
{
  struct l4p__llm_answer answer;
  l4p_status st = l4p__llm_parse_response(res->body, res->body_len, &answer);
  v->prompt_tokens = answer.prompt_tokens;
  v->completion_tokens = answer.completion_tokens;
  snprintf(v->finish_reason, sizeof v->finish_reason, "%s",
           answer.finish_reason);
  if (st == L4P_ENOMEM)
    return st;
  if (st != L4P_OK) {
    v->retry = true;
    v->wait_s = backoff(c, attempt);
    snprintf(v->error, sizeof v->error, "%s", l4p_last_error());
    return L4P_OK;
  }
  v->content = answer.content;
  if (!(v->stored_text = strdup(answer.content)))
    return L4P_ENOMEM;
  if (!strcmp(answer.finish_reason, "length")) {
    v->retry = true;
    if (c->max_tokens > 0) {
      snprintf(v->error, sizeof v->error,
               "answer cut short at max_tokens "
               "%d (finish_reason 'length')",
               c->max_tokens);
      long grown = 2L * c->max_tokens, cap = 4L * c->config.max_tokens;
      c->max_tokens = (int)(grown < cap ? grown : cap);
    } else {
      snprintf(v->error, sizeof v->error,
               "answer cut short by the server "
               "(finish_reason 'length')");
    }
    return L4P_OK;
  }
  judge_content(c, v);
  return L4P_OK;
}

/* The next attempt's body as text: the base with the current max_tokens
 * and, after a rejected answer, the correction. NULL on ENOMEM. */
static char *attempt_body(struct call *c)
{
  json_t *body = json_deep_copy(c->base);
  if (!body)
    return NULL;
  bool ok = true;
  if (c->max_tokens > 0)
    ok = !json_object_set_new(body, "max_tokens", json_integer(c->max_tokens));
  if (ok && c->rejected)
    ok = l4p__llm_add_correction(body, c->rejected, c->problem) == L4P_OK;
  char *text = ok ? json_dumps(body, JSON_COMPACT) : NULL;
  json_decref(body);
  return text;
}

/* Send one attempt (numbered attempt) and judge it. ENOMEM only. */
static l4p_status run_attempt(struct call *c, int attempt, const char *body,
                              struct verdict *v)
{
  struct l4p__llm_http res;
  l4p_status st =
      l4p__llm_http_post(c->url, c->config.api_key, c->request->role, body,
                         c->config.timeout_s, &res);
  v->prompt_tokens = v->completion_tokens = -1;
  v->http_status = res.status;
  v->latency_s = res.latency_s;
  if (st == L4P_OK && res.status == 0) {
    v->retry = true;
    v->wait_s = backoff(c, attempt);
    if (res.timed_out)
      snprintf(v->error, sizeof v->error, "%s", res.error);
    else
      snprintf(v->error, sizeof v->error, "cannot reach %s: %s", c->url_shown,
               res.error);
  } else if (st == L4P_OK && (res.status < 200 || res.status >= 300)) {
    judge_status(c, &res, attempt, v);
  } else if (st == L4P_OK) {
    st = judge_ok(c, &res, attempt, v);
  }
  if (st == L4P_OK && !v->stored_text && res.body && *res.body) {
    size_t n = res.body_len < STORED_BODY_MAX ? res.body_len : STORED_BODY_MAX;
    char *cut = strndup(res.body, n);
    v->stored_text = cut ? l4p__llm_redact(cut, c->config.api_key) : NULL;
    free(cut);
    if (!v->stored_text)
      st = L4P_ENOMEM;
  }
  l4p__llm_http_release(&res);
  return st;
}

/* Store and report attempt n. ENOMEM, ESTORE. */
static l4p_status report(struct call *c, int attempt, const char *body,
                         const struct verdict *v, bool final)
{
  char *reply_json =
      v->json ? json_dumps(v->json, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
  if (v->json && !reply_json)
    return l4p_failf(L4P_ENOMEM, "llm: out of memory");
  struct l4p_llm_exchange ex = {
      .campaign = c->client->campaign,
      .role = c->request->role,
      .model = c->config.model,
      .request_hash = c->hash,
      .request_json = body,
      .response_text = v->stored_text,
      .reply_json = reply_json,
      .status = v->accepted ? "ok"
                : final     ? "error"
                            : "retry",
      .error = v->accepted ? NULL : v->error,
      .finish_reason = v->finish_reason[0] ? v->finish_reason : NULL,
      .http_status = v->http_status,
      .prompt_tokens = v->prompt_tokens,
      .completion_tokens = v->completion_tokens,
      .latency_ms = v->latency_s * 1000.0,
      .attempt = attempt};
  l4p_status st = l4p__llm_record(c->client, &ex);
  free(reply_json);
  if (c->client->observer) {
    struct l4p_llm_attempt a = {.role = c->request->role,
                                .model = c->config.model,
                                .request_hash = c->hash,
                                .attempt = attempt,
                                .final = final,
                                .status = v->accepted ? L4P_OK : L4P_ELLM,
                                .error = v->accepted ? "" : v->error,
                                .http_status = v->http_status,
                                .finish_reason = v->finish_reason,
                                .prompt_tokens = v->prompt_tokens,
                                .completion_tokens = v->completion_tokens,
                                .latency_s = v->latency_s,
                                .wait_s = final ? 0 : v->wait_s};
    c->client->observer(c->client->observer_data, &a);
  }
  return st;
}

/* Add a count the server reported to a total. */
static void add_tokens(long *total, long n)
{
  if (n > 0)
    *total += n;
}

/* The attempt loop. */
static l4p_status converse(struct call *c, struct l4p_llm_reply *reply)
{
  int last = 1 + c->config.max_retries;
  for (int n = 1;; n++) {
    char *body = attempt_body(c);
    if (!body)
      return l4p_failf(L4P_ENOMEM, "llm: out of memory");
    struct verdict v = {0};
    l4p_status st = run_attempt(c, n, body, &v);
    bool final = v.accepted || !v.retry || n >= last;
    reply->attempts = n;
    add_tokens(&reply->prompt_tokens, v.prompt_tokens);
    add_tokens(&reply->completion_tokens, v.completion_tokens);
    if (st == L4P_OK)
      st = report(c, n, body, &v, final);
    else
      st = l4p_failf(L4P_ENOMEM, "llm: out of memory");
    free(body);
    if (st == L4P_OK && v.accepted) {
      reply->json = v.json;
      reply->text = v.content;
      v.json = NULL;
      v.content = NULL;
      snprintf(reply->finish_reason, sizeof reply->finish_reason, "%s",
               v.finish_reason);
    } else if (st == L4P_OK && !v.retry) {
      st = l4p_failf(L4P_ELLM, "role '%s': %s", c->request->role, v.error);
    } else if (st == L4P_OK && final) {
      st = l4p_failf(L4P_ELLM, "role '%s': gave up after %d attempts: %s",
                     c->request->role, n, v.error);
    }
    double wait = v.wait_s;
    verdict_release(&v);
    if (st != L4P_OK || final)
      return st;
    l4p__llm_sleep(wait);
  }
}

/* A private copy of the caller's schema: jansson's encoder marks the
 * values it walks, so one schema must not be dumped by two threads at
 * once; the copy is made under the client's lock. */
static l4p_status copy_schema(struct l4p_llm_client *client,
                              const json_t *schema, json_t **copy)
{
  *copy = NULL;
  if (!schema)
    return L4P_OK;
  pthread_mutex_lock(&client->lock);
  char *text = json_dumps(schema, JSON_COMPACT | JSON_ENCODE_ANY);
  pthread_mutex_unlock(&client->lock);
  if (!text)
    return l4p_failf(L4P_ENOMEM, "llm: out of memory");
  *copy = json_loads(text, JSON_DECODE_ANY, NULL);
  free(text);
  if (!*copy)
    return l4p_failf(L4P_ENOMEM, "llm: out of memory");
  return L4P_OK;
}

/* Set up a call: settings, schema, base body, hash and URL. */
static l4p_status prepare(struct call *c)
{
  const struct l4p_llm_request *rq = c->request;
  if (!rq->role || !*rq->role || !rq->user)
    return l4p_failf(L4P_EUSAGE, "llm: a request needs a role and a user "
                                 "message");
  if (!l4p__llm_valid_role(rq->role, strlen(rq->role)))
    return l4p_failf(L4P_EUSAGE,
                     "llm: '%s' is not a role name (lowercase "
                     "letters, digits, '_', '-')",
                     rq->role);
  l4p_llm_settings_resolve(c->client->settings, rq->role, &c->config);
  c->max_tokens = c->config.max_tokens;
  if (rq->accept && !rq->schema)
    return l4p_failf(L4P_EUSAGE, "llm: an accepted schema needs a schema");
  l4p_status st = copy_schema(c->client, rq->schema, &c->schema);
  if (st == L4P_OK)
    st = copy_schema(c->client, rq->accept, &c->accept);
  if (st == L4P_OK && c->schema &&
      ((st = l4p_llm_schema_check(c->schema)) != L4P_OK ||
       (c->accept && (st = l4p_llm_schema_check(c->accept)) != L4P_OK))) {
    char where[96];
    snprintf(where, sizeof where, "role '%s'", rq->role);
    l4p_error_prefix(where);
    return st;
  }
  if (st != L4P_OK)
    return st;
  struct l4p_llm_request own = *rq;
  own.schema = c->schema;
  c->base = l4p__llm_request_body(&c->config, &own, 0);
  c->url = l4p__llm_endpoint(c->config.base_url);
  if (!c->base || !c->url)
    return l4p_failf(L4P_ENOMEM, "llm: out of memory");
  l4p__llm_url_for_messages(c->url, c->url_shown, sizeof c->url_shown);
  return l4p__llm_body_hash(c->base, c->hash);
}

/* Ask one question; see llm.h. */
l4p_status l4p_llm_chat(struct l4p_llm_client *client,
                        const struct l4p_llm_request *request,
                        struct l4p_llm_reply *reply)
{
  memset(reply, 0, sizeof *reply);
  if (!client || !request)
    return l4p_failf(L4P_EUSAGE, "llm: no client or request");
  struct call c = {.client = client, .request = request};
  double start = l4p__llm_now();
  l4p_status st = prepare(&c);
  if (st == L4P_OK && client->cache == L4P_LLM_CACHE_REPLAY) {
    st = l4p__llm_replay(client, request, &c.config,
                         c.accept ? c.accept : c.schema, c.hash, reply);
  } else if (st == L4P_OK) {
    bool found = false;
    if (client->cache == L4P_LLM_CACHE_RECORD) /* tag-llm-recall */
      st = l4p__llm_recall(client, request, &c.config,
                           c.accept ? c.accept : c.schema, c.hash, reply,
                           &found);
    if (st == L4P_OK && !found) {
      snprintf(reply->request_hash, sizeof reply->request_hash, "%s", c.hash);
      st = converse(&c, reply);
      reply->latency_s = l4p__llm_now() - start;
    }
  }
  if (st != L4P_OK)
    l4p_llm_reply_release(reply);
  json_decref(c.schema);
  json_decref(c.accept);
  json_decref(c.base);
  free(c.url);
  free(c.rejected);
  return st;
}
