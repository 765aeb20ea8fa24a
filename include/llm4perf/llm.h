/* The LLM client: chat completions from any OpenAI-compatible endpoint
 * (llama.cpp's llama-server, vLLM, Ollama, OpenAI) with answers requested
 * as JSON matching a schema and always validated on our side.
 *
 * Data flow: settings (defaults < config file < environment < flags,
 * resolved per role) -> a client (optionally bound to a results store for
 * recording and offline replay) -> l4p_llm_chat(request) -> a validated
 * reply. Behaviour, retries and stored fields: docs/internals/
 * LLM-EXCHANGE.md; user-facing settings: docs/LLM.md.
 *
 * Invariants:
 * - the API key is read from the environment variable a setting names; it
 *   is sent only as the Authorization header and never printed, logged,
 *   stored or put into an error message (server text that echoes it is
 *   redacted);
 * - a reply with a schema holds JSON that satisfies the schema; anything
 *   else is L4P_ELLM with the reason in l4p_last_error();
 * - every call is bounded: at most 1 + max_retries HTTP attempts, each
 *   within timeout_s, with bounded waits between them;
 * - a client may be used by several threads at once; settings are
 *   immutable once a client is made from them. */
#ifndef LLM4PERF_LLM_H
#define LLM4PERF_LLM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "llm4perf/status.h"

struct l4p_store;

/* ------------------------------------------------------------ settings */

/* Whether the client reads and writes the exchange store. */
enum l4p_llm_cache {
  L4P_LLM_CACHE_OFF,    /* network only; the store is not touched */
  L4P_LLM_CACHE_RECORD, /* store first: a request with an accepted
                           answer stored is answered from it (a resumed
                           campaign never asks twice); else network, every
                           attempt stored, accepted answers replayable */
  L4P_LLM_CACHE_REPLAY, /* store only: identical requests are answered
                           from recorded answers, never the network */
};

/* The settings of one role after resolution: the global values with the
 * role's own values ("llm.ROLE.NAME") on top. Strings point into the
 * settings (or the environment, for api_key) and live as long as they. */
struct l4p_llm_config {
  const char *base_url; /* e.g. "http://127.0.0.1:8080/v1" */
  const char *api_key;  /* from the environment; "" for none. Secret. */
  const char *model;
  double temperature;
  double timeout_s; /* per HTTP attempt */
  int max_retries;  /* attempts after the first */
  double backoff_s; /* first wait of the exponential backoff */
  int max_tokens;   /* answer limit sent to the server; 0: not sent */
};

/* The settings table (docs/LLM.md lists every row): named values with
 * types, bounds, defaults and, for some, an environment variable. */
struct l4p_llm_settings;

/* New settings holding the defaults; NULL when out of memory. */
struct l4p_llm_settings *l4p_llm_settings_new(void);
/* A copy of settings (free it); NULL when out of memory. */
struct l4p_llm_settings *
l4p_llm_settings_dup(const struct l4p_llm_settings *settings);
/* Free the settings; NULL is a no-op. */
void l4p_llm_settings_free(struct l4p_llm_settings *settings);

/* Set one setting from text: name is "llm.NAME" (global) or
 * "llm.ROLE.NAME" (one role). EUSAGE naming the setting for an unknown
 * name, a bad role name or a value of the wrong type or out of bounds;
 * the settings are unchanged on failure. This is how command-line flags
 * override everything else. */
l4p_status l4p_llm_settings_set(struct l4p_llm_settings *settings,
                                const char *name, const char *value);

/* The same for "NAME=VALUE" text (a --set flag's argument). */
l4p_status l4p_llm_settings_assign(struct l4p_llm_settings *settings,
                                   const char *assignment);

/* Read a config file of "llm.NAME = VALUE" lines ('#' starts a comment
 * line, blank lines are skipped, a value may be "double quoted"). EIO when
 * the file cannot be read; EPARSE "FILE:LINE: ..." for a bad line. The
 * key itself is refused in files: it belongs in the environment. */
l4p_status l4p_llm_settings_load_file(struct l4p_llm_settings *settings,
                                      const char *path);

/* Apply the environment variables of the table (OPENAI_BASE_URL,
 * L4P_LLM_MODEL, ...) that are set and not empty. EUSAGE naming the
 * variable when a value is invalid. */
l4p_status l4p_llm_settings_load_env(struct l4p_llm_settings *settings);

/* The standard sources, in precedence order after the defaults: the
 * config file (path when not NULL, else the file $L4P_LLM_CONFIG names,
 * else ./llm4perf.conf when it exists), then the environment. Callers
 * apply command-line flags afterwards (l4p_llm_settings_set/assign), so
 * flags win. Errors as load_file and load_env; a file named by path or
 * $L4P_LLM_CONFIG must exist. */
l4p_status l4p_llm_settings_load_standard(struct l4p_llm_settings *settings,
                                          const char *path);

/* Resolve the settings for role (NULL: the global values) into config.
 * The key is looked up in the environment variable llm.api_key_env names
 * (OPENAI_API_KEY by default). */
void l4p_llm_settings_resolve(const struct l4p_llm_settings *settings,
                              const char *role, struct l4p_llm_config *config);

/* The text of setting name: "llm.NAME", or "llm.ROLE.NAME" for the
 * role's own value, else the global one. Valid while settings live and
 * that setting is not set again; NULL for an unknown name. Settings that
 * are not the client's (llm.prompts_dir, llm.chunk_chars: the llm agent's)
 * are read this way. */
const char *l4p_llm_settings_get(const struct l4p_llm_settings *settings,
                                 const char *name);

/* The cache mode setting (llm.cache). */
enum l4p_llm_cache
l4p_llm_settings_cache(const struct l4p_llm_settings *settings);

/* Write every setting that differs from its default as "name = value"
 * lines (the format load_file reads). The key never appears: it is not a
 * setting. */
void l4p_llm_settings_write(const struct l4p_llm_settings *settings, FILE *out);

/* "off" / "record" / "replay"; and back (false when unknown). */
const char *l4p_llm_cache_name(enum l4p_llm_cache cache);
bool l4p_llm_cache_parse(const char *name, enum l4p_llm_cache *cache);

/* -------------------------------------------------------------- client */

/* What one HTTP attempt (or one replayed answer) did, passed to the
 * observer. Pointers are valid during the callback only. */
struct l4p_llm_attempt {
  const char *role;
  const char *model;
  const char *request_hash;  /* 64 hex digits, see l4p_llm_request_hash */
  int attempt;               /* 1, 2, ... within one l4p_llm_chat call */
  bool replayed;             /* answered from the store, no network */
  bool final;                /* the call ends with this attempt */
  l4p_status status;         /* L4P_OK: this answer was accepted */
  const char *error;         /* why it was not, else "" */
  long http_status;          /* 0 when no HTTP answer came */
  const char *finish_reason; /* "" when unknown */
  long prompt_tokens, completion_tokens; /* -1 when not reported */
  double latency_s;                      /* of this attempt */
  double wait_s;                         /* sleep before the next attempt */
};

/* Called after every attempt, on the calling thread; with several
 * threads calling l4p_llm_chat it must be thread-safe itself. */
typedef void (*l4p_llm_observer)(void *data,
                                 const struct l4p_llm_attempt *attempt);

/* Optional parts of a client; a zeroed struct (or NULL) means no store,
 * cache off, no observer. */
struct l4p_llm_client_options {
  struct l4p_store *store;  /* where exchanges are recorded/replayed */
  int64_t campaign;         /* stored with each exchange; 0: none */
  enum l4p_llm_cache cache; /* RECORD and REPLAY need a store */
  l4p_llm_observer observer;
  void *observer_data;
  uint64_t seed; /* seeds the backoff jitter */
};

struct l4p_llm_client;

/* Make a client from a copy of settings. The store, when given, is used
 * under the client's lock; other threads must not use that handle while
 * calls run (give the client its own l4p_store_open of the same file:
 * WAL lets several connections share it). EUSAGE when RECORD or REPLAY
 * lacks a store; ENOMEM. On failure *client is NULL. */
l4p_status l4p_llm_client_new(const struct l4p_llm_settings *settings,
                              const struct l4p_llm_client_options *options,
                              struct l4p_llm_client **client);
/* Free the client; NULL is a no-op. The store is not closed. */
void l4p_llm_client_free(struct l4p_llm_client *client);

/* The resolved settings a role's requests use (key included; never
 * print it). Valid while the client lives. */
void l4p_llm_client_config(const struct l4p_llm_client *client,
                           const char *role, struct l4p_llm_config *config);

/* One question. schema may be NULL for a free-text answer. */
struct l4p_llm_request {
  const char *role;        /* "prune", "generate", ...: per-role settings,
                              logs, store; required, a role name as the
                              settings accept ([a-z][a-z0-9_-]*) */
  const char *system;      /* system message; NULL for none */
  const char *user;        /* user message; required */
  const json_t *schema;    /* JSON Schema of the answer (the subset
                              l4p_llm_schema_check accepts), borrowed */
  const char *schema_name; /* json_schema.name sent; NULL: the role */
  const json_t *accept;    /* what answers are checked against; NULL:
                              schema. Lets a caller send a schema narrowed
                              for servers that constrain decoding while
                              accepting the wider shape its own reader
                              repairs (the agents' output readers). Not
                              sent, not hashed; needs a schema. Borrowed */
};

/* The accepted answer of one l4p_llm_chat call. */
struct l4p_llm_reply {
  json_t *json;           /* the answer, valid for the schema; NULL
                               without a schema. Owned: json_decref or
                               l4p_llm_reply_release */
  char *text;             /* the answer's raw text (heap) */
  char finish_reason[32]; /* of the accepted attempt */
  long prompt_tokens;     /* summed over the call's attempts */
  long completion_tokens;
  double latency_s; /* whole call, waits included */
  int attempts;     /* HTTP attempts made; 0 when replayed */
  bool replayed;    /* answered from the store */
  char request_hash[65];
};

/* Ask the request's question and fill reply (which needs no init). On
 * success the reply owns its json and text. On failure the reply is empty
 * and the status is ELLM with the last attempt's reason ("role 'prune':
 * HTTP 503 after 4 attempts: ..."), EUSAGE for a bad request or schema,
 * ESTORE when the store fails; in REPLAY mode a missing answer is ELLM
 * "no recorded answer for role 'R' request HASH". Thread-safe. */
l4p_status l4p_llm_chat(struct l4p_llm_client *client,
                        const struct l4p_llm_request *request,
                        struct l4p_llm_reply *reply);

/* Free the reply's contents and zero it. */
void l4p_llm_reply_release(struct l4p_llm_reply *reply);

/* The request hash of request under config (what the store keys answers
 * by): SHA-256 of the compact, key-sorted JSON {"messages", "model",
 * "response_format", "temperature"} as sent in the first attempt. The
 * endpoint, the key and max_tokens are not part of it. EUSAGE for a bad
 * request, ENOMEM. */
l4p_status l4p_llm_request_hash(const struct l4p_llm_config *config,
                                const struct l4p_llm_request *request,
                                char hash[65]);

/* -------------------------------------------------------- JSON schemas */

/* EUSAGE naming the place ("schema: $.properties.n: unsupported keyword
 * 'pattern'") unless schema uses only the supported subset: type (one
 * name or a list; object, array, string, number, integer, boolean,
 * null), properties, required, additionalProperties (true/false), items,
 * enum, const, minimum, maximum, minItems, maxItems, minLength,
 * maxLength, and the annotations title, description, default, examples,
 * $schema. Refusing the rest keeps a schema from promising checks that
 * are not made. */
l4p_status l4p_llm_schema_check(const json_t *schema);

/* L4P_OK when value satisfies schema; otherwise ELLM with the first
 * violation and its JSON path: "$.configs[2].ref: expected integer, got
 * string". The schema is assumed to pass l4p_llm_schema_check. */
l4p_status l4p_llm_schema_validate(const json_t *schema, const json_t *value);

/* Find the JSON answer in a model's text: the whole text, else the
 * contents of ```json fences, else the first balanced {...} or [...] that
 * parses; <think>...</think> blocks are skipped. With a schema, the first
 * candidate that satisfies it wins, a null in a member it leaves optional
 * (and does not allow null) being removed as absent first. On success
 * *value is a new reference.
 * ELLM "answer holds no JSON value: '...'", or "answer does not match the
 * schema: " and the first parsed candidate's violation. */
l4p_status l4p_llm_extract_json(const char *text, const json_t *schema,
                                json_t **value);

/* ------------------------------------------------------------ chunking */

/* Pieces of a long text, each at most max_chars bytes, cut at paragraph
 * breaks where possible, else at line breaks, else at spaces, never
 * inside a UTF-8 sequence. */
struct l4p_llm_chunks {
  size_t n;
  char **text;    /* n heap strings */
  size_t *offset; /* where each starts in the original text */
};

/* Split text into chunks of at most max_chars bytes. Each chunk after the
 * first repeats up to overlap bytes of the text before it, starting at a
 * line (else word) boundary, so a statement cut at a chunk edge is whole
 * in one of them. With overlap 0 the chunks concatenate to the text.
 * EUSAGE unless max_chars >= 16 and overlap <= max_chars / 2; ENOMEM.
 * An empty text gives no chunks. Release with l4p_llm_chunks_release. */
l4p_status l4p_llm_chunk_text(const char *text, size_t max_chars,
                              size_t overlap, struct l4p_llm_chunks *chunks);
void l4p_llm_chunks_release(struct l4p_llm_chunks *chunks);

#endif
