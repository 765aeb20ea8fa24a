/* Unit tests for DeepPerf (src/models/deepperf*.c): gradients against
 * central finite differences with and without L1, the compounding
 * learning-rate schedule, clipping, Glorot init, data scaling, a fit of a
 * known function, save -> load -> predict bit for bit, determinism for a
 * seed, and errors on bad input.
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

#include "llm4perf/model.h"
#include "llm4perf/rng.h"
#include "models/deepperf-int.h"
#include "testutil.h"

#define assert_close(got, want, tol)                                      \
  do {                                                                    \
    double got_ = (got), want_ = (want);                                  \
    if (!(fabs(got_ - want_) <= (tol)))                                   \
      fail_msg("%s is %.17g, expected %.17g (tol %g)", #got, got_, want_, \
               (double)(tol));                                            \
  } while (0)

#define assert_error_has(text)                                     \
  do {                                                             \
    if (!strstr(l4p_last_error(), (text)))                         \
      fail_msg("error '%s' lacks '%s'", l4p_last_error(), (text)); \
  } while (0)

/* A model driven through its ops directly (as the registry would). */
static struct l4p_model *new_model(size_t d, const struct l4p_model_params *p)
{
  struct l4p_model *m = calloc(1, sizeof *m);
  assert_non_null(m);
  m->ops = &l4p_model_deepperf;
  m->params = *p;
  m->n_features = d;
  assert_int_equal(m->ops->create(m), L4P_OK);
  return m;
}

static void free_model(struct l4p_model *m)
{
  m->ops->destroy(m);
  free(m);
}

/* Fixed hyper-parameters, so the tests train one small net. */
static struct l4p_model_params fixed_params(int layers, double lr,
                                            double lambda, uint64_t seed)
{
  struct l4p_model_params p = {
      .profile = L4P_PROFILE_FAST,
      .seed = seed,
      .threads = 1,
      .has_hyper = true,
      .hyper_layers = layers,
      .hyper_lr = lr,
      .hyper_lambda = lambda,
  };
  return p;
}

/* n rows of d features uniform in [0, 1) and targets from a fixed
 * function, in floats. */
static void random_rows(uint64_t seed, size_t n, size_t d, float *X, float *y)
{
  struct l4p_rng *rng = l4p_rng_new(seed);
  for (size_t i = 0; i < n; i++) {
    double t = 0.5;
    for (size_t j = 0; j < d; j++) {
      X[i * d + j] = (float)l4p_rng_uniform(rng);
      t += (j + 1.0) * X[i * d + j];
    }
    y[i] = (float)(t + l4p_rng_uniform(rng));
  }
  l4p_rng_free(rng);
}

/* Compare backward's gradient with central differences of the loss,
 * in double around float parameters: per component within 1e-2
 * relative, with a floor of 1e-3 of the largest component. */
static void check_gradient(double lambda)
{
  enum { NR = 7, ND = 3 };
  float X[NR * ND], y[NR];
  random_rows(11, NR, ND, X, y);
  struct l4p__dp_net net;
  struct l4p__dp_work w;
  assert_int_equal(l4p__dp_net_init(&net, ND, 5, 2, 42), L4P_OK);
  /* nonzero biases so they are exercised too */
  for (size_t k = 0; k < l4p__dp_n_layers(&net); k++)
    for (size_t j = 0; j < l4p__dp_layer_out(&net, k); j++)
      net.params[l4p__dp_b_off(&net, k) + j] = 0.05f * (float)(j + 1);
  assert_int_equal(l4p__dp_work_init(&w, &net, NR, 1), L4P_OK);
  l4p__dp_forward(&net, &w, X, NR);
  l4p__dp_backward(&net, &w, X, y, NR, lambda);
  double gmax = 0.0;
  for (size_t i = 0; i < net.n_params; i++)
    gmax = fmax(gmax, fabs(w.grad[i]));
  assert_true(gmax > 0.0);
  size_t checked = 0;
  for (size_t i = 0; i < net.n_params; i++) {
    float keep = net.params[i], h = 1e-3f;
    if (lambda != 0.0 && i < ND * 5 && fabs(keep) < 4 * h)
      continue; /* |w| kink within reach of the step */
    net.params[i] = keep + h;
    float up = net.params[i];
    double lp = l4p__dp_loss(&net, &w, X, y, NR, lambda);
    net.params[i] = keep - h;
    float down = net.params[i];
    double lm = l4p__dp_loss(&net, &w, X, y, NR, lambda);
    net.params[i] = keep;
    double fd = (lp - lm) / ((double)up - down);
    double g = w.grad[i];
    if (fabs(fd - g) > 1e-2 * fabs(g) + 1e-3 * gmax)
      fail_msg("param %zu: backward %.8g, finite difference %.8g", i, g, fd);
    checked++;
  }
  assert_true(checked > net.n_params - 3);
  l4p__dp_work_release(&w);
  l4p__dp_net_release(&net);
}

static void test_gradient_plain(void **state)
{
  (void)state;
  check_gradient(0.0);
}

static void test_gradient_l1(void **state)
{
  (void)state;
  check_gradient(0.3);
}

/* L1 adds exactly lambda * sign(w) to the first layer's weights only. */
static void test_l1_first_layer_only(void **state)
{
  (void)state;
  enum { NR = 5, ND = 4 };
  float X[NR * ND], y[NR];
  random_rows(3, NR, ND, X, y);
  struct l4p__dp_net net;
  struct l4p__dp_work w;
  assert_int_equal(l4p__dp_net_init(&net, ND, 8, 3, 7), L4P_OK);
  assert_int_equal(l4p__dp_work_init(&w, &net, NR, 1), L4P_OK);
  float *plain = malloc(net.n_params * sizeof *plain);
  assert_non_null(plain);
  l4p__dp_forward(&net, &w, X, NR);
  l4p__dp_backward(&net, &w, X, y, NR, 0.0);
  memcpy(plain, w.grad, net.n_params * sizeof *plain);
  l4p__dp_backward(&net, &w, X, y, NR, 0.5);
  for (size_t i = 0; i < net.n_params; i++) {
    float want = plain[i];
    if (i < ND * 8)
      want += net.params[i] > 0 ? 0.5f : net.params[i] < 0 ? -0.5f : 0.0f;
    if (w.grad[i] != want)
      fail_msg("param %zu: %.9g, expected %.9g", i, w.grad[i], want);
  }
  free(plain);
  l4p__dp_work_release(&w);
  l4p__dp_net_release(&net);
}

/* The rate after epoch e is lr0 / prod_{k=1..e} (1 + (lr0/1000) k). */
static void test_lr_schedule(void **state)
{
  (void)state;
  const double rates[] = {1e-4, 1e-3, 1e-2, 1e-1};
  for (size_t r = 0; r < 4; r++) {
    double lr0 = rates[r], lr = lr0, prod = 1.0;
    for (int e = 1; e <= 50; e++) {
      lr = l4p__dp_lr_next(lr, lr0, e);
      prod *= 1.0 + lr0 / 1000.0 * e;
      assert_close(lr, lr0 / prod, 1e-13 * lr);
    }
  }
  assert_close(l4p__dp_lr_next(0.1, 0.1, 1), 0.1 / 1.0001, 1e-16);
  assert_close(l4p__dp_lr_next(0.1 / 1.0001, 0.1, 2), 0.1 / (1.0001 * 1.0002),
               1e-16);
  assert_close(l4p__dp_lr_next(1e-3, 1e-3, 7), 1e-3 / 1.000007, 1e-18);
  /* compounding: with lr0 = 0.1, 1999 epochs take the rate below 1e-30 */
  double lr = 0.1;
  for (int e = 1; e <= L4P__DP_EPOCHS; e++)
    lr = l4p__dp_lr_next(lr, 0.1, e);
  assert_true(lr < 1e-30);
}

/* The clipping factor brings a norm above 1 down to 1, and backward's
 * squared norm is the sum of the squared gradient. */
static void test_clip(void **state)
{
  (void)state;
  assert_close(l4p__dp_clip_scale(25.0), 0.2, 1e-8);
  assert_close(l4p__dp_clip_scale(0.25), 1.0, 0);
  assert_close(l4p__dp_clip_scale(1.0), 1.0, 0);
  enum { NR = 9, ND = 5 };
  float X[NR * ND], y[NR];
  random_rows(4, NR, ND, X, y);
  struct l4p__dp_net net;
  struct l4p__dp_work w;
  assert_int_equal(l4p__dp_net_init(&net, ND, 16, 3, 2), L4P_OK);
  assert_int_equal(l4p__dp_work_init(&w, &net, NR, 1), L4P_OK);
  l4p__dp_forward(&net, &w, X, NR);
  double ss = l4p__dp_backward(&net, &w, X, y, NR, 0.2), want = 0.0;
  for (size_t i = 0; i < net.n_params; i++)
    want += (double)w.grad[i] * w.grad[i];
  assert_close(ss, want, 1e-6 * want); /* float partial sums */
  l4p__dp_work_release(&w);
  l4p__dp_net_release(&net);
}

/* Adam against the formula in double, over a length that covers the
 * SIMD body and the scalar tail; the first step moves each weight by
 * about lr * sign(g). */
static void test_adam(void **state)
{
  (void)state;
  enum { NP = 37 };
  float w[NP], g[NP], m[NP] = {0}, v[NP] = {0};
  double dw[NP], dm[NP] = {0}, dv[NP] = {0};
  for (size_t i = 0; i < NP; i++) {
    w[i] = (float)(0.1 * i - 1.5);
    dw[i] = w[i];
  }
  for (int t = 1; t <= 3; t++) {
    for (size_t i = 0; i < NP; i++)
      g[i] = (float)((i % 5) - 2.2 + 0.3 * t);
    double lr = 0.01 / t, s = 0.5;
    if (t == 1)
      for (size_t i = 0; i < NP; i++)
        dw[i] = w[i];
    l4p__dp_adam_step(w, g, m, v, NP, (float)s, lr, t);
    for (size_t i = 0; i < NP; i++) {
      double gi = s * g[i];
      dm[i] = 0.9 * dm[i] + 0.1 * gi;
      dv[i] = 0.999 * dv[i] + 0.001 * gi * gi;
      double step = lr / (1 - pow(0.9, t)) * dm[i] /
                    (sqrt(dv[i] / (1 - pow(0.999, t))) + 1e-8);
      if (t == 1)
        assert_close(step, lr * (gi > 0 ? 1 : -1), 1e-6 * lr);
      dw[i] -= step;
      assert_close(w[i], dw[i], 1e-5);
      assert_close(m[i], dm[i], 1e-6);
      assert_close(v[i], dv[i], 1e-7);
    }
  }
}

/* Glorot-uniform weights within their limits, zero biases, reproducible
 * from the seed. */
static void test_init(void **state)
{
  (void)state;
  struct l4p__dp_net a, b, c;
  assert_int_equal(l4p__dp_net_init(&a, 13, 128, 3, 5), L4P_OK);
  assert_int_equal(l4p__dp_net_init(&b, 13, 128, 3, 5), L4P_OK);
  assert_int_equal(l4p__dp_net_init(&c, 13, 128, 3, 6), L4P_OK);
  assert_int_equal(a.n_params, 13 * 128 + 128 + 2 * (128 * 128 + 128) + 129);
  assert_memory_equal(a.params, b.params, a.n_params * sizeof(float));
  assert_memory_not_equal(a.params, c.params, a.n_params * sizeof(float));
  for (size_t k = 0; k < l4p__dp_n_layers(&a); k++) {
    size_t in = l4p__dp_layer_in(&a, k), out = l4p__dp_layer_out(&a, k);
    double limit = sqrt(6.0 / (double)(in + out)), big = 0.0;
    const float *W = a.params + l4p__dp_w_off(&a, k);
    for (size_t i = 0; i < in * out; i++) {
      assert_true(fabs(W[i]) <= limit);
      big = fmax(big, fabs(W[i]));
    }
    assert_true(big > 0.9 * limit);
    for (size_t j = 0; j < out; j++)
      assert_true(a.params[l4p__dp_b_off(&a, k) + j] == 0.0f);
  }
  l4p__dp_net_release(&a);
  l4p__dp_net_release(&b);
  l4p__dp_net_release(&c);
}

/* Columns divided by their max (0 -> 1), y's max becomes 100, and
 * unscaling brings y back to float precision. */
static void test_scaling(void **state)
{
  (void)state;
  const double X[] = {1, 0, 4, 2, 0, 8, 0.5, 0, 2};
  const double y[] = {10, 40, 25};
  struct l4p__dp_scale s;
  assert_int_equal(l4p__dp_scale_fit(&s, X, y, 3, 3), L4P_OK);
  assert_close(s.x_div[0], 2, 0);
  assert_close(s.x_div[1], 1, 0);
  assert_close(s.x_div[2], 8, 0);
  float *Xf = l4p__dp_scale_x(&s, X, 3), *yf = l4p__dp_scale_y(&s, y, 3);
  assert_non_null(Xf);
  assert_non_null(yf);
  assert_close(Xf[3], 1.0, 0);
  assert_close(Xf[4], 0.0, 0);
  assert_close(Xf[8], 0.25, 0);
  assert_close(yf[1], 100.0, 0);
  assert_close(yf[0], 25.0, 0);
  for (size_t i = 0; i < 3; i++)
    assert_close(l4p__dp_unscale_y(&s, yf[i]), y[i], 1e-6 * y[i]);
  free(Xf);
  free(yf);
  l4p__dp_scale_release(&s);
}

/* y = 10 + 3 x1 + 5 x2 + 2 x3 + x4 + 6 x1 x2 over 7 binary features (the
 * last three have no influence). */
static double known(const double *x)
{
  return 10 + 3 * x[0] + 5 * x[1] + 2 * x[2] + x[3] + 6 * x[0] * x[1];
}

enum { ROWS = 128, D = 7 };

/* All 128 configurations of the 7 features, in a shuffled order. */
static void binary_table(double *X, double *y)
{
  size_t idx[ROWS];
  for (size_t i = 0; i < ROWS; i++)
    idx[i] = i;
  struct l4p_rng *rng = l4p_rng_new(99);
  l4p_rng_shuffle(rng, idx, ROWS);
  l4p_rng_free(rng);
  for (size_t i = 0; i < ROWS; i++) {
    for (size_t j = 0; j < D; j++)
      X[i * D + j] = (double)((idx[i] >> j) & 1);
    y[i] = known(X + i * D);
  }
}

/* Trained on 96 of the 128 rows, the net predicts the other 32 within a
 * few percent (the function has one interaction). */
static void test_fit_known_function(void **state)
{
  (void)state;
  double X[ROWS * D], y[ROWS], pred[ROWS];
  binary_table(X, y);
  struct l4p_model_params p = fixed_params(3, 1e-2, 0.01, 1);
  struct l4p_model *m = new_model(D, &p);
  assert_int_equal(m->ops->fit(m, X, y, 96), L4P_OK);
  assert_true(m->fitted);
  assert_int_equal(m->ops->predict(m, X, ROWS, pred), L4P_OK);
  double fit_err = 0.0, test_err = 0.0;
  for (size_t i = 0; i < ROWS; i++) {
    double e = fabs(pred[i] - y[i]) / y[i];
    if (i < 96)
      fit_err += e / 96;
    else
      test_err += e / 32;
  }
  if (fit_err > 0.01 || test_err > 0.05)
    fail_msg("MRE fit %.4f, test %.4f", fit_err, test_err);
  free_model(m);
}

/* save -> load -> predict gives the same bits; broken blobs are refused. */
static void test_save_load(void **state)
{
  (void)state;
  double X[ROWS * D], y[ROWS], a[ROWS], b[ROWS];
  binary_table(X, y);
  struct l4p_model_params p = fixed_params(2, 1e-2, 0.1, 3);
  struct l4p_model *m = new_model(D, &p);
  assert_int_equal(m->ops->fit(m, X, y, 30), L4P_OK);
  char *blob;
  size_t len;
  assert_int_equal(m->ops->save(m, &blob, &len), L4P_OK);
  assert_int_equal(m->ops->predict(m, X, ROWS, a), L4P_OK);
  free_model(m);
  struct l4p_model *n = new_model(D, &p);
  assert_int_equal(n->ops->load(n, blob, len), L4P_OK);
  assert_int_equal(n->ops->predict(n, X, ROWS, b), L4P_OK);
  assert_memory_equal(a, b, sizeof a);
  assert_int_equal(n->ops->load(n, blob, len - 1), L4P_EPARSE);
  assert_int_equal(n->ops->predict(n, X, 1, b), L4P_EMODEL);
  blob[0] = 'X';
  assert_int_equal(n->ops->load(n, blob, len), L4P_EPARSE);
  blob[0] = 'L';
  free_model(n);
  struct l4p_model *o = new_model(D - 1, &p);
  assert_int_equal(o->ops->load(o, blob, len), L4P_EMODEL);
  assert_error_has("7 features");
  free_model(o);
  free(blob);
}

/* The same seed gives the same bits; another seed another model. */
static void test_deterministic(void **state)
{
  (void)state;
  double X[ROWS * D], y[ROWS], a[ROWS], b[ROWS], c[ROWS];
  binary_table(X, y);
  struct l4p_model_params p = fixed_params(2, 1e-3, 0.01, 8);
  struct l4p_model *m = new_model(D, &p);
  assert_int_equal(m->ops->fit(m, X, y, 20), L4P_OK);
  assert_int_equal(m->ops->predict(m, X, ROWS, a), L4P_OK);
  assert_int_equal(m->ops->fit(m, X, y, 20), L4P_OK);
  assert_int_equal(m->ops->predict(m, X, ROWS, b), L4P_OK);
  assert_memory_equal(a, b, sizeof a);
  m->params.seed = 9;
  assert_int_equal(m->ops->fit(m, X, y, 20), L4P_OK);
  assert_int_equal(m->ops->predict(m, X, ROWS, c), L4P_OK);
  assert_memory_not_equal(a, c, sizeof a);
  free_model(m);
}

static void test_bad_inputs(void **state)
{
  (void)state;
  double X[ROWS * D], y[ROWS], out[4];
  binary_table(X, y);
  struct l4p_model_params p = fixed_params(2, 1e-2, 0.01, 1);
  struct l4p_model *m = new_model(D, &p);
  assert_int_equal(m->ops->predict(m, X, 4, out), L4P_EMODEL);
  assert_error_has("not fitted");
  assert_int_equal(m->ops->fit(m, X, y, 0), L4P_EMODEL);
  assert_error_has("no training rows");
  X[2 * D + 3] = NAN;
  assert_int_equal(m->ops->fit(m, X, y, 8), L4P_EMODEL);
  assert_error_has("row 2: feature 3");
  X[2 * D + 3] = 1;
  y[5] = INFINITY;
  assert_int_equal(m->ops->fit(m, X, y, 8), L4P_EMODEL);
  assert_error_has("row 5: target");
  y[5] = 1;
  m->params.hyper_layers = 0;
  assert_int_equal(m->ops->fit(m, X, y, 8), L4P_EMODEL);
  assert_error_has("layers 0");
  m->params.hyper_layers = 2;
  m->params.hyper_lr = -1;
  assert_int_equal(m->ops->fit(m, X, y, 8), L4P_EMODEL);
  m->params.hyper_lr = 1e-2;
  m->params.hyper_lambda = NAN;
  assert_int_equal(m->ops->fit(m, X, y, 8), L4P_EMODEL);
  assert_false(m->fitted);
  char *blob = NULL;
  size_t len = 0;
  assert_int_equal(m->ops->save(m, &blob, &len), L4P_EMODEL);
  int layers;
  double lr, lambda;
  assert_int_equal(l4p_deepperf_search(X, y, 0, D, &p, &layers, &lr, &lambda),
                   L4P_EMODEL);
  y[0] = NAN;
  assert_int_equal(l4p_deepperf_search(X, y, 8, D, &p, &layers, &lr, &lambda),
                   L4P_EMODEL);
  free_model(m);
}

/* A sample of one row cannot be split: the search falls back to its
 * documented defaults and the fit still works. */
static void test_search_one_row(void **state)
{
  (void)state;
  double X[D] = {1, 0, 1, 0, 1, 0, 1}, y[1] = {5};
  struct l4p_model_params p = fixed_params(0, 0, 0, 1);
  p.has_hyper = false;
  int layers;
  double lr, lambda;
  assert_int_equal(l4p_deepperf_search(X, y, 1, D, &p, &layers, &lr, &lambda),
                   L4P_OK);
  struct l4p__dp_hyper h;
  l4p__dp_default_hyper(&h);
  assert_int_equal(layers, h.layers);
  assert_close(lr, h.lr, 0);
  assert_close(lambda, h.lambda, 0);
}

/* Relative error with the zero-target guard, and +inf on divergence. */
static void test_mre(void **state)
{
  (void)state;
  float p[3] = {11, 0.5f, 18}, y[3] = {10, 0, 20};
  assert_close(l4p__dp_mre(p, y, 3), (0.1 + 0.5 + 0.1) / 3, 1e-7);
  p[1] = NAN;
  assert_true(isinf(l4p__dp_mre(p, y, 3)));
}

/* The registry lists the model under its name. */
static void test_registered(void **state)
{
  (void)state;
  assert_ptr_equal(l4p_model_find("deepperf"), &l4p_model_deepperf);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_gradient_plain),
      cmocka_unit_test(test_gradient_l1),
      cmocka_unit_test(test_l1_first_layer_only),
      cmocka_unit_test(test_lr_schedule),
      cmocka_unit_test(test_clip),
      cmocka_unit_test(test_adam),
      cmocka_unit_test(test_init),
      cmocka_unit_test(test_scaling),
      cmocka_unit_test(test_mre),
      cmocka_unit_test(test_fit_known_function),
      cmocka_unit_test(test_save_load),
      cmocka_unit_test(test_deterministic),
      cmocka_unit_test(test_bad_inputs),
      cmocka_unit_test(test_search_one_row),
      cmocka_unit_test(test_registered),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
