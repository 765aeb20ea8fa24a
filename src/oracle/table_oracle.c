/* The table oracle: "measures" a configuration by looking it up in a
 * measured table. A configuration that is not a row is answered by the
 * nearest row not yet in the sample (the mapping is reported, so a study
 * can record it), which keeps every measured configuration distinct.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/table.h"
#include "oracle-int.h"
#include "util/failf.h"
#include "util/banned.h"

struct table_oracle {
  struct l4p_table *table;
  bool *taken; /* rows already in the sample */
};

static l4p_status table_open(struct l4p_oracle *oracle)
{
  struct table_oracle *t = calloc(1, sizeof *t);
  if (!t)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = l4p_table_load_for(oracle->spec, &t->table);
  if (st) {
    free(t);
    return st;
  }
  if (!(t->taken = calloc(t->table->n_rows + 1, sizeof *t->taken))) {
    l4p_table_free(t->table);
    free(t);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  oracle->data = t;
  return L4P_OK;
}

static void measure_one(struct l4p_oracle *oracle, struct table_oracle *t,
                        struct l4p_measurement *m)
{
  const struct l4p_spec *spec = oracle->spec;
  size_t d = l4p_space_n_options(spec->space);
  long row = l4p_table_find(t->table, m->requested);
  if (row < 0 || t->taken[row]) {
    row = l4p_table_nearest(t->table, spec->space, m->requested, t->taken);
    m->mapped = true;
  }
  if (row < 0) {
    m->status = L4P_EORACLE;
    snprintf(m->error, sizeof m->error,
             "every row of the table is already "
             "in the sample");
    return;
  }
  t->taken[row] = true;
  m->row = row;
  memcpy(m->config, t->table->configs + (size_t)row * d, d * sizeof *m->config);
  const double *values = t->table->values + (size_t)row * spec->n_objectives;
  for (size_t j = 0; j < spec->n_objectives; j++) {
    m->values[j] = values[j];
    if (isnan(values[j]) && m->status == L4P_OK) {
      m->status = L4P_EORACLE;
      snprintf(m->error, sizeof m->error,
               "table row %ld has no value for "
               "'%s'",
               row + 1, spec->objectives[j].name);
    }
  }
}

static l4p_status table_measure(struct l4p_oracle *oracle,
                                struct l4p_measurement *batch, size_t n)
{
  for (size_t k = 0; k < n; k++)
    measure_one(oracle, oracle->data, &batch[k]);
  return L4P_OK;
}

static void table_mark(struct l4p_oracle *oracle, const double *cfg)
{
  struct table_oracle *t = oracle->data;
  long row = l4p_table_find(t->table, cfg);
  if (row >= 0)
    t->taken[row] = true;
}

static void table_close(struct l4p_oracle *oracle)
{
  struct table_oracle *t = oracle->data;
  if (!t)
    return;
  l4p_table_free(t->table);
  free(t->taken);
  free(t);
}

const struct l4p_oracle_ops l4p__oracle_table = {
    .name = "table",
    .open = table_open,
    .measure = table_measure,
    .mark_measured = table_mark,
    .close = table_close,
};
