/* The results store: one SQLite database per run (or study) holding
 * campaigns, the configurations they planned and measured, one row per
 * measured objective value and repetition, an event log, every LLM
 * exchange (request, answer, usage) for audit and offline replay, and the
 * LLM4Perf sampler's intermediate artefacts.
 *
 * Invariants: WAL mode; every measured batch is written in one
 * transaction, so a process killed at any point (even SIGKILL) leaves
 * either the whole batch or none of it; a configuration appears at most
 * once per campaign; the schema carries a version and is migrated forward
 * on open. The layout is documented in docs/internals/STORE-SCHEMA.md. */
#ifndef LLM4PERF_STORE_H
#define LLM4PERF_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "llm4perf/oracle.h"
#include "llm4perf/spec.h"
#include "llm4perf/status.h"

struct l4p_store;

/* Schema version this build writes. */
#define L4P_STORE_SCHEMA_VERSION 4

/* Open (creating if needed) the database at path and migrate it to the
 * current schema. ESTORE with SQLite's message on failure, including a
 * database written by a newer llm4perf. */
l4p_status l4p_store_open(const char *path, struct l4p_store **store);
void l4p_store_close(struct l4p_store *store);
/* Schema version found in the file when it was opened (0 = new). */
int l4p_store_opened_version(const struct l4p_store *store);

/* What identifies a campaign: rerunning with the same key resumes it. */
struct l4p_campaign_key {
  const char *system;    /* spec name */
  const char *spec_json; /* the spec as JSON, kept so the db stands alone */
  const char *sampler;
  const char *params; /* sampler parameters as canonical JSON, or "{}" */
  uint64_t seed;
  size_t budget;
};

/* Find the campaign with this key or create it; *resumed tells which. */
l4p_status l4p_store_campaign(struct l4p_store *store,
                              const struct l4p_campaign_key *key, int64_t *id,
                              bool *resumed);

/* The spec a campaign was run with (l4p_spec_free it). */
l4p_status l4p_store_campaign_spec(struct l4p_store *store, int64_t campaign,
                                   struct l4p_spec **spec);

/* The parameters a campaign was run with, as stored (canonical JSON;
 * free() it). ESTORE when there is no such campaign. */
l4p_status l4p_store_campaign_params(struct l4p_store *store, int64_t campaign,
                                     char **params);

/* Mark a campaign finished (or not) and read that flag back. */
l4p_status l4p_store_campaign_finish(struct l4p_store *store, int64_t campaign);
l4p_status l4p_store_campaign_done(struct l4p_store *store, int64_t campaign,
                                   bool *done);

/* One row of l4p_store_list. */
struct l4p_campaign_info {
  int64_t id;
  char system[128], sampler[64];
  uint64_t seed;
  size_t budget, measured, failed, planned;
  bool done;
};
/* All campaigns in id order into a new array (free() it). */
l4p_status l4p_store_list(struct l4p_store *store,
                          struct l4p_campaign_info **list, size_t *n);

/* Record configurations the sampler proposed, before measuring them, in
 * one transaction. Configurations already in the campaign are skipped;
 * *added (may be NULL) counts the new ones. */
l4p_status l4p_store_plan(struct l4p_store *store, int64_t campaign,
                          const struct l4p_space *space, const double *cfgs,
                          size_t n, size_t *added);

/* Planned configurations not yet measured, in plan order, into a new
 * n x n_options array (free() it). */
l4p_status l4p_store_pending(struct l4p_store *store, int64_t campaign,
                             const struct l4p_space *space, double **cfgs,
                             size_t *n);

/* Store a measured batch in one transaction: each planned configuration
 * becomes measured (or failed, with its reason); a configuration the oracle
 * mapped to another one is stored as the one measured, and the mapping is
 * logged as an event. Nothing is written when any step fails. */
l4p_status l4p_store_record(struct l4p_store *store, int64_t campaign,
                            const struct l4p_spec *spec,
                            const struct l4p_measurement *batch, size_t n);

/* The measured sample of a campaign, in measurement order. Failed
 * configurations are counted but not returned. A value is the median of
 * the configuration's stored repetitions (the value itself when there is
 * one). */
struct l4p_sample {
  size_t n, n_options, n_objectives;
  double *configs; /* n x n_options */
  double *values;  /* n x n_objectives: medians, NAN when not measured */
  double *rsd;     /* n x n_objectives: relative standard deviation of
                        the repetitions (0 for one; NAN when none) */
  size_t *reps;    /* n x n_objectives: repetitions stored */
  size_t n_failed;
  double *failed; /* n_failed x n_options: never proposed again */
  size_t n_mapped;
  double *mapped; /* n_mapped x n_options: requested, but measured as
                        another row; never proposed again either */
};
l4p_status l4p_store_sample(struct l4p_store *store, int64_t campaign,
                            const struct l4p_spec *spec,
                            struct l4p_sample *sample);
void l4p_sample_release(struct l4p_sample *sample);

/* Why a campaign's measurements failed: each distinct reason with how
 * many configurations it stopped. */
struct l4p_failure_count {
  char reason[256];
  size_t count;
};
/* The campaign's failure reasons, most frequent first, into a new array
 * (free() it; NULL when nothing failed). ESTORE. */
l4p_status l4p_store_failures(struct l4p_store *store, int64_t campaign,
                              struct l4p_failure_count **list, size_t *n);

/* Append an event (kind such as "mapped", "resume", "warning"). */
l4p_status l4p_store_event(struct l4p_store *store, int64_t campaign,
                           const char *kind, const char *message);

/* Write a campaign's measured configurations and objective values as CSV
 * (header: options then objectives) to out. */
l4p_status l4p_store_export_csv(struct l4p_store *store, int64_t campaign,
                                FILE *out);

/* ------------------------------------------------- LLM exchanges (v2) */

/* One HTTP attempt of an LLM call, as a row of llm_exchange. Only the
 * request body is kept: headers (where the key travels) never are. */
struct l4p_llm_exchange {
  int64_t campaign; /* 0: not tied to a campaign */
  const char *role;
  const char *model;
  const char *request_hash;  /* l4p_llm_request_hash, 64 hex digits */
  const char *request_json;  /* the body sent in this attempt */
  const char *response_text; /* the answer's text, or the raw body when
                                 it held none; NULL when nothing came */
  const char *reply_json;    /* the accepted answer, compact; or NULL */
  const char *status;        /* "ok" (accepted), "retry" (another
                                 attempt followed), "error" (the call
                                 failed with this attempt) */
  const char *error;         /* why not accepted; NULL for "ok" */
  const char *finish_reason; /* NULL when unknown */
  long http_status;          /* 0: no HTTP answer */
  long prompt_tokens;        /* -1: not reported */
  long completion_tokens;    /* -1: not reported */
  double latency_ms;
  int attempt; /* 1, 2, ... within the call */
};

/* Append an exchange (autocommit); *id (may be NULL) gets its row id.
 * EUSAGE for a missing field or bad status; ESTORE. */
l4p_status l4p_store_exchange_add(struct l4p_store *store,
                                  const struct l4p_llm_exchange *exchange,
                                  int64_t *id);

/* A recorded answer found by l4p_store_exchange_find (heap strings). */
struct l4p_llm_recorded {
  int64_t id;
  char *response_text;
  char *reply_json;    /* NULL for a free-text answer */
  char *finish_reason; /* NULL when unknown */
};

/* The latest accepted ("ok") exchange with request_hash, from any
 * campaign. *found tells whether there is one; answer is filled only
 * then (release it with l4p_llm_recorded_release). ESTORE. */
l4p_status l4p_store_exchange_find(struct l4p_store *store,
                                   const char *request_hash,
                                   struct l4p_llm_recorded *answer,
                                   bool *found);
void l4p_llm_recorded_release(struct l4p_llm_recorded *answer);

/* LLM usage of one role, summed over its stored attempts. */
struct l4p_llm_usage {
  char role[64];
  long calls;         /* calls made (attempts numbered 1) */
  long attempts;      /* HTTP attempts, retries included */
  long retries;       /* attempts after a call's first */
  long failed;        /* calls that ended in an error */
  long prompt_tokens; /* reported by the server; unknown counts 0 */
  long completion_tokens;
  double latency_s; /* total time spent in HTTP attempts */
};

/* Usage per role for one campaign (campaign <= 0: the whole store), in
 * role order, into a new array (free() it; NULL when there is none).
 * ESTORE. */
l4p_status l4p_store_llm_usage(struct l4p_store *store, int64_t campaign,
                               struct l4p_llm_usage **usage, size_t *n);

/* ---------------------------------------------- artefacts (v3) */

/* One intermediate artefact of the LLM4Perf sampler (docs/LLM4PERF.md):
 * kind is "decisions", "analysis", "strategy", "proposals", "votes",
 * "batch" or "diagnostics"; generator is -1 for artefacts of a whole
 * iteration. (campaign, iteration, kind, generator) identifies a row. */
struct l4p_artifact {
  int64_t id;
  long iteration; /* 0: pruning and the initial batch */
  char kind[16];
  int generator;    /* 0, 1, ...; -1: none */
  char *json;       /* the document (heap) */
  char created[32]; /* ISO 8601 UTC */
};

/* Store an artefact unless one with the same campaign, iteration, kind
 * and generator exists (then nothing changes: a resumed iteration never
 * duplicates or rewrites what was stored). *added (may be NULL) says
 * which. EUSAGE for an unknown kind, a negative iteration or empty json;
 * ESTORE. */
l4p_status l4p_store_artifact_add(struct l4p_store *store, int64_t campaign,
                                  long iteration, const char *kind,
                                  int generator, const char *json, bool *added);

/* The campaign's artefacts (only those of kind, unless NULL) ordered by
 * iteration, then kind as listed above, then generator (none first),
 * into a new array (release with l4p_store_artifacts_free; NULL when
 * there are none). ESTORE. */
l4p_status l4p_store_artifacts(struct l4p_store *store, int64_t campaign,
                               const char *kind, struct l4p_artifact **list,
                               size_t *n);
void l4p_store_artifacts_free(struct l4p_artifact *list, size_t n);

#endif
