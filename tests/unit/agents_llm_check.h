/* The rig and checks shared by the llm agent's unit tests
 * (test_agents_llm_roles.c: what each role sends and reads back;
 * test_agents_llm_faults.c: bad answers, retries, unreachable servers,
 * the key, the cache and concurrency), against tests/fake_llm_server.c:
 * good answers per role, script steps, a rig of fake server, settings,
 * agent and the toy spec, each role's input for the toy spec, and checks
 * of the server's log. Include after cmocka's prerequisites and
 * cmocka.h. */
#ifndef L4P_AGENTS_LLM_CHECK_H
#define L4P_AGENTS_LLM_CHECK_H

#include <stddef.h>

#include <jansson.h>

#include "llm4perf/agent.h"
#include "llm4perf/llm.h"
#include "llm4perf/spec.h"
#include "testutil.h"

/* The API key the tests set (L4P_TEST_KEY); it must never leak. */
#define KEY "sk-agent-SECRET-7171"

/* A good answer per role, for the toy spec. */
extern const char *const ok_answer[L4P_ROLE_COUNT];

/* Set the environment the tests need (call first in main): no proxy
 * between them and the local fake server, L4P_TEST_KEY set to KEY, and
 * no L4P_PROMPTS_DIR or L4P_LLM_CACHE. */
void agents_llm_env(void);

/* A script step answering content (when not NULL) to requests holding
 * match (when not NULL). */
json_t *step(const char *match, const char *content);

/* A fake server, settings for it, the llm agent and the toy spec. */
struct rig {
  struct tu_fake fake;
  struct l4p_llm_settings *settings;
  struct l4p_agent *agent;
  struct l4p_spec *spec;
};

/* Start a server playing script (stolen), settings (plus sets, a NULL
 * ended list of NAME=VALUE) and an agent; db (may be NULL) for the
 * cache. */
void rig_start(struct rig *r, json_t *script, const char *db,
               const char *const *sets);
/* Stop the server (when running) and free everything. */
void rig_stop(struct rig *r);

/* role's input document for the toy spec (free() it). */
char *input_for(const struct rig *r, enum l4p_role role);
/* Run role through r's agent (campaign 0); the status, *out set. */
l4p_status run_role(struct rig *r, enum l4p_role role, char **out);
/* Run role and expect success. */
char *run_ok(struct rig *r, enum l4p_role role);

/* The user (k 1) or system (k 0) message of logged request i (free()
 * it); fails when there is none. */
char *message(json_t *log, size_t i, size_t k);
/* Fail unless text holds want. */
void expect_has(const char *text, const char *want);
/* How many requests the server logged (summary line aside). */
size_t n_requests(json_t *log);

#endif
