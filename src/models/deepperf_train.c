/* DeepPerf's training loop: full-batch Adam (deepperf_adam.c) on MSE + L1,
 * gradients clipped to global norm 1, 1999 epochs, and the compounding
 * learning-rate decay of the recipe (METHOD.md, "Performance models").
 * Every buffer is allocated before the first epoch.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#if defined(__x86_64__) || defined(__SSE__)
#include <xmmintrin.h>
#endif

#include "models/deepperf-int.h"
#include "util/failf.h"
#include "util/banned.h"

#define CLIP_NORM 1.0

/* Denormal floats (Adam's second moments and late, tiny gradients fall
 * there once the rate has decayed) cost x86 cores a microcode assist per
 * operation, which made training up to 25% slower; TensorFlow, which the
 * published DeepPerf ran on, flushes them to zero on CPUs as well. So the
 * network runs with FTZ and DAZ set, restored afterwards. */
unsigned l4p__dp_fpu_enter(void)
{
#if defined(__x86_64__) || defined(__SSE__)
  unsigned old = _mm_getcsr();
  _mm_setcsr(old | 0x8040u); /* FTZ (bit 15) | DAZ (bit 6) */
  return old;
#else
  return 0;
#endif
}

/* Restore the floating-point mode saved by l4p__dp_fpu_enter. */
void l4p__dp_fpu_leave(unsigned saved)
{
#if defined(__x86_64__) || defined(__SSE__)
  _mm_setcsr(saved);
#else
  (void)saved;
#endif
}

/* tag-dp-lr-schedule: after epoch e (1-based) the rate is divided by
 * 1 + (lr0 / 1000) e; the divisions accumulate over the epochs. */
double l4p__dp_lr_next(double lr, double lr0, int epoch)
{
  return lr / (1.0 + (lr0 / 1000.0) * (double)epoch);
}

/* Global norm clipping, g * CLIP_NORM / max(|g|, CLIP_NORM), as the
 * factor Adam applies while it reads g (one pass fewer over the
 * parameters). */
float l4p__dp_clip_scale(double sumsq)
{
  double norm = sqrt(sumsq);
  return norm > CLIP_NORM ? (float)(CLIP_NORM / norm) : 1.0f;
}

/* Train from the net's current weights; the schedule starts at lr0. */
l4p_status l4p__dp_train(struct l4p__dp_net *net, const float *X,
                         const float *y, size_t n, double lr0, double lambda,
                         int epochs)
{
  if (n == 0)
    return l4p_failf(L4P_EMODEL, "deepperf: no rows to train on");
  struct l4p__dp_work w;
  l4p_status st = l4p__dp_work_init(&w, net, n, 1);
  if (st)
    return st;
  double lr = lr0;
  unsigned fpu = l4p__dp_fpu_enter();
  for (int epoch = 1; epoch <= epochs; epoch++) {
    l4p__dp_forward(net, &w, X, n);
    double sumsq = l4p__dp_backward(net, &w, X, y, n, lambda);
    l4p__dp_adam_step(net->params, w.grad, w.m, w.v, net->n_params,
                      l4p__dp_clip_scale(sumsq), lr, epoch);
    lr = l4p__dp_lr_next(lr, lr0, epoch);
  }
  l4p__dp_fpu_leave(fpu);
  l4p__dp_work_release(&w);
  return L4P_OK;
}
