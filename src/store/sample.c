/* Reading a campaign's sample back: the measured configurations with their
 * objective values (what models train on and samplers condition on) and
 * the failed ones (which samplers must never propose again).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Room for one more measured row in sample; false when out of memory. */
static bool grow(struct l4p_sample *sample, size_t *cap)
{
  if (sample->n < *cap)
    return true;
  size_t ncap = *cap ? 2 * *cap : 16;
  size_t wc = sample->n_options ? sample->n_options : 1;
  size_t wv = sample->n_objectives ? sample->n_objectives : 1;
  void *c = realloc(sample->configs, ncap * wc * sizeof(double));
  if (!c)
    return false;
  sample->configs = c;
  void *v = realloc(sample->values, ncap * wv * sizeof(double));
  if (!v)
    return false;
  sample->values = v;
  *cap = ncap;
  return true;
}

/* The measured rows: one result row per (configuration, objective), in
 * plan order. Values average the successful repetitions; version 1 writes
 * one repetition, so this is that value. An objective without a value
 * reads as NAN. */
static l4p_status read_measured(struct l4p_store *store, int64_t campaign,
                                const struct l4p_spec *spec,
                                struct l4p_sample *sample)
{
  sqlite3_stmt *stmt;
  const char *what = "cannot read the sample";
  l4p_status st = l4p__store_prepare(
      store,
      "SELECT c.id, c.config_json, m.objective, avg(m.value) "
      "FROM configuration c LEFT JOIN measurement m"
      " ON m.configuration = c.id AND m.status = 'L4P_OK' "
      "WHERE c.campaign = ? AND c.state = 'measured' "
      "GROUP BY c.id, m.objective ORDER BY c.seq, c.id",
      &stmt, what);
  if (st != L4P_OK)
    return st;
  sqlite3_bind_int64(stmt, 1, campaign);
  size_t cap = 0;
  int64_t current = 0;
  double *values = NULL;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(stmt, 0);
    if (id != current) {
      if (!grow(sample, &cap)) {
        st = l4p_failf(L4P_ENOMEM, "out of memory");
        break;
      }
      st = l4p__store_config_parse(
          spec->space, (const char *)sqlite3_column_text(stmt, 1), id,
          sample->configs + sample->n * sample->n_options);
      if (st != L4P_OK)
        break;
      values = sample->values + sample->n * sample->n_objectives;
      for (size_t j = 0; j < sample->n_objectives; j++)
        values[j] = NAN;
      sample->n++;
      current = id;
    }
    const char *name = (const char *)sqlite3_column_text(stmt, 2);
    int j = name ? l4p_spec_find_objective(spec, name) : -1;
    if (j >= 0 && sqlite3_column_type(stmt, 3) != SQLITE_NULL)
      values[j] = sqlite3_column_double(stmt, 3);
  }
  if (st == L4P_OK && rc != SQLITE_DONE)
    st = l4p__store_fail(store, what);
  sqlite3_finalize(stmt);
  return st;
}

/* The failed configurations in plan order. */
static l4p_status read_failed(struct l4p_store *store, int64_t campaign,
                              const struct l4p_spec *spec,
                              struct l4p_sample *sample)
{
  sqlite3_stmt *stmt;
  l4p_status st = l4p__store_prepare(
      store,
      "SELECT id, config_json FROM configuration "
      "WHERE campaign = ? AND state = 'failed' ORDER BY seq",
      &stmt, "cannot read the failed configurations");
  if (st != L4P_OK)
    return st;
  sqlite3_bind_int64(stmt, 1, campaign);
  st = l4p__store_fetch_configs(store, stmt, spec->space, &sample->failed,
                                &sample->n_failed);
  sqlite3_finalize(stmt);
  return st;
}

/* Configurations that were requested but measured as another row (the
 * table oracle's nearest-row mapping): samplers must not ask again. */
static l4p_status read_mapped(struct l4p_store *store, int64_t campaign,
                              const struct l4p_spec *spec,
                              struct l4p_sample *sample)
{
  sqlite3_stmt *stmt;
  const char *what = "cannot read the mapped configurations";
  l4p_status st = l4p__store_prepare(
      store,
      "SELECT requested_key FROM configuration "
      "WHERE campaign = ? AND requested_key != key ORDER BY seq",
      &stmt, what);
  if (st != L4P_OK)
    return st;
  sqlite3_bind_int64(stmt, 1, campaign);
  size_t d = sample->n_options, cap = 0;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (sample->n_mapped == cap) {
      cap = cap ? 2 * cap : 16;
      double *grown = realloc(sample->mapped, cap * (d ? d : 1) *
                                                  sizeof *grown);
      if (!grown) {
        st = l4p_failf(L4P_ENOMEM, "out of memory");
        break;
      }
      sample->mapped = grown;
    }
    const char *key = (const char *)sqlite3_column_text(stmt, 0);
    /* a key the current space cannot read (spec changed) is skipped */
    if (key && l4p_space_config_from_key(spec->space, key,
                                         sample->mapped +
                                             sample->n_mapped * d) == L4P_OK)
      sample->n_mapped++;
  }
  if (st == L4P_OK && rc != SQLITE_DONE)
    st = l4p__store_fail(store, what);
  sqlite3_finalize(stmt);
  if (st == L4P_OK)
    l4p_clear_error();
  return st;
}

/* Fill sample (released first by nothing: it is overwritten) with the
 * campaign's measured configurations and values in plan order, which is
 * the order they were measured in, and its failed configurations. Values
 * follow spec's objectives, matched by name. The reads share one snapshot,
 * so a concurrent writer never splits them. On failure sample is empty. */
l4p_status l4p_store_sample(struct l4p_store *store, int64_t campaign,
                            const struct l4p_spec *spec,
                            struct l4p_sample *sample)
{
  memset(sample, 0, sizeof *sample);
  if (!spec || !spec->space)
    return l4p_failf(L4P_EUSAGE, "store: reading a sample needs a spec");
  sample->n_options = l4p_space_n_options(spec->space);
  sample->n_objectives = spec->n_objectives;
  l4p_status st = l4p__store_exec(store, "BEGIN", "cannot read the sample");
  if (st != L4P_OK)
    return st;
  st = l4p__store_check_campaign(store, campaign);
  if (st == L4P_OK)
    st = read_measured(store, campaign, spec, sample);
  if (st == L4P_OK)
    st = read_failed(store, campaign, spec, sample);
  if (st == L4P_OK)
    st = read_mapped(store, campaign, spec, sample);
  l4p__store_rollback(store); /* ends the read transaction */
  if (st != L4P_OK)
    l4p_sample_release(sample);
  return st;
}

/* Free a sample's arrays and empty it; an empty sample is a no-op. */
void l4p_sample_release(struct l4p_sample *sample)
{
  if (!sample)
    return;
  free(sample->configs);
  free(sample->values);
  free(sample->failed);
  free(sample->mapped);
  memset(sample, 0, sizeof *sample);
}
