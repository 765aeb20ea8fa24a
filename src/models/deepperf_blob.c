/* DeepPerf's saved form: a compact binary blob holding the architecture,
 * the scaling, the hyper-parameters and every float32 weight bit for bit,
 * so a loaded model predicts exactly as the saved one. Layout (native
 * byte order, checked through a marker):
 *   "L4PDP01\n" | u32 0x01020304 | u32 n_in, width, n_hidden |
 *   f64 y_div, lr, lambda | f64 x_div[n_in] | f32 params[n_params]
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "models/deepperf-int.h"
#include "util/failf.h"
#include "util/banned.h"

static const char magic[8] = {'L', '4', 'P', 'D', 'P', '0', '1', '\n'};
#define ORDER_MARK 0x01020304u
#define HEAD_LEN (sizeof magic + 4 * sizeof(uint32_t) + 3 * sizeof(double))

/* Append len bytes at *p and advance it. */
static void put(char **p, const void *src, size_t len)
{
  memcpy(*p, src, len);
  *p += len;
}

/* Copy len bytes from *p and advance it. */
static void get(const char **p, void *dst, size_t len)
{
  memcpy(dst, *p, len);
  *p += len;
}

/* Write the blob into a new heap buffer (the caller frees it). */
l4p_status l4p__dp_blob_save(const struct l4p__dp_scale *s,
                             const struct l4p__dp_hyper *h,
                             const struct l4p__dp_net *net, char **blob,
                             size_t *len)
{
  size_t n =
      HEAD_LEN + net->n_in * sizeof(double) + net->n_params * sizeof(float);
  char *buf = malloc(n), *p = buf;
  if (!buf)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  uint32_t head[4] = {ORDER_MARK, (uint32_t)net->n_in, (uint32_t)net->width,
                      (uint32_t)net->n_hidden};
  double hyper[3] = {s->y_div, h->lr, h->lambda};
  put(&p, magic, sizeof magic);
  put(&p, head, sizeof head);
  put(&p, hyper, sizeof hyper);
  put(&p, s->x_div, net->n_in * sizeof(double));
  put(&p, net->params, net->n_params * sizeof(float));
  *blob = buf;
  *len = n;
  return L4P_OK;
}

/* Check the header against n_features, then restore; on failure nothing
 * is left allocated in s or net. */
l4p_status l4p__dp_blob_load(struct l4p__dp_scale *s, struct l4p__dp_hyper *h,
                             struct l4p__dp_net *net, size_t n_features,
                             const char *blob, size_t len)
{
  const char *p = blob;
  uint32_t head[4];
  double hyper[3];
  if (len < HEAD_LEN || memcmp(blob, magic, sizeof magic))
    return l4p_failf(L4P_EPARSE, "deepperf: not a saved DeepPerf model");
  p += sizeof magic;
  get(&p, head, sizeof head);
  get(&p, hyper, sizeof hyper);
  if (head[0] != ORDER_MARK)
    return l4p_failf(L4P_EPARSE,
                     "deepperf: model saved with another byte order");
  if (head[1] != n_features)
    return l4p_failf(L4P_EMODEL,
                     "deepperf: model has %u features, expected %zu",
                     (unsigned)head[1], n_features);
  if (head[2] == 0 || head[3] > 1000)
    return l4p_failf(L4P_EPARSE, "deepperf: corrupt model header");
  l4p_status st = l4p__dp_net_init(net, head[1], head[2], head[3], 0);
  if (st)
    return st;
  size_t want =
      HEAD_LEN + net->n_in * sizeof(double) + net->n_params * sizeof(float);
  if (len != want) {
    l4p__dp_net_release(net);
    return l4p_failf(L4P_EPARSE, "deepperf: model is %zu bytes, expected %zu",
                     len, want);
  }
  s->x_div = malloc(net->n_in * sizeof *s->x_div);
  if (!s->x_div) {
    l4p__dp_net_release(net);
    return l4p_failf(L4P_ENOMEM, "out of memory");
  }
  s->d = net->n_in;
  s->y_div = hyper[0];
  get(&p, s->x_div, net->n_in * sizeof(double));
  get(&p, net->params, net->n_params * sizeof(float));
  h->layers = (int)net->n_hidden;
  h->lr = hyper[1];
  h->lambda = hyper[2];
  return L4P_OK;
}
