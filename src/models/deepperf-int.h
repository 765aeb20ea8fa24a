/* DeepPerf internals shared by deepperf.c (the model's ops), deepperf_net.c
 * (the network), deepperf_train.c (the loop and the learning-rate
 * schedule), deepperf_adam.c (the optimizer), deepperf_search.c
 * (hyper-parameters), deepperf_scale.c (data scaling) and deepperf_blob.c
 * (save/load). The recipe is METHOD.md, "Performance
 * models" (Ha & Zhang, ICSE'19); every constant below is from it.
 *
 * Invariants: a network's parameters are one float array, layer by layer,
 * each layer its weights (in x out, row-major) then its biases (out), so
 * the optimizer, clipping and save/load see one flat vector; matrices of
 * rows (X, activations) are row-major, n rows by the layer's width. */
#ifndef L4P_MODELS_DEEPPERF_INT_H
#define L4P_MODELS_DEEPPERF_INT_H

#include <stddef.h>
#include <stdint.h>

#include "llm4perf/model.h"
#include "llm4perf/status.h"

#define L4P__DP_WIDTH 128   /* hidden layer width */
#define L4P__DP_EPOCHS 1999 /* full-batch training epochs */
#define L4P__DP_Y_MAX 100.0 /* targets are scaled so their max is this */

/* A fully connected ReLU network with n_hidden hidden layers and one
 * linear output. */
struct l4p__dp_net {
  size_t n_in, width, n_hidden;
  size_t n_params;
  float *params; /* see the invariants above */
};

/* Buffers of one forward/backward pass over up to rows rows, allocated
 * once so that training allocates nothing per epoch. */
struct l4p__dp_work {
  size_t rows;
  float *act;      /* each layer's output: hidden ones rows x width,
                    * then the output rows x 1 */
  float *delta[2]; /* ping-pong gradients w.r.t. a layer's pre-activation */
  float *grad;     /* n_params; NULL in a work made for prediction */
  float *m, *v;    /* Adam's moments, n_params each (training only) */
};

/* Column maxima of X and the max of y over a training sample. */
struct l4p__dp_scale {
  size_t d;
  double *x_div; /* d divisors: each column's max, 0 replaced by 1 */
  double y_div;  /* max(y) / 100, 0 replaced by 1 */
};

struct l4p__dp_hyper {
  int layers;    /* hidden layers */
  double lr;     /* initial learning rate lr0 */
  double lambda; /* L1 weight on the first layer */
};

/* deepperf_net.c */

/* Number of dense layers (hidden + output), and layer k's shape and the
 * offsets of its weights and biases in params. */
size_t l4p__dp_n_layers(const struct l4p__dp_net *net);
size_t l4p__dp_layer_in(const struct l4p__dp_net *net, size_t k);
size_t l4p__dp_layer_out(const struct l4p__dp_net *net, size_t k);
size_t l4p__dp_w_off(const struct l4p__dp_net *net, size_t k);
size_t l4p__dp_b_off(const struct l4p__dp_net *net, size_t k);

/* Allocate a net and draw Glorot-uniform weights from seed (biases zero).
 * L4P_ENOMEM on failure; release with l4p__dp_net_release. */
l4p_status l4p__dp_net_init(struct l4p__dp_net *net, size_t n_in, size_t width,
                            size_t n_hidden, uint64_t seed);
void l4p__dp_net_release(struct l4p__dp_net *net);

/* Buffers for rows rows; with training, also gradient and moments. */
l4p_status l4p__dp_work_init(struct l4p__dp_work *w,
                             const struct l4p__dp_net *net, size_t rows,
                             int training);
void l4p__dp_work_release(struct l4p__dp_work *w);

/* Forward pass of n <= w->rows rows of X; returns the n outputs (inside
 * w, valid until the next pass). */
const float *l4p__dp_forward(const struct l4p__dp_net *net,
                             struct l4p__dp_work *w, const float *X, size_t n);
/* Gradient of MSE + lambda * sum|W1| into w->grad, after a forward pass
 * of the same rows; the L1 subgradient is sign(w), 0 at 0. Returns the
 * gradient's squared L2 norm, summed layer by layer while it is hot. */
double l4p__dp_backward(const struct l4p__dp_net *net, struct l4p__dp_work *w,
                        const float *X, const float *y, size_t n,
                        double lambda);
/* MSE + lambda * sum|W1| of n rows (runs a forward pass). */
double l4p__dp_loss(const struct l4p__dp_net *net, struct l4p__dp_work *w,
                    const float *X, const float *y, size_t n, double lambda);
/* Predict n rows of X into out, in blocks (allocates its own buffers). */
l4p_status l4p__dp_predict(const struct l4p__dp_net *net, const float *X,
                           size_t n, float *out);

/* deepperf_train.c */

/* Set flush-to-zero and denormals-are-zero for this thread (x86; a no-op
 * elsewhere) and return the mode to restore with l4p__dp_fpu_leave. */
unsigned l4p__dp_fpu_enter(void);
void l4p__dp_fpu_leave(unsigned saved);

/* The learning rate after epoch (1-based): lr / (1 + (lr0/1000)*epoch).
 * Applied after every epoch, so it compounds (tag-dp-lr-schedule). */
double l4p__dp_lr_next(double lr, double lr0, int epoch);
/* The factor that clips a gradient of squared norm sumsq to global L2
 * norm 1 (1 when it is within). */
float l4p__dp_clip_scale(double sumsq);
/* Train net on n rows for epochs full-batch Adam steps with initial
 * learning rate lr0 and L1 weight lambda. L4P_ENOMEM on failure. */
l4p_status l4p__dp_train(struct l4p__dp_net *net, const float *X,
                         const float *y, size_t n, double lr0, double lambda,
                         int epochs);

/* deepperf_adam.c */

/* One bias-corrected Adam step t (1-based) at rate lr on the n parameters
 * w with moments m, v and gradient g * gscale. */
void l4p__dp_adam_step(float *restrict w, const float *restrict g,
                       float *restrict m, float *restrict v, size_t n,
                       float gscale, double lr, int t);
/* Sum of the squares of n floats, in double at the end (fixed order). */
double l4p__dp_sumsq(const float *g, size_t n);

/* deepperf_scale.c */

/* Check n rows of X (n x d) and y for n > 0 and finite values, then
 * compute the scaling. L4P_EMODEL or L4P_ENOMEM on failure. */
l4p_status l4p__dp_scale_fit(struct l4p__dp_scale *s, const double *X,
                             const double *y, size_t n, size_t d);
void l4p__dp_scale_release(struct l4p__dp_scale *s);
/* X -> float, column by column divided by x_div; NULL on no memory. */
float *l4p__dp_scale_x(const struct l4p__dp_scale *s, const double *X,
                       size_t n);
/* y -> float, divided by y_div; NULL on no memory. */
float *l4p__dp_scale_y(const struct l4p__dp_scale *s, const double *y,
                       size_t n);
/* A scaled prediction back in y's units. */
double l4p__dp_unscale_y(const struct l4p__dp_scale *s, float p);

/* deepperf_search.c */

/* Mean relative error of predictions p against targets y, with |y| = 0
 * counted as an absolute error; +inf when any prediction is not finite. */
double l4p__dp_mre(const float *p, const float *y, size_t n);
/* The recipe's hyper-parameter search on n scaled rows (profile full or
 * fast). L4P_ENOMEM on failure. */
l4p_status l4p__dp_search(const float *X, const float *y, size_t n, size_t d,
                          enum l4p_model_profile profile, uint64_t seed,
                          struct l4p__dp_hyper *out);
/* Hyper-parameters used when the sample is too small to split (n < 2). */
void l4p__dp_default_hyper(struct l4p__dp_hyper *out);

/* deepperf_blob.c */

/* Serialise / restore scaling, hyper-parameters and weights (exact). */
l4p_status l4p__dp_blob_save(const struct l4p__dp_scale *s,
                             const struct l4p__dp_hyper *h,
                             const struct l4p__dp_net *net, char **blob,
                             size_t *len);
l4p_status l4p__dp_blob_load(struct l4p__dp_scale *s, struct l4p__dp_hyper *h,
                             struct l4p__dp_net *net, size_t n_features,
                             const char *blob, size_t len);

/* deepperf.c */

/* Set OpenBLAS's thread count from params (threads > 0 only). */
void l4p__dp_set_threads(const struct l4p_model_params *p);

extern const struct l4p_model_ops l4p_model_deepperf;

#endif
