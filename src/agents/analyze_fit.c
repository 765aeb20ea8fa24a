/* The builtin analyzer's quick surrogate: an additive main-effects model
 * fitted by ridge regression on centred one-hot level indicators
 * (tag-analyze-ridge). One-hot levels let an effect be non-monotone (a
 * middle value best); fitting all options jointly keeps a sampler that
 * has focused on some region from crediting one option with another's
 * effect, as group means would; the ridge penalty keeps a handful of
 * rows from fitting noise, and gives unmeasured levels no effect. The
 * system is solved in whichever of the primal (columns) or dual (rows)
 * form is smaller, by Cholesky. Residuals give pairwise interactions.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze-int.h"
#include "util/failf.h"
#include "util/banned.h"

void l4p__effects_release(struct l4p__effects *e)
{
  free(e->offset);
  free(e->effect);
  free(e->residual);
  memset(e, 0, sizeof *e);
}

/* Solve A x = b in place (A: k x k symmetric positive definite, b
 * overwritten by x). False when A is not positive definite. */
static bool cholesky_solve(double *A, double *b, size_t k)
{
  for (size_t j = 0; j < k; j++) {
    double s = A[j * k + j];
    for (size_t t = 0; t < j; t++)
      s -= A[j * k + t] * A[j * k + t];
    if (!(s > 0))
      return false;
    A[j * k + j] = sqrt(s);
    for (size_t i = j + 1; i < k; i++) {
      double v = A[i * k + j];
      for (size_t t = 0; t < j; t++)
        v -= A[i * k + t] * A[j * k + t];
      A[i * k + j] = v / A[j * k + j];
    }
  }
  for (size_t i = 0; i < k; i++) { /* L z = b */
    for (size_t t = 0; t < i; t++)
      b[i] -= A[i * k + t] * b[t];
    b[i] /= A[i * k + i];
  }
  for (size_t i = k; i-- > 0;) { /* L' x = z */
    for (size_t t = i + 1; t < k; t++)
      b[i] -= A[t * k + i] * b[t];
    b[i] /= A[i * k + i];
  }
  return true;
}

/* The centred indicator matrix X (m x P) of the rows in rows[]. */
static void design(const struct l4p__levels *d, const size_t *offset,
                   const size_t *rows, size_t m, size_t P, double *X,
                   double *count)
{
  memset(X, 0, m * P * sizeof *X);
  memset(count, 0, P * sizeof *count);
  for (size_t i = 0; i < m; i++)
    for (size_t f = 0; f < d->p; f++) {
      size_t c = offset[f] + d->lv[rows[i] * d->p + f];
      X[i * P + c] = 1;
      count[c]++;
    }
  for (size_t c = 0; c < P; c++)
    for (size_t i = 0; i < m; i++)
      X[i * P + c] -= count[c] / (double)m;
}

/* beta (P) from X (m x P) and z (m) with penalty lambda; false when
 * the system cannot be solved. */
static bool ridge(const double *X, const double *z, size_t m, size_t P,
                  double lambda, double *beta)
{
  bool dual = m < P;
  size_t k = dual ? m : P;
  double *A = malloc(k * k * sizeof *A), *b = malloc(k * sizeof *b);
  bool ok = A && b;
  for (size_t i = 0; ok && i < k; i++) {
    for (size_t j = 0; j <= i; j++) {
      double s = 0;
      if (dual)
        for (size_t c = 0; c < P; c++)
          s += X[i * P + c] * X[j * P + c];
      else
        for (size_t r = 0; r < m; r++)
          s += X[r * P + i] * X[r * P + j];
      A[i * k + j] = A[j * k + i] = s + (i == j ? lambda : 0);
    }
    double s = 0;
    if (dual)
      s = z[i];
    else
      for (size_t r = 0; r < m; r++)
        s += X[r * P + i] * z[r];
    b[i] = s;
  }
  ok = ok && cholesky_solve(A, b, k);
  for (size_t c = 0; ok && c < P; c++) {
    if (!dual) {
      beta[c] = b[c];
      continue;
    }
    double s = 0; /* beta = X' alpha */
    for (size_t r = 0; r < m; r++)
      s += X[r * P + c] * b[r];
    beta[c] = s;
  }
  free(A);
  free(b);
  return ok;
}

l4p_status l4p__fit_effects(const struct l4p__levels *d, const double *y,
                            double lambda, struct l4p__effects *e)
{
  memset(e, 0, sizeof *e);
  e->offset = malloc((d->p + 1) * sizeof *e->offset);
  e->residual = malloc((d->n + 1) * sizeof *e->residual);
  size_t P = 0;
  for (size_t f = 0; e->offset && f < d->p; f++) {
    e->offset[f] = P;
    P += d->L[f];
  }
  if (e->offset)
    e->offset[d->p] = P;
  e->effect = malloc((P + 1) * sizeof *e->effect);
  size_t *rows = malloc((d->n + 1) * sizeof *rows);
  double *z = malloc((d->n + 1) * sizeof *z);
  double *X = malloc((d->n * P + 1) * sizeof *X);
  double *count = malloc((P + 1) * sizeof *count);
  double *beta = calloc(P + 1, sizeof *beta);
  l4p_status st = L4P_OK;
  if (!e->offset || !e->residual || !e->effect || !rows || !z || !X || !count ||
      !beta)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  double mean = 0, ss = 0, lo = INFINITY, hi = -INFINITY;
  size_t m = 0;
  for (size_t i = 0; !st && i < d->n; i++)
    if (isfinite(y[i])) {
      rows[m++] = i;
      mean += y[i];
      lo = fmin(lo, y[i]);
      hi = fmax(hi, y[i]);
    }
  if (!st) {
    mean = m ? mean / (double)m : 0;
    for (size_t i = 0; i < m; i++)
      ss += (y[rows[i]] - mean) * (y[rows[i]] - mean);
    e->used = m;
    e->scale = m > 1 ? sqrt(ss / (double)(m - 1)) : 0;
    e->range = m ? hi - lo : 0;
    for (size_t i = 0; i < d->n; i++)
      e->residual[i] = isfinite(y[i]) ? y[i] - mean : NAN;
    for (size_t c = 0; c < P; c++)
      e->effect[c] = NAN;
  }
  if (!st && m >= 2 && e->scale > 0) {
    for (size_t i = 0; i < m; i++)
      z[i] = (y[rows[i]] - mean) / e->scale;
    design(d, e->offset, rows, m, P, X, count);
    if (ridge(X, z, m, P, lambda, beta)) {
      for (size_t c = 0; c < P; c++)
        e->effect[c] = count[c] > 0 ? beta[c] * e->scale : NAN;
      for (size_t i = 0; i < m; i++) {
        double fit = 0;
        for (size_t c = 0; c < P; c++)
          fit += X[i * P + c] * beta[c];
        e->residual[rows[i]] = (z[i] - fit) * e->scale;
      }
    }
  }
  free(rows);
  free(z);
  free(X);
  free(count);
  free(beta);
  if (st)
    l4p__effects_release(e);
  return st;
}

double l4p__interaction(const struct l4p__levels *d,
                        const struct l4p__effects *e, size_t a, size_t b)
{
  size_t La = d->L[a], Lb = d->L[b], cells = La * Lb;
  double *sum = calloc(cells + 1, sizeof *sum);
  size_t *cnt = calloc(cells + 1, sizeof *cnt);
  double rss = 0, total = e->scale * e->scale * (double)(e->used - 1);
  size_t m = 0;
  if (!sum || !cnt || e->used < 4 || !(total > 0)) {
    free(sum);
    free(cnt);
    return 0;
  }
  for (size_t i = 0; i < d->n; i++) {
    double r = e->residual[i];
    if (!isfinite(r))
      continue;
    size_t c = d->lv[i * d->p + a] * Lb + d->lv[i * d->p + b];
    sum[c] += r;
    cnt[c]++;
    rss += r * r;
    m++;
  }
  /* noise per row, then what the cell means explain beyond it: for pure
   * noise a cell of k rows gives k * mean^2 = sigma^2 on average */
  double sigma2 = rss / (double)(m - 1), explained = 0;
  for (size_t c = 0; c < cells; c++)
    if (cnt[c] >= 2) {
      double mean = sum[c] / (double)cnt[c];
      explained += (double)cnt[c] * mean * mean - sigma2;
    }
  free(sum);
  free(cnt);
  return explained > 0 ? fmin(1, sqrt(explained / total)) : 0;
}

bool l4p__pearson(const double *x, const double *y, size_t n, double *r)
{
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i]) && isfinite(y[i])) {
      sx += x[i];
      sy += y[i];
      m++;
    }
  if (m < 3)
    return false;
  double mx = sx / (double)m, my = sy / (double)m;
  for (size_t i = 0; i < n; i++)
    if (isfinite(x[i]) && isfinite(y[i])) {
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
      sxy += (x[i] - mx) * (y[i] - my);
    }
  if (!(sxx > 0) || !(syy > 0))
    return false;
  *r = fmax(-1, fmin(1, sxy / sqrt(sxx * syy)));
  return true;
}
