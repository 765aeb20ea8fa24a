/* Reading a campaign's sample back: the measured configurations with their
 * objective values (what models train on and samplers condition on) and
 * the failed ones (which samplers must never propose again).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store-int.h"
#include "util/failf.h"
#include "util/summary.h"
#include "util/banned.h"

/* Grow one array of sample rows to cap rows of width w; false when out of
 * memory (the array is left as it was). */
static bool grow_rows(void **rows, size_t cap, size_t w, size_t size)
{
  void *grown = realloc(*rows, cap * (w ? w : 1) * size);
  if (!grown)
    return false;
  *rows = grown;
  return true;
}

/* Room for one more measured row in sample; false when out of memory. */
static bool grow(struct l4p_sample *sample, size_t *cap)
{
  if (sample->n < *cap)
    return true;
  size_t ncap = *cap ? 2 * *cap : 16, no = sample->n_objectives;
  if (!grow_rows((void **)&sample->configs, ncap, sample->n_options,
                 sizeof(double)) ||
      !grow_rows((void **)&sample->values, ncap, no, sizeof(double)) ||
      !grow_rows((void **)&sample->rsd, ncap, no, sizeof(double)) ||
      !grow_rows((void **)&sample->reps, ncap, no, sizeof(size_t)))
    return false;
  *cap = ncap;
  return true;
}

/* The successful repetitions of one objective of one configuration, as
 * the rows come. */
struct reps {
  int objective; /* index in the spec, or -1 */
  double *v;
  size_t n, cap;
};

/* Summarise what r gathered into the sample's last row and empty it. */
static void flush(struct l4p_sample *sample, struct reps *r)
{
  if (r->objective >= 0 && sample->n) {
    size_t at = (sample->n - 1) * sample->n_objectives + (size_t)r->objective;
    sample->reps[at] = r->n;
    sample->rsd[at] = l4px_rsd(r->v, r->n);
    sample->values[at] = l4px_median(r->v, r->n);
  }
  r->objective = -1;
  r->n = 0;
}

static bool add_rep(struct reps *r, double v)
{
  if (r->n == r->cap) {
    size_t cap = r->cap ? 2 * r->cap : 8;
    double *grown = realloc(r->v, cap * sizeof *grown);
    if (!grown)
      return false;
    r->v = grown;
    r->cap = cap;
  }
  r->v[r->n++] = v;
  return true;
}

/* Start a new measured row for configuration id; its objectives start
 * as not measured. */
static l4p_status new_row(struct l4p_sample *sample, size_t *cap,
                          const struct l4p_spec *spec, int64_t id,
                          const char *json)
{
  if (!grow(sample, cap))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = l4p__store_config_parse(
      spec->space, json, id, sample->configs + sample->n * sample->n_options);
  if (st != L4P_OK)
    return st;
  size_t at = sample->n * sample->n_objectives;
  for (size_t j = 0; j < sample->n_objectives; j++) {
    sample->values[at + j] = NAN;
    sample->rsd[at + j] = NAN;
    sample->reps[at + j] = 0;
  }
  sample->n++;
  return L4P_OK;
}

/* The measured rows in plan order: each objective's value is the median
 * of its successful repetitions, read in (configuration, objective)
 * groups. An objective without a value reads as NAN. */
static l4p_status read_measured(struct l4p_store *store, int64_t campaign,
                                const struct l4p_spec *spec,
                                struct l4p_sample *sample)
{
  sqlite3_stmt *stmt;
  const char *what = "cannot read the sample";
  l4p_status st =
      l4p__store_prepare(store,
                         "SELECT c.id, c.config_json, m.objective, m.value "
                         "FROM configuration c LEFT JOIN measurement m"
                         " ON m.configuration = c.id AND m.status = 'L4P_OK' "
                         "WHERE c.campaign = ? AND c.state = 'measured' "
                         "ORDER BY c.seq, c.id, m.objective",
                         &stmt, what);
  if (st != L4P_OK)
    return st;
  sqlite3_bind_int64(stmt, 1, campaign);
  size_t cap = 0;
  int64_t current = 0;
  struct reps r = {-1, NULL, 0, 0};
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(stmt, 0);
    const char *name = (const char *)sqlite3_column_text(stmt, 2);
    int j = name ? l4p_spec_find_objective(spec, name) : -1;
    if (id != current || j != r.objective)
      flush(sample, &r);
    if (id != current &&
        (st = new_row(sample, &cap, spec, id,
                      (const char *)sqlite3_column_text(stmt, 1))))
      break;
    current = id;
    r.objective = j;
    if (j >= 0 && sqlite3_column_type(stmt, 3) != SQLITE_NULL &&
        !add_rep(&r, sqlite3_column_double(stmt, 3))) {
      st = l4p_failf(L4P_ENOMEM, "out of memory");
      break;
    }
  }
  if (st == L4P_OK)
    flush(sample, &r);
  if (st == L4P_OK && rc != SQLITE_DONE)
    st = l4p__store_fail(store, what);
  free(r.v);
  sqlite3_finalize(stmt);
  return st;
}

/* The failed configurations in plan order. */
static l4p_status read_failed(struct l4p_store *store, int64_t campaign,
                              const struct l4p_spec *spec,
                              struct l4p_sample *sample)
{
  sqlite3_stmt *stmt;
  l4p_status st =
      l4p__store_prepare(store,
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
      double *grown =
          realloc(sample->mapped, cap * (d ? d : 1) * sizeof *grown);
      if (!grown) {
        st = l4p_failf(L4P_ENOMEM, "out of memory");
        break;
      }
      sample->mapped = grown;
    }
    const char *key = (const char *)sqlite3_column_text(stmt, 0);
    /* a key the current space cannot read (spec changed) is skipped */
    if (key &&
        l4p_space_config_from_key(
            spec->space, key, sample->mapped + sample->n_mapped * d) == L4P_OK)
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
 * campaign's measured configurations and the medians of their repetitions
 * in plan order, which is the order they were measured in, and its failed
 * configurations. Values follow spec's objectives, matched by name. The
 * reads share one snapshot, so a concurrent writer never splits them. On
 * failure sample is empty. */
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
  free(sample->rsd);
  free(sample->reps);
  free(sample->failed);
  free(sample->mapped);
  memset(sample, 0, sizeof *sample);
}
