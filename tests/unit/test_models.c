/* Unit tests for the model layer (src/models): a contract every registered
 * model must meet (fits a known function, save -> load -> predict is
 * bitwise identical, same seed gives the same predictions), the argument
 * checks of model.c, XGBoost's error paths and tuning, the Pareto filter,
 * and the multi-objective wrapper on the toy fixture (tests/data/toy).
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/metrics.h"
#include "llm4perf/model.h"
#include "llm4perf/rng.h"
#include "llm4perf/table.h"
#include "models/model-int.h"
#include "testutil.h"

#define assert_error_has(text)                                     \
  do {                                                             \
    if (!strstr(l4p_last_error(), (text)))                         \
      fail_msg("error '%s' lacks '%s'", l4p_last_error(), (text)); \
  } while (0)

/* Synthetic data: x0, x2 binary, x1 an integer in [0, 9], x3 a float in
 * [0, 1) that does not matter; y = 3*x0 + 2*x1 + 5*x0*x2 (range 26). */
#define D 4
#define N_ROWS 100
#define N_TRAIN 80
#define Y_RANGE 26.0

static void synth(double *X, double *y, size_t n, uint64_t seed)
{
  struct l4p_rng *rng = l4p_rng_new(seed);
  assert_non_null(rng);
  for (size_t r = 0; r < n; r++) {
    double *x = X + r * D;
    x[0] = (double)l4p_rng_below(rng, 2);
    x[1] = (double)l4p_rng_below(rng, 10);
    x[2] = (double)l4p_rng_below(rng, 2);
    x[3] = l4p_rng_uniform(rng);
    y[r] = 3 * x[0] + 2 * x[1] + 5 * x[0] * x[2];
  }
  l4p_rng_free(rng);
}

/* Parameters every model accepts quickly: DeepPerf gets fixed
 * hyper-parameters so the contract does not run its search. */
static struct l4p_model_params quick_params(uint64_t seed)
{
  return (struct l4p_model_params){.profile = L4P_PROFILE_FAST,
                                   .seed = seed,
                                   .threads = 1,
                                   .has_hyper = true,
                                   .hyper_layers = 3,
                                   .hyper_lr = 0.01,
                                   .hyper_lambda = 0.01};
}

static struct l4p_model *fit_synth(const struct l4p_model_ops *ops,
                                   uint64_t seed, const double *X,
                                   const double *y)
{
  struct l4p_model_params p = quick_params(seed);
  struct l4p_model *m;
  assert_int_equal(l4p_model_new(ops, &p, D, &m), L4P_OK);
  l4p_status st = l4p_model_fit(m, X, y, N_TRAIN);
  if (st)
    fail_msg("%s: fit failed: %s", ops->name, l4p_last_error());
  return m;
}

/* Every registered model: small error on held-out rows, an exact save ->
 * load round trip, and the same predictions for the same seed. The bound:
 * predicting the mean scores about 0.25 here; XGBoost's defaults scored
 * 0.003-0.060 over 20 data seeds (0.026 on this one) and DeepPerf 0.007,
 * so 0.08 leaves a margin without accepting a useless model. */
static void test_contract(void **state)
{
  (void)state;
  double X[N_ROWS * D], y[N_ROWS];
  synth(X, y, N_ROWS, 42);
  const double *Xt = X + N_TRAIN * D, *yt = y + N_TRAIN;
  size_t nt = N_ROWS - N_TRAIN;
  assert_true(l4p_model_count() >= 1);
  for (size_t i = 0; i < l4p_model_count(); i++) {
    const struct l4p_model_ops *ops = l4p_model_at(i);
    assert_ptr_equal(l4p_model_find(ops->name), ops);
    struct l4p_model *m = fit_synth(ops, 3, X, y);
    double pred[N_ROWS - N_TRAIN], again[N_ROWS - N_TRAIN];
    assert_int_equal(l4p_model_predict(m, Xt, nt, pred), L4P_OK);
    double nrmse = l4p_metrics_nrmse(pred, yt, nt, Y_RANGE);
    print_message("%s: held-out nrmse %.4f\n", ops->name, nrmse);
    if (!(nrmse < 0.08))
      fail_msg("%s: held-out nrmse %g >= 0.08", ops->name, nrmse);

    char *blob;
    size_t len;
    assert_int_equal(l4p__model_save(m, &blob, &len), L4P_OK);
    struct l4p_model *back;
    struct l4p_model_params p = quick_params(3);
    assert_int_equal(l4p_model_new(ops, &p, D, &back), L4P_OK);
    assert_false(back->fitted);
    assert_int_equal(l4p__model_load(back, blob, len), L4P_OK);
    assert_true(back->fitted);
    assert_int_equal(l4p_model_predict(back, Xt, nt, again), L4P_OK);
    if (memcmp(pred, again, sizeof pred))
      fail_msg("%s: predictions differ after save and load", ops->name);
    free(blob);
    l4p_model_free(back);

    struct l4p_model *twin = fit_synth(ops, 3, X, y);
    assert_int_equal(l4p_model_predict(twin, Xt, nt, again), L4P_OK);
    if (memcmp(pred, again, sizeof pred))
      fail_msg("%s: same seed, different predictions", ops->name);
    l4p_model_free(twin);
    l4p_model_free(m);
  }
}

/* model.c's checks apply to every model; the first one is enough. */
static void test_checks(void **state)
{
  (void)state;
  const struct l4p_model_ops *ops = l4p_model_at(0);
  struct l4p_model *m;
  assert_int_equal(l4p_model_new(ops, NULL, 0, &m), L4P_EUSAGE);
  assert_null(m);
  assert_int_equal(l4p_model_new(NULL, NULL, D, &m), L4P_EUSAGE);
  assert_int_equal(l4p_model_new(ops, NULL, D, &m), L4P_OK);
  double X[N_ROWS * D], y[N_ROWS], out[N_ROWS];
  synth(X, y, N_ROWS, 1);
  assert_int_equal(l4p_model_predict(m, X, 1, out), L4P_EMODEL);
  assert_error_has("before fit");
  assert_int_equal(l4p_model_fit(m, X, y, 0), L4P_EMODEL);
  assert_error_has("0 rows");
  y[5] = NAN;
  assert_int_equal(l4p_model_fit(m, X, y, 10), L4P_EMODEL);
  assert_error_has("row 5: target 0 is nan");
  y[5] = 1;
  X[7 * D + 2] = INFINITY;
  assert_int_equal(l4p_model_fit(m, X, y, 10), L4P_EMODEL);
  assert_error_has("row 7: feature 2 is inf");
  assert_false(m->fitted);
  X[7 * D + 2] = 0;
  assert_int_equal(l4p_model_fit(m, X, y, 10), L4P_OK);
  X[3 * D] = NAN;
  assert_int_equal(l4p_model_predict(m, X, 10, out), L4P_EMODEL);
  assert_error_has("row 3: feature 0 is nan");
  assert_int_equal(l4p_model_predict(m, X, 0, out), L4P_OK);
  l4p_model_free(m);
  l4p_model_free(NULL);
  assert_null(l4p_model_find("no-such-model"));
}

/* XGBoost reports bad saved models instead of crashing on them. */
static void test_xgboost_load_errors(void **state)
{
  (void)state;
  const struct l4p_model_ops *xgb = l4p_model_find("xgboost");
  assert_non_null(xgb);
  struct l4p_model *m;
  assert_int_equal(l4p_model_new(xgb, NULL, D, &m), L4P_OK);
  const char garbage[] = "\x7f"
                         "ELF\x01\x02 not a model at all";
  assert_int_equal(l4p__model_load(m, garbage, sizeof garbage), L4P_EMODEL);
  assert_error_has("not XGBoost JSON");
  assert_false(m->fitted);
  const char json[] = "{\"learner\": 3}";
  assert_int_equal(l4p__model_load(m, json, strlen(json)), L4P_EMODEL);
  assert_error_has("xgboost: cannot load the saved model: ");
  assert_null(strchr(l4p_last_error(), '\n'));
  assert_int_equal(l4p__model_load(m, "", 0), L4P_EMODEL);
  char *blob;
  size_t len;
  assert_int_equal(l4p__model_save(m, &blob, &len), L4P_EMODEL);
  assert_error_has("never fitted");

  /* a model of 4 features loaded where 3 are expected */
  double X[N_ROWS * D], y[N_ROWS];
  synth(X, y, N_ROWS, 2);
  assert_int_equal(l4p_model_fit(m, X, y, 20), L4P_OK);
  assert_int_equal(l4p__model_save(m, &blob, &len), L4P_OK);
  struct l4p_model *narrow;
  assert_int_equal(l4p_model_new(xgb, NULL, D - 1, &narrow), L4P_OK);
  assert_int_equal(l4p__model_load(narrow, blob, len), L4P_EMODEL);
  assert_error_has("saved model has 4 features, expected 3");
  free(blob);
  l4p_model_free(narrow);
  l4p_model_free(m);
}

/* A single row, and tuning on 1, 3 and 60 rows (k = n below 5 rows);
 * tuning is deterministic and fits the function no worse than 0.05
 * (measured 0.030). */
static void test_xgboost_small_and_tuned(void **state)
{
  (void)state;
  const struct l4p_model_ops *xgb = l4p_model_find("xgboost");
  double X[N_ROWS * D], y[N_ROWS], pred[N_ROWS], again[N_ROWS];
  synth(X, y, N_ROWS, 9);
  struct l4p_model_params p = {.seed = 5, .threads = 1, .tune = true};
  size_t sizes[] = {1, 3, N_TRAIN};
  for (size_t k = 0; k < 3; k++) {
    struct l4p_model *m;
    assert_int_equal(l4p_model_new(xgb, &p, D, &m), L4P_OK);
    assert_int_equal(l4p_model_fit(m, X, y, sizes[k]), L4P_OK);
    assert_int_equal(l4p_model_predict(m, X, N_ROWS, pred), L4P_OK);
    if (sizes[k] == 1)
      assert_true(fabs(pred[50] - y[0]) < 1e-3);
    l4p_model_free(m);
  }
  struct l4p_model *m;
  assert_int_equal(l4p_model_new(xgb, &p, D, &m), L4P_OK);
  assert_int_equal(l4p_model_fit(m, X, y, N_TRAIN), L4P_OK);
  assert_int_equal(
      l4p_model_predict(m, X + N_TRAIN * D, N_ROWS - N_TRAIN, again), L4P_OK);
  double nrmse =
      l4p_metrics_nrmse(again, y + N_TRAIN, N_ROWS - N_TRAIN, Y_RANGE);
  print_message("xgboost tuned: held-out nrmse %.4f\n", nrmse);
  assert_true(nrmse < 0.05);
  assert_int_equal(l4p_model_fit(m, X, y, N_TRAIN), L4P_OK);
  assert_int_equal(
      l4p_model_predict(m, X + N_TRAIN * D, N_ROWS - N_TRAIN, pred), L4P_OK);
  assert_memory_equal(pred, again, (N_ROWS - N_TRAIN) * sizeof *pred);
  l4p_model_free(m);
}

/* Time minimised, quality maximised, checked by hand: row 2 is dominated
 * by row 0, row 3 by row 1; rows 0 and 4 are equal and both kept. */
static void test_pareto_front(void **state)
{
  (void)state;
  const double v[] = {1, 5, 2, 6, 2, 4, 3, 6, 1, 5, 0.5, 1, 4, 7};
  const enum l4p_goal goals[] = {L4P_MINIMIZE, L4P_MAXIMIZE};
  size_t idx[7], n_idx;
  assert_int_equal(l4p__pareto_front(v, 7, 2, goals, idx, &n_idx), L4P_OK);
  size_t want[] = {0, 1, 4, 5, 6};
  assert_int_equal(n_idx, 5);
  for (size_t k = 0; k < 5; k++)
    assert_int_equal(idx[k], want[k]);
  /* both minimised: only (0.5, 1) survives */
  const enum l4p_goal both_min[] = {L4P_MINIMIZE, L4P_MINIMIZE};
  assert_int_equal(l4p__pareto_front(v, 7, 2, both_min, idx, &n_idx), L4P_OK);
  assert_int_equal(n_idx, 1);
  assert_int_equal(idx[0], 5);
  assert_int_equal(l4p__pareto_front(v, 0, 2, goals, idx, &n_idx), L4P_OK);
  assert_int_equal(n_idx, 0);
}

/* The toy fixture: a made-up compressor whose time and size follow a
 * smooth function of level, mode and threads (tests/data/toy). */
static void load_toy(struct l4p_spec **spec, struct l4p_table **table)
{
  assert_int_equal(l4p_spec_load(tu_src("tests/data/toy/toy.json"), spec),
                   L4P_OK);
  assert_int_equal(l4p_table_load_for(*spec, table), L4P_OK);
  assert_int_equal((*table)->n_rows, 300);
}

/* Is row a of v (n x 2, both minimised) dominated by any other row? */
static bool dominated(const double *v, size_t n, size_t a)
{
  for (size_t b = 0; b < n; b++)
    if (v[b * 2] <= v[a * 2] && v[b * 2 + 1] <= v[a * 2 + 1] &&
        (v[b * 2] < v[a * 2] || v[b * 2 + 1] < v[a * 2 + 1]))
      return true;
  return false;
}

/* MRE bounds on the toy's 200 test rows: measured 7.8 % (time) and
 * 0.24 % (size) with these seeds; time is a product (work / threads) that
 * sums of trees approximate coarsely from 100 rows. */
static const double toy_mre_max[] = {11, 1};

/* Rows of t in a seeded random order: configurations then values. */
static void shuffled(const struct l4p_table *t, double *configs, double *values)
{
  size_t no = t->n_options, nv = t->n_objectives;
  size_t *perm = malloc(t->n_rows * sizeof *perm);
  struct l4p_rng *rng = l4p_rng_new(17);
  for (size_t r = 0; r < t->n_rows; r++)
    perm[r] = r;
  l4p_rng_shuffle(rng, perm, t->n_rows);
  for (size_t r = 0; r < t->n_rows; r++) {
    memcpy(configs + r * no, t->configs + perm[r] * no, no * sizeof *configs);
    memcpy(values + r * nv, t->values + perm[r] * nv, nv * sizeof *values);
  }
  l4p_rng_free(rng);
  free(perm);
}

/* Train on 100 random rows (one time value missing), predict the other
 * 200, check the predicted front against a brute-force one, and round-trip
 * the model file. */
static void test_mo_toy(void **state)
{
  (void)state;
  struct l4p_spec *spec;
  struct l4p_table *t;
  load_toy(&spec, &t);
  size_t no = t->n_options, nv = t->n_objectives, n_train = 100;
  size_t n_test = t->n_rows - n_train;
  double *configs = malloc(t->n_rows * no * sizeof *configs);
  double *values = malloc(t->n_rows * nv * sizeof *values);
  shuffled(t, configs, values);
  double missing = values[10 * nv];
  values[10 * nv] = NAN;
  struct l4p_model_params p = {.seed = 1, .threads = 1};
  struct l4p_mo_model *mo;
  assert_int_equal(l4p_mo_fit(spec, l4p_model_find("xgboost"), &p, configs,
                              values, n_train, &mo),
                   L4P_OK);
  values[10 * nv] = missing;
  assert_int_equal(mo->n_rows[0], n_train - 1);
  assert_int_equal(mo->n_rows[1], n_train);
  const double *cfg = configs + n_train * no;
  double *pred = malloc(n_test * nv * sizeof *pred);
  double *again = malloc(n_test * nv * sizeof *again);
  assert_int_equal(l4p_mo_predict(mo, cfg, n_test, pred), L4P_OK);
  for (size_t j = 0; j < nv; j++) {
    double col[300], truth[300];
    for (size_t r = 0; r < n_test; r++) {
      col[r] = pred[r * nv + j];
      truth[r] = values[(n_train + r) * nv + j];
    }
    double mre = l4p_metrics_mre(col, truth, n_test, NULL);
    print_message("toy %s: mre %.2f %%\n", spec->objectives[j].name, mre);
    if (!(mre < toy_mre_max[j]))
      fail_msg("toy %s: mre %g >= %g", spec->objectives[j].name, mre,
               toy_mre_max[j]);
  }

  size_t *idx, n_idx;
  assert_int_equal(l4p_mo_pareto(mo, cfg, n_test, &idx, &n_idx), L4P_OK);
  size_t k = 0;
  for (size_t r = 0; r < n_test; r++) {
    bool on_front = k < n_idx && idx[k] == r;
    assert_int_equal(on_front, !dominated(pred, n_test, r));
    k += on_front;
  }
  assert_int_equal(k, n_idx);
  assert_true(n_idx >= 1);
  free(idx);

  const char *path = tu_tmp("toy-model.json");
  assert_int_equal(l4p_mo_save(mo, path), L4P_OK);
  struct l4p_mo_model *back;
  assert_int_equal(l4p_mo_load(spec, path, &back), L4P_OK);
  assert_int_equal(back->n_rows[0], n_train - 1);
  assert_int_equal(l4p_mo_predict(back, cfg, n_test, again), L4P_OK);
  assert_memory_equal(pred, again, n_test * nv * sizeof *pred);
  l4p_mo_free(back);

  /* the same file for another system, and a damaged file */
  free(spec->name);
  spec->name = strdup("other");
  assert_int_equal(l4p_mo_load(spec, path, &back), L4P_EMODEL);
  assert_error_has("trained for system 'toy', not 'other'");
  assert_null(back);
  const char *bad = tu_tmp("bad-model.json");
  tu_write(bad, "{\"format\": \"llm4perf-model\",\n \"version\": }\n");
  assert_int_equal(l4p_mo_load(spec, bad, &back), L4P_EPARSE);
  assert_error_has("bad-model.json:2:");
  l4p_mo_free(mo);
  l4p_mo_free(NULL);
  free(pred);
  free(again);
  free(values);
  free(configs);
  l4p_table_free(t);
  l4p_spec_free(spec);
}

/* Objectives without any measured value, and a model file whose blob was
 * damaged, are reported with the objective's name. */
static void test_mo_errors(void **state)
{
  (void)state;
  struct l4p_spec *spec;
  struct l4p_table *t;
  load_toy(&spec, &t);
  size_t nv = t->n_objectives;
  double *values = malloc(t->n_rows * nv * sizeof *values);
  for (size_t r = 0; r < t->n_rows; r++) {
    values[r * nv] = t->values[r * nv];
    values[r * nv + 1] = NAN;
  }
  const struct l4p_model_ops *xgb = l4p_model_find("xgboost");
  struct l4p_mo_model *mo;
  assert_int_equal(l4p_mo_fit(spec, xgb, NULL, t->configs, values, 50, &mo),
                   L4P_EMODEL);
  assert_error_has("objective 'size': no measured values");
  assert_null(mo);
  assert_int_equal(l4p_mo_fit(spec, xgb, NULL, t->configs, t->values, 0, &mo),
                   L4P_EMODEL);
  assert_int_equal(l4p_mo_fit(spec, xgb, NULL, t->configs, t->values, 30, &mo),
                   L4P_OK);
  const char *path = tu_tmp("model.json");
  assert_int_equal(l4p_mo_save(mo, path), L4P_OK);
  tu_write(path, "{\"format\": \"llm4perf-model\", \"version\": 1, "
                 "\"system\": \"toy\", \"model\": \"xgboost\", \"features\": "
                 "[\"checksum\", \"verbose\", \"level\", \"mode=fast\", "
                 "\"mode=slow\", \"mode=best\", \"threads\"], \"params\": {}, "
                 "\"objectives\": [{\"name\": \"time\", \"blob\": \"e30=\"}]}");
  struct l4p_mo_model *back;
  assert_int_equal(l4p_mo_load(spec, path, &back), L4P_EMODEL);
  assert_error_has("model.json: objective 'time': xgboost: cannot load");
  tu_write(path,
           "{\"format\": \"llm4perf-model\", \"version\": 1, "
           "\"system\": \"toy\", \"model\": \"forest\", \"features\": [], "
           "\"params\": {}, \"objectives\": []}");
  assert_int_equal(l4p_mo_load(spec, path, &back), L4P_EMODEL);
  assert_error_has("unknown model kind 'forest'");
  l4p_mo_free(mo);
  free(values);
  l4p_table_free(t);
  l4p_spec_free(spec);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_contract),
      cmocka_unit_test(test_checks),
      cmocka_unit_test(test_xgboost_load_errors),
      cmocka_unit_test(test_xgboost_small_and_tuned),
      cmocka_unit_test(test_pareto_front),
      cmocka_unit_test(test_mo_toy),
      cmocka_unit_test(test_mo_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
