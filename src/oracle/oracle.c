/* Oracle registry and dispatch: the spec's "oracle.type" picks the
 * implementation; every batch is checked against the space before it
 * reaches one, so nothing invalid is ever measured.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle-int.h"
#include "util/failf.h"
#include "util/banned.h"

static const struct l4p_oracle_ops *const oracles[] = {
    &l4p__oracle_table,
    &l4p__oracle_command,
};

l4p_status l4p_oracle_open(const struct l4p_spec *spec, struct l4p_oracle **out)
{
  return l4p_oracle_open_with(spec, NULL, out);
}

/* See oracle.h. opts (may be NULL) is copied; its strings are borrowed. */
l4p_status l4p_oracle_open_with(const struct l4p_spec *spec,
                                const struct l4p_oracle_opts *opts,
                                struct l4p_oracle **out)
{
  if (!spec->oracle_type)
    return l4p_failf(L4P_EUSAGE,
                     "system '%s' has no oracle: nothing can be "
                     "measured",
                     spec->name);
  const struct l4p_oracle_ops *ops = NULL;
  for (size_t k = 0; k < sizeof oracles / sizeof oracles[0]; k++)
    if (strcmp(oracles[k]->name, spec->oracle_type) == 0)
      ops = oracles[k];
  if (!ops)
    return l4p_failf(L4P_EUSAGE, "system '%s': unknown oracle type '%s'",
                     spec->name, spec->oracle_type);
  struct l4p_oracle *oracle = calloc(1, sizeof *oracle);
  if (!oracle)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  oracle->ops = ops;
  oracle->spec = spec;
  if (opts)
    oracle->opts = *opts;
  l4p_status st = ops->open(oracle);
  if (st) {
    free(oracle);
    return st;
  }
  *out = oracle;
  return L4P_OK;
}

void l4p_oracle_free(struct l4p_oracle *oracle)
{
  if (!oracle)
    return;
  oracle->ops->close(oracle);
  free(oracle);
}

const char *l4p_oracle_name(const struct l4p_oracle *oracle)
{
  return oracle->ops->name;
}

l4p_status l4p_oracle_measure(struct l4p_oracle *oracle,
                              struct l4p_measurement *batch, size_t n)
{
  size_t d = l4p_space_n_options(oracle->spec->space);
  for (size_t k = 0; k < n; k++) {
    struct l4p_measurement *m = &batch[k];
    m->status = L4P_OK;
    m->error[0] = '\0';
    m->mapped = false;
    m->row = -1;
    m->n_reps = 0;
    m->reps = NULL;
    memcpy(m->config, m->requested, d * sizeof *m->config);
    for (size_t j = 0; j < oracle->spec->n_objectives; j++)
      m->values[j] = NAN;
    l4p_status st = l4p_space_validate(oracle->spec->space, m->requested);
    if (st) {
      /* a caller bug: refuse, never measure an invalid configuration */
      return l4p_failf_keep(st, "refusing to measure an invalid "
                                "configuration");
    }
  }
  return oracle->ops->measure(oracle, batch, n);
}

void l4p_oracle_mark_measured(struct l4p_oracle *oracle, const double *cfg)
{
  if (oracle->ops->mark_measured)
    oracle->ops->mark_measured(oracle, cfg);
}
