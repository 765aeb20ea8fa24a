/* Internals shared by the LLM client's files: the HTTP transport, request
 * bodies and their identity hash, parsing a chat-completion response,
 * redaction of the key, and the clock. Only src/llm/ includes this
 * header; everything else goes through include/llm4perf/llm.h. */
#ifndef L4P_LLM_INT_H
#define L4P_LLM_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "llm4perf/llm.h"
#include "llm4perf/store.h"

/* Largest response body kept; a bigger one is cut (and then fails to
 * parse), so a runaway server cannot exhaust memory. */
#define L4P__LLM_MAX_BODY (16u << 20)

/* Longest wait honoured for a Retry-After header, in seconds: a server
 * asking for more makes the call fail instead of stalling a study. */
#define L4P__LLM_MAX_RETRY_AFTER 300.0

/* Longest single backoff wait, in seconds. */
#define L4P__LLM_MAX_BACKOFF 60.0

/* A client: immutable settings and options, and a lock for what threads
 * share (the store connection, dumping the caller's schema). */
struct l4p_llm_client {
  struct l4p_llm_settings *settings;
  struct l4p_store *store;
  int64_t campaign;
  enum l4p_llm_cache cache;
  l4p_llm_observer observer;
  void *observer_data;
  uint64_t seed;
  pthread_mutex_t lock;
};

/* Record one attempt in the client's store under its lock (a no-op
 * unless the cache mode is RECORD). ESTORE. */
l4p_status l4p__llm_record(struct l4p_llm_client *client,
                           const struct l4p_llm_exchange *exchange);

/* Answer request from the store (REPLAY mode): ELLM "no recorded answer
 * for role 'R' request HASH" when there is none. schema is the call's
 * private copy (or NULL). */
l4p_status l4p__llm_replay(struct l4p_llm_client *client,
                           const struct l4p_llm_request *request,
                           const struct l4p_llm_config *config,
                           const json_t *schema, const char *hash,
                           struct l4p_llm_reply *reply);

/* RECORD mode asks the store first (tag-llm-recall): when an accepted
 * answer to the same request hash is stored (a campaign resumed after a
 * kill asks again what it asked before), it answers the call as in
 * REPLAY and *found is true; otherwise (none, or one the schema now
 * rejects) the reply is left empty, *found false, and the caller asks
 * the network. ESTORE when the lookup fails. */
l4p_status l4p__llm_recall(struct l4p_llm_client *client,
                           const struct l4p_llm_request *request,
                           const struct l4p_llm_config *config,
                           const json_t *schema, const char *hash,
                           struct l4p_llm_reply *reply, bool *found);

/* Whether the first len bytes of role are a role name
 * ([a-z][a-z0-9_-]*, at most 63 bytes). */
bool l4p__llm_valid_role(const char *role, size_t len);

/* A deep copy of settings (the client keeps its own); NULL on ENOMEM. */
struct l4p_llm_settings *
l4p__llm_settings_dup(const struct l4p_llm_settings *settings);

/* What one HTTP POST gave. */
struct l4p__llm_http {
  long status; /* HTTP status; 0 when no response came */
  char *body;  /* heap, NUL-terminated; "" when none */
  size_t body_len;
  double retry_after_s; /* Retry-After in seconds; < 0 when absent */
  bool timed_out;       /* the attempt ran past timeout_s */
  char error[256];      /* transport failure, "" when a response came */
  double latency_s;
};

/* POST body as JSON to url with the key as a Bearer token (when not
 * empty) and the role in an X-LLM4Perf-Role header. Transport failures
 * (refused, timed out) are reported in res, not as a status: ENOMEM only.
 * Release res with l4p__llm_http_release. */
l4p_status l4p__llm_http_post(const char *url, const char *api_key,
                              const char *role, const char *body,
                              double timeout_s, struct l4p__llm_http *res);
void l4p__llm_http_release(struct l4p__llm_http *res);

/* The chat-completions URL for a base URL ("http://h/v1" ->
 * "http://h/v1/chat/completions"); heap string or NULL on ENOMEM. */
char *l4p__llm_endpoint(const char *base_url);

/* The base URL without any "user:password@" part, for messages. */
void l4p__llm_url_for_messages(const char *url, char *out, size_t size);

/* The request body of a first attempt: model, messages, temperature,
 * response_format (with a schema), max_tokens (when > 0). NULL on ENOMEM
 * (EUSAGE is checked before). New reference. */
json_t *l4p__llm_request_body(const struct l4p_llm_config *config,
                              const struct l4p_llm_request *request,
                              int max_tokens);

/* *strict: the strict form of a checked answer schema (schema_strict.c),
 * a new reference, or NULL when the schema has none (it holds a
 * free-form object or an untyped value where a member is required).
 * ENOMEM only. */
l4p_status l4p__llm_schema_strict(const json_t *schema, json_t **strict);

/* Remove from value (in place) every member that is null where schema
 * leaves it optional and does not allow null: how an answer to the
 * strict form says "absent". */
void l4p__llm_schema_drop_nulls(const json_t *schema, json_t *value);

/* The identity hash of a first-attempt body (l4p_llm_request_hash). */
l4p_status l4p__llm_body_hash(const json_t *body, char hash[65]);

/* Append the rejected answer and a user message naming the problem to
 * body's messages, so a retry can correct itself (a resend alone would
 * get the same answer at temperature 0). ENOMEM. */
l4p_status l4p__llm_add_correction(json_t *body, const char *answer,
                                   const char *problem);

/* The parts of a chat-completion response the client uses. */
struct l4p__llm_answer {
  char *content;          /* heap */
  char finish_reason[32]; /* "" when absent */
  long prompt_tokens;     /* -1 when not reported */
  long completion_tokens;
};

/* Parse a 200 response body. ELLM naming the problem: "response body is
 * not JSON (...)", "response has no choices", "choice has no message
 * content". Tokens and finish_reason are filled as far as found, even on
 * failure. Release with l4p__llm_answer_release. */
l4p_status l4p__llm_parse_response(const char *body, size_t len,
                                   struct l4p__llm_answer *answer);
void l4p__llm_answer_release(struct l4p__llm_answer *answer);

/* The server's own error message from an error body ({"error":
 * {"message": ...}} or {"error": "..."}), else a one-line excerpt of the
 * body, into out. */
void l4p__llm_server_message(const char *body, char *out, size_t size);

/* A copy of text with every occurrence of key replaced by "[redacted]";
 * a plain copy when key is NULL or empty. NULL on ENOMEM. */
char *l4p__llm_redact(const char *text, const char *key);

/* At most max bytes of text on one line (control characters as spaces,
 * "..." when cut, never inside a UTF-8 sequence) into out. */
void l4p__llm_excerpt(const char *text, size_t max, char *out, size_t size);

/* Monotonic seconds, and sleeping that long (restarted on EINTR). */
double l4p__llm_now(void);
void l4p__llm_sleep(double seconds);

#endif
