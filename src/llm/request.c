/* Chat-completion request bodies: the messages, the sampling settings and
 * the answer's JSON schema in the OpenAI nesting (response_format
 * {"type":"json_schema","json_schema":{"name","schema","strict"}}, which
 * llama-server, vLLM and Ollama honour too; the schema in its strict form
 * where it has one), the request's identity hash
 * the store keys answers by, and the correction a retry appends.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "llm-int.h"
#include "util/failf.h"
#include "util/sha256.h"
#include "util/banned.h"

/* Fields of the body that make up the request's identity: what decides
 * the answer. max_tokens is left out, since a retry after a truncated
 * answer raises it (tag-llm-hash). */
static const char *const identity_fields[] = {
    "model",
    "messages",
    "response_format",
    "temperature",
};

/* json_schema.name: OpenAI allows [a-zA-Z0-9_-]{1,64}; other characters
 * become '_'. */
static void schema_name(const char *name, char *out, size_t size)
{
  size_t n = 0;
  for (; name[n] && n + 1 < size && n < 64; n++) {
    unsigned char c = (unsigned char)name[n];
    out[n] = (char)(isalnum(c) || c == '_' || c == '-' ? c : '_');
  }
  out[n] = '\0';
  if (n == 0)
    snprintf(out, size, "answer");
}

/* {"role": role, "content": content}; NULL on ENOMEM. */
static json_t *message(const char *role, const char *content)
{
  return json_pack("{s:s, s:s}", "role", role, "content", content);
}

/* The response_format object for schema: its strict form with "strict":
 * true when it has one (schema_strict.c), else the schema as given with
 * "strict": false, which OpenAI would refuse as strict. NULL on ENOMEM. */
static json_t *response_format(const struct l4p_llm_request *request)
{
  char name[65];
  schema_name(request->schema_name ? request->schema_name : request->role, name,
              sizeof name);
  json_t *strict = NULL;
  if (l4p__llm_schema_strict(request->schema, &strict))
    return NULL;
  /* json_pack's "O" adds a reference; the schema stays the caller's. */
  json_t *format = json_pack(
      "{s:s, s:{s:s, s:O, s:b}}", "type", "json_schema", "json_schema", "name",
      name, "schema", strict ? strict : request->schema, "strict", !!strict);
  json_decref(strict);
  return format;
}

/* Build the first attempt's body; see llm-int.h. */
json_t *l4p__llm_request_body(const struct l4p_llm_config *config,
                              const struct l4p_llm_request *request,
                              int max_tokens)
{
  json_t *messages = json_array();
  if (!messages)
    return NULL;
  if (request->system && *request->system &&
      json_array_append_new(messages, message("system", request->system)))
    goto oom;
  if (json_array_append_new(messages, message("user", request->user)))
    goto oom;
  json_t *body =
      json_pack("{s:s, s:o, s:f}", "model", config->model, "messages", messages,
                "temperature", config->temperature);
  messages = NULL; /* owned by body, or freed by json_pack on failure */
  if (!body)
    return NULL;
  if (request->schema &&
      json_object_set_new(body, "response_format", response_format(request)))
    goto oom_body;
  if (max_tokens > 0 &&
      json_object_set_new(body, "max_tokens", json_integer(max_tokens)))
    goto oom_body;
  return body;
oom_body:
  json_decref(body);
  return NULL;
oom:
  json_decref(messages);
  return NULL;
}

/* SHA-256 of the identity fields as compact, key-sorted JSON. */
l4p_status l4p__llm_body_hash(const json_t *body, char hash[65])
{
  json_t *identity = json_object();
  if (!identity)
    return l4p_failf(L4P_ENOMEM, "llm: out of memory");
  for (size_t i = 0; i < sizeof identity_fields / sizeof identity_fields[0];
       i++) {
    json_t *v = json_object_get(body, identity_fields[i]);
    if (v && json_object_set(identity, identity_fields[i], v)) {
      json_decref(identity);
      return l4p_failf(L4P_ENOMEM, "llm: out of memory");
    }
  }
  char *text =
      json_dumps(identity, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
  json_decref(identity);
  if (!text)
    return l4p_failf(L4P_ENOMEM, "llm: out of memory");
  l4px_sha256_hex(text, strlen(text), hash);
  free(text);
  return L4P_OK;
}

/* EUSAGE unless the request has what a body needs. */
static l4p_status check_request(const struct l4p_llm_request *request)
{
  if (!request || !request->role || !*request->role)
    return l4p_failf(L4P_EUSAGE, "llm: a request needs a role");
  if (!request->user)
    return l4p_failf(L4P_EUSAGE,
                     "llm: role '%s': a request needs a user "
                     "message",
                     request->role);
  return L4P_OK;
}

/* The identity hash of a request under config. */
l4p_status l4p_llm_request_hash(const struct l4p_llm_config *config,
                                const struct l4p_llm_request *request,
                                char hash[65])
{
  l4p_status st = check_request(request);
  if (st != L4P_OK)
    return st;
  json_t *body = l4p__llm_request_body(config, request, 0);
  if (!body)
    return l4p_failf(L4P_ENOMEM, "llm: out of memory");
  st = l4p__llm_body_hash(body, hash);
  json_decref(body);
  return st;
}

/* Append the rejected answer and the reason to body's messages. */
l4p_status l4p__llm_add_correction(json_t *body, const char *answer,
                                   const char *problem)
{
  json_t *messages = json_object_get(body, "messages");
  char note[1200];
  snprintf(note, sizeof note,
           "Your previous answer could not be used: %s. Answer again with "
           "only the JSON value the schema describes, nothing else.",
           problem);
  if (!messages ||
      json_array_append_new(messages, message("assistant", answer)) ||
      json_array_append_new(messages, message("user", note)))
    return l4p_failf(L4P_ENOMEM, "llm: out of memory");
  return L4P_OK;
}
