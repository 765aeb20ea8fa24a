/* The llm agent: every role asked of a language model through the LLM
 * client (include/llm4perf/llm.h). A role's input document fills the
 * role's prompt template (llm_prompt.c, llm_render.c); the answer is
 * requested with the role's output schema narrowed to the space, and
 * accepted in the role's general output shape, so that names and values
 * outside the space reach the output readers, which count and repair or
 * drop them, instead of failing the whole answer. Long documentation is
 * extracted in chunks (llm_extract.c). run() may be called from several
 * threads at once: the agent's state is immutable after creation except
 * its per-campaign clients, created under a lock; clients are
 * thread-safe.
 * SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent-int.h"
#include "llm_agent-int.h"
#include "llm4perf/store.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

/* A client and the store connection it records to or replays from. */
struct conn {
  int64_t campaign;
  struct l4p_store *store; /* NULL with llm.cache off */
  struct l4p_llm_client *client;
};

struct llm_agent {
  struct l4p_llm_settings *settings; /* own copy */
  char *store_path;                  /* NULL: none */
  int64_t campaign;                  /* the default one */
  enum l4p_llm_cache cache;
  struct l4p__prompt prompts[L4P_ROLE_COUNT];
  pthread_mutex_t lock; /* guards conns */
  struct conn **conns;
  size_t n_conns;
};

/* One run's question: what ask() needs for every chunk. */
struct question {
  const struct llm_agent *agent;
  enum l4p_role role;
  struct l4p_llm_client *client;
  json_t *schema; /* sent: narrowed to the space */
  json_t *accept; /* checked: the role's output schema; NULL: schema */
};

static void conn_free(struct conn *c)
{
  if (!c)
    return;
  l4p_llm_client_free(c->client);
  l4p_store_close(c->store);
  free(c);
}

/* A new client recording under campaign (its own store connection:
 * the caller's handle is never shared with the agent's threads). */
static l4p_status conn_open(const struct llm_agent *a, int64_t campaign,
                            struct conn **out)
{
  *out = NULL;
  struct conn *c = calloc(1, sizeof *c);
  if (!c)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  c->campaign = campaign;
  l4p_status st = L4P_OK;
  const char *mode = l4p_llm_cache_name(a->cache);
  if (a->cache != L4P_LLM_CACHE_OFF && !a->store_path)
    st = l4p_failf(L4P_EUSAGE,
                   "llm agent: llm.cache '%s' needs a results "
                   "database",
                   mode);
  else if (a->cache == L4P_LLM_CACHE_REPLAY && access(a->store_path, F_OK))
    st = l4p_failf(L4P_EIO,
                   "llm agent: cannot replay from '%s': no such "
                   "file",
                   a->store_path);
  else if (a->cache != L4P_LLM_CACHE_OFF)
    st = l4p_store_open(a->store_path, &c->store);
  if (!st) {
    struct l4p_llm_client_options o = {.store = c->store,
                                       .campaign = campaign,
                                       .cache = a->cache,
                                       .seed = (uint64_t)campaign};
    st = l4p_llm_client_new(a->settings, &o, &c->client);
  }
  if (st) {
    conn_free(c);
    return st;
  }
  *out = c;
  return L4P_OK;
}

/* The client for a call's campaign, made on first use. Only recording
 * stores the campaign, so otherwise every call shares the first one. */
static l4p_status client_for(struct llm_agent *a, int64_t campaign,
                             struct l4p_llm_client **client)
{
  if (!campaign || a->cache != L4P_LLM_CACHE_RECORD)
    campaign = a->campaign;
  pthread_mutex_lock(&a->lock);
  l4p_status st = L4P_OK;
  struct conn *found = NULL;
  for (size_t k = 0; k < a->n_conns && !found; k++)
    if (a->conns[k]->campaign == campaign)
      found = a->conns[k];
  if (!found) {
    struct conn **grown = realloc(a->conns, (a->n_conns + 1) * sizeof *grown);
    if (!grown) {
      st = l4p_failf(L4P_ENOMEM, "out of memory");
    } else {
      a->conns = grown;
      if (!(st = conn_open(a, campaign, &found)))
        a->conns[a->n_conns++] = found;
    }
  }
  pthread_mutex_unlock(&a->lock);
  *client = found ? found->client : NULL;
  return st;
}

/* Ask one question: fill the template from vars, chat, take the JSON. */
static l4p_status ask(void *data, const json_t *vars, json_t **answer)
{
  const struct question *q = data;
  const struct l4p__prompt *p = &q->agent->prompts[q->role];
  char *system = NULL, *user = NULL;
  l4p_status st = l4p__prompt_fill(p->system, vars, &system);
  if (!st)
    st = l4p__prompt_fill(p->user, vars, &user);
  if (!st) {
    struct l4p_llm_request rq = {.role = l4p_role_name(q->role),
                                 .system = *system ? system : NULL,
                                 .user = user,
                                 .schema = q->schema,
                                 .accept = q->accept};
    struct l4p_llm_reply reply;
    if (!(st = l4p_llm_chat(q->client, &rq, &reply))) {
      *answer = reply.json;
      reply.json = NULL;
    }
    l4p_llm_reply_release(&reply);
  }
  free(system);
  free(user);
  return st;
}

/* The schemas of a question: the output schema narrowed to the space
 * (when there is one; extract reads unknown programs) is sent, the
 * general one accepted. *text is the sent one, for {{schema}}. */
static l4p_status schemas(struct question *q, const struct l4p_space *space,
                          char **text)
{
  const char *general = l4p_agent_schema(q->role, L4P_AGENT_OUTPUT);
  l4p_status st = L4P_OK;
  if (space && q->role != L4P_ROLE_EXTRACT) {
    if ((st = l4p_agent_schema_for(q->role, space, text)))
      return st;
    q->accept = json_loads(general, 0, NULL);
  } else {
    *text = strdup(general);
  }
  q->schema = *text ? json_loads(*text, 0, NULL) : NULL;
  if (!q->schema || (space && q->role != L4P_ROLE_EXTRACT && !q->accept))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  return L4P_OK;
}

/* The chunk size for extract (llm.extract.chunk_chars). */
static size_t chunk_chars(const struct llm_agent *a)
{
  long long n = 0;
  l4px_parse_llong(l4p_llm_settings_get(a->settings, "llm.extract.chunk_chars"),
                   &n);
  return n > 0 ? (size_t)n : 12000;
}

static l4p_status llm_run(struct l4p_agent *agent, enum l4p_role role,
                          const struct l4p_agent_ctx *ctx, const char *input,
                          char **output)
{
  struct llm_agent *a = agent->data;
  struct question q = {.agent = a, .role = role};
  json_t *in = NULL, *out = NULL, *vars = NULL;
  char *schema_text = NULL;
  uint64_t seed = ctx ? ctx->seed : 0;
  l4p_status st = l4p__agent_parse(input, l4p_role_name(role), &in);
  if (!st)
    st = client_for(a, ctx ? ctx->campaign : 0, &q.client);
  if (!st)
    st = schemas(&q, ctx ? ctx->space : NULL, &schema_text);
  if (!st && role == L4P_ROLE_EXTRACT) {
    st = l4p__llm_extract(in, schema_text, seed, chunk_chars(a), ask, &q, &out);
  } else if (!st) {
    vars = l4p__prompt_vars(role, in, schema_text, seed);
    st = vars ? ask(&q, vars, &out) : l4p_failf(L4P_ENOMEM, "out of memory");
  }
  if (!st)
    st = l4p__agent_dump(out, output);
  json_decref(vars);
  json_decref(out);
  json_decref(in);
  json_decref(q.schema);
  json_decref(q.accept);
  free(schema_text);
  return st;
}

static void llm_destroy(struct l4p_agent *agent)
{
  struct llm_agent *a = agent->data;
  if (!a)
    return;
  for (size_t k = 0; k < a->n_conns; k++)
    conn_free(a->conns[k]);
  free(a->conns);
  for (int r = 0; r < L4P_ROLE_COUNT; r++)
    l4p__prompt_release(&a->prompts[r]);
  l4p_llm_settings_free(a->settings);
  free(a->store_path);
  pthread_mutex_destroy(&a->lock);
  free(a);
  agent->data = NULL;
}

static const struct l4p_agent_ops llm_ops = {
    .name = "llm",
    .summary = "prompt templates sent to an OpenAI-compatible server",
    .run = llm_run,
    .destroy = llm_destroy,
};

/* Settings, templates and the first client of a new agent. */
static l4p_status setup(struct llm_agent *a, const struct l4p_agent_options *o)
{
  l4p_status st = L4P_OK;
  if (o->llm) {
    a->settings = l4p_llm_settings_dup(o->llm);
  } else if ((a->settings = l4p_llm_settings_new())) {
    st = l4p_llm_settings_load_standard(a->settings, NULL);
  }
  if (!a->settings)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  if (st)
    return st;
  if (o->store_path && !(a->store_path = strdup(o->store_path)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  a->campaign = o->campaign;
  a->cache = l4p_llm_settings_cache(a->settings);
  char *dir;
  if ((st = l4p__prompts_dir(
           l4p_llm_settings_get(a->settings, "llm.prompts_dir"), &dir)))
    return st;
  for (int r = 0; r < L4P_ROLE_COUNT && !st; r++)
    st = l4p__prompt_load(dir, (enum l4p_role)r, &a->prompts[r]);
  free(dir);
  struct l4p_llm_client *first;
  return st ? st : client_for(a, a->campaign, &first);
}

/* Make the llm agent from options (see agent-int.h); *agent is NULL on
 * failure, with the message set. */
l4p_status l4p__agent_llm_make(const struct l4p_agent_options *options,
                               struct l4p_agent **agent)
{
  *agent = calloc(1, sizeof **agent);
  struct llm_agent *a = calloc(1, sizeof *a);
  if (!*agent || !a) {
    free(*agent);
    free(a);
    *agent = NULL;
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  pthread_mutex_init(&a->lock, NULL);
  (*agent)->ops = &llm_ops;
  (*agent)->data = a;
  l4p_status st = setup(a, options);
  if (st) {
    l4p_agent_free(*agent);
    *agent = NULL;
  }
  return st;
}
