/* The results store: one SQLite database per run (or study) holding
 * campaigns, the configurations they planned and measured, one row per
 * measured objective value and repetition, and an event log.
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
#define L4P_STORE_SCHEMA_VERSION 1

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
  const char *params;    /* sampler parameters as canonical JSON, or "{}" */
  uint64_t seed;
  size_t budget;
};

/* Find the campaign with this key or create it; *resumed tells which. */
l4p_status l4p_store_campaign(struct l4p_store *store,
                              const struct l4p_campaign_key *key,
                              int64_t *id, bool *resumed);

/* The spec a campaign was run with (l4p_spec_free it). */
l4p_status l4p_store_campaign_spec(struct l4p_store *store, int64_t campaign,
                                   struct l4p_spec **spec);

/* Mark a campaign finished (or not) and read that flag back. */
l4p_status l4p_store_campaign_finish(struct l4p_store *store,
                                     int64_t campaign);
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
 * configurations are counted but not returned. */
struct l4p_sample {
  size_t n, n_options, n_objectives;
  double *configs;   /* n x n_options */
  double *values;    /* n x n_objectives */
  size_t n_failed;
  double *failed;    /* n_failed x n_options: never proposed again */
  size_t n_mapped;
  double *mapped;    /* n_mapped x n_options: requested, but measured as
                        another row; never proposed again either */
};
l4p_status l4p_store_sample(struct l4p_store *store, int64_t campaign,
                            const struct l4p_spec *spec,
                            struct l4p_sample *sample);
void l4p_sample_release(struct l4p_sample *sample);

/* Append an event (kind such as "mapped", "resume", "warning"). */
l4p_status l4p_store_event(struct l4p_store *store, int64_t campaign,
                           const char *kind, const char *message);

/* Write a campaign's measured configurations and objective values as CSV
 * (header: options then objectives) to out. */
l4p_status l4p_store_export_csv(struct l4p_store *store, int64_t campaign,
                                FILE *out);

#endif
