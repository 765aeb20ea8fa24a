/* DeepPerf's network: fully connected layers 128 wide with ReLU and one
 * linear output, Glorot-uniform weights and zero biases, and its forward
 * and backward passes over a whole batch with cblas_sgemm (float32).
 * The loss is MSE + lambda * sum|W1|, the L1 term on the first layer's
 * weights only (METHOD.md, "Performance models").
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "llm4perf/rng.h"
#include "models/deepperf-int.h"
#include "util/failf.h"
#include "util/banned.h"

/* Rows per block when predicting, to bound the activations' memory. */
#define PREDICT_BLOCK 512

/* Number of dense layers: the hidden ones plus the output. */
size_t l4p__dp_n_layers(const struct l4p__dp_net *net)
{
  return net->n_hidden + 1;
}

/* Input width of layer k. */
size_t l4p__dp_layer_in(const struct l4p__dp_net *net, size_t k)
{
  return k == 0 ? net->n_in : net->width;
}

/* Output width of layer k: the hidden width, 1 for the last layer. */
size_t l4p__dp_layer_out(const struct l4p__dp_net *net, size_t k)
{
  return k == net->n_hidden ? 1 : net->width;
}

/* Offset of layer k's weights in params: the sizes of layers before it. */
size_t l4p__dp_w_off(const struct l4p__dp_net *net, size_t k)
{
  size_t off = 0;
  for (size_t j = 0; j < k; j++)
    off += (l4p__dp_layer_in(net, j) + 1) * l4p__dp_layer_out(net, j);
  return off;
}

/* Offset of layer k's biases: right after its weights. */
size_t l4p__dp_b_off(const struct l4p__dp_net *net, size_t k)
{
  return l4p__dp_w_off(net, k) +
         l4p__dp_layer_in(net, k) * l4p__dp_layer_out(net, k);
}

/* Allocate the parameters and draw each layer's weights uniformly in
 * +-sqrt(6 / (in + out)) (Glorot), layer by layer, row by row, from one
 * stream seeded with seed; biases start at zero. */
l4p_status l4p__dp_net_init(struct l4p__dp_net *net, size_t n_in, size_t width,
                            size_t n_hidden, uint64_t seed)
{
  memset(net, 0, sizeof *net);
  if (n_in == 0 || width == 0)
    return l4p_failf(L4P_EMODEL, "deepperf: network without inputs");
  net->n_in = n_in;
  net->width = width;
  net->n_hidden = n_hidden;
  net->n_params = l4p__dp_w_off(net, l4p__dp_n_layers(net));
  net->params = calloc(net->n_params, sizeof *net->params);
  struct l4p_rng *rng = l4p_rng_new(seed);
  if (!net->params || !rng) {
    l4p_rng_free(rng);
    l4p__dp_net_release(net);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  for (size_t k = 0; k < l4p__dp_n_layers(net); k++) {
    size_t in = l4p__dp_layer_in(net, k), out = l4p__dp_layer_out(net, k);
    double limit = sqrt(6.0 / (double)(in + out));
    float *W = net->params + l4p__dp_w_off(net, k);
    for (size_t i = 0; i < in * out; i++)
      W[i] = (float)((2.0 * l4p_rng_uniform(rng) - 1.0) * limit);
  }
  l4p_rng_free(rng);
  return L4P_OK;
}

/* Free the parameters; the struct may be initialised again. */
void l4p__dp_net_release(struct l4p__dp_net *net)
{
  free(net->params);
  memset(net, 0, sizeof *net);
}

/* Allocate the buffers of a pass over rows rows (and, for training, the
 * gradient and Adam's moments, zeroed). */
l4p_status l4p__dp_work_init(struct l4p__dp_work *w,
                             const struct l4p__dp_net *net, size_t rows,
                             int training)
{
  memset(w, 0, sizeof *w);
  size_t rw = (rows ? rows : 1) * net->width;
  size_t wide = net->n_in > net->width ? net->n_in : net->width;
  w->rows = rows;
  w->act = malloc((rw * net->n_hidden + (rows ? rows : 1)) * sizeof *w->act);
  w->delta[0] = malloc((rows ? rows : 1) * wide * sizeof(float));
  w->delta[1] = malloc((rows ? rows : 1) * wide * sizeof(float));
  int ok = w->act && w->delta[0] && w->delta[1];
  if (training) {
    w->grad = calloc(net->n_params, sizeof *w->grad);
    w->m = calloc(net->n_params, sizeof *w->m);
    w->v = calloc(net->n_params, sizeof *w->v);
    ok = ok && w->grad && w->m && w->v;
  }
  if (!ok) {
    l4p__dp_work_release(w);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  return L4P_OK;
}

/* Free the buffers of a pass. */
void l4p__dp_work_release(struct l4p__dp_work *w)
{
  free(w->act);
  free(w->delta[0]);
  free(w->delta[1]);
  free(w->grad);
  free(w->m);
  free(w->v);
  memset(w, 0, sizeof *w);
}

/* Output buffer of layer k for a batch of n rows. */
static float *layer_act(const struct l4p__dp_net *net,
                        const struct l4p__dp_work *w, size_t k)
{
  return w->act + k * w->rows * net->width;
}

/* Z = A W + b for every layer, ReLU on the hidden ones: each row of the
 * output starts as the biases and sgemm adds A W (beta = 1). */
const float *l4p__dp_forward(const struct l4p__dp_net *net,
                             struct l4p__dp_work *w, const float *X, size_t n)
{
  const float *A = X;
  size_t L = l4p__dp_n_layers(net);
  float *Z = NULL;
  for (size_t k = 0; k < L; k++) {
    size_t in = l4p__dp_layer_in(net, k), out = l4p__dp_layer_out(net, k);
    const float *W = net->params + l4p__dp_w_off(net, k);
    const float *b = net->params + l4p__dp_b_off(net, k);
    Z = layer_act(net, w, k);
    for (size_t i = 0; i < n; i++)
      memcpy(Z + i * out, b, out * sizeof *b);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)n, (int)out,
                (int)in, 1.0f, A, (int)in, W, (int)out, 1.0f, Z, (int)out);
    if (k + 1 < L)
      for (size_t i = 0; i < n * out; i++)
        Z[i] = Z[i] > 0.0f ? Z[i] : 0.0f;
    A = Z;
  }
  return Z;
}

/* Backpropagation: dZ of the output is 2 (p - y) / n; for each layer from
 * the last, dW = A^T dZ, db = column sums of dZ, and (below the first
 * layer) dZ of the layer beneath = (dZ W^T) masked by its ReLU. */
double l4p__dp_backward(const struct l4p__dp_net *net, struct l4p__dp_work *w,
                        const float *X, const float *y, size_t n, double lambda)
{
  double ss = 0.0;
  size_t L = l4p__dp_n_layers(net);
  const float *p = layer_act(net, w, L - 1);
  float *dZ = w->delta[0], *dA = w->delta[1];
  float two_n = 2.0f / (float)n;
  for (size_t i = 0; i < n; i++)
    dZ[i] = two_n * (p[i] - y[i]);
  for (size_t k = L; k-- > 0;) {
    size_t in = l4p__dp_layer_in(net, k), out = l4p__dp_layer_out(net, k);
    const float *A = k ? layer_act(net, w, k - 1) : X;
    const float *W = net->params + l4p__dp_w_off(net, k);
    float *gW = w->grad + l4p__dp_w_off(net, k);
    float *gb = w->grad + l4p__dp_b_off(net, k);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)in, (int)out,
                (int)n, 1.0f, A, (int)in, dZ, (int)out, 0.0f, gW, (int)out);
    memset(gb, 0, out * sizeof *gb);
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < out; j++)
        gb[j] += dZ[i * out + j];
    if (k == 0)
      break; /* its squares are summed after the L1 term */
    ss += l4p__dp_sumsq(gW, (in + 1) * out);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)in,
                (int)out, 1.0f, dZ, (int)out, W, (int)out, 0.0f, dA, (int)in);
    for (size_t i = 0; i < n * in; i++)
      dA[i] = A[i] > 0.0f ? dA[i] : 0.0f;
    float *t = dZ;
    dZ = dA;
    dA = t;
  }
  if (lambda != 0.0) {
    float lam = (float)lambda;
    const float *W1 = net->params;
    size_t n_w1 = net->n_in * l4p__dp_layer_out(net, 0);
    for (size_t i = 0; i < n_w1; i++)
      w->grad[i] += W1[i] > 0.0f ? lam : W1[i] < 0.0f ? -lam : 0.0f;
  }
  size_t n_layer0 = (net->n_in + 1) * l4p__dp_layer_out(net, 0);
  return ss + l4p__dp_sumsq(w->grad, n_layer0);
}

/* MSE + L1 in double from a float forward pass. */
double l4p__dp_loss(const struct l4p__dp_net *net, struct l4p__dp_work *w,
                    const float *X, const float *y, size_t n, double lambda)
{
  const float *p = l4p__dp_forward(net, w, X, n);
  double mse = 0.0, l1 = 0.0;
  for (size_t i = 0; i < n; i++)
    mse += ((double)p[i] - y[i]) * ((double)p[i] - y[i]);
  size_t n_w1 = net->n_in * l4p__dp_layer_out(net, 0);
  for (size_t i = 0; i < n_w1; i++)
    l1 += fabs((double)net->params[i]);
  return mse / (double)(n ? n : 1) + lambda * l1;
}

/* Forward passes over blocks of PREDICT_BLOCK rows. */
l4p_status l4p__dp_predict(const struct l4p__dp_net *net, const float *X,
                           size_t n, float *out)
{
  struct l4p__dp_work w;
  size_t block = n < PREDICT_BLOCK ? n : PREDICT_BLOCK;
  l4p_status st = l4p__dp_work_init(&w, net, block, 0);
  if (st)
    return st;
  unsigned fpu = l4p__dp_fpu_enter(); /* as in training */
  for (size_t i = 0; i < n; i += block) {
    size_t m = n - i < block ? n - i : block;
    const float *p = l4p__dp_forward(net, &w, X + i * net->n_in, m);
    memcpy(out + i, p, m * sizeof *p);
  }
  l4p__dp_fpu_leave(fpu);
  l4p__dp_work_release(&w);
  return L4P_OK;
}
