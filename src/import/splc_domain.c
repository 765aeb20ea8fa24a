/* Numeric domains of SPL Conqueror options: an explicit <values> list, or
 * the values walked from minValue to maxValue by the step function
 * ("level + 1", "maxRam * 3"; "x - k" and "x / k" walk down from
 * maxValue). Values are rounded to 12 significant digits so that a grid
 * built by repeated steps meets the measured values exactly.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "splc-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

/* More values than this means a step function that does not converge. */
#define MAX_VALUES 100000

/* Round to 12 significant digits (see the top of this file). */
double l4p__splc_round(double v)
{
  char buf[64];
  snprintf(buf, sizeof buf, "%.12g", v);
  return strtod(buf, NULL);
}

static int cmp_double(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sort and drop duplicates in place; returns the new count. */
static size_t sort_unique(double *v, size_t n)
{
  qsort(v, n, sizeof *v, cmp_double);
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!k || v[k - 1] != v[i])
      v[k++] = v[i];
  return k;
}

/* Copy the text at *pp up to a stop character (or the end) into dst
 * without blanks, and move *pp to the stop. */
static void operand(const char **pp, const char *stops, char *dst, size_t size)
{
  size_t i = 0;
  const char *p = *pp;
  for (; *p && !(stops && strchr(stops, *p)); p++)
    if (!isspace((unsigned char)*p) && i + 1 < size)
      dst[i++] = *p;
  dst[i] = '\0';
  *pp = p;
}

/* Parse "<var> <op> <number>" (or "<number> <op> <var>" for + and *)
 * into op and k. False when the text has another shape. */
static bool parse_step(const char *text, char *op, double *k)
{
  char a[128], b[128];
  const char *p = text;
  operand(&p, "+-*/", a, sizeof a);
  if (!*p)
    return false;
  *op = *p++;
  operand(&p, NULL, b, sizeof b);
  double va, vb;
  bool na = l4px_parse_double(a, &va), nb = l4px_parse_double(b, &vb);
  if (*a && !na && nb) {
    *k = vb;
    return true;
  }
  if (na && *b && !nb && (*op == '+' || *op == '*')) {
    *k = va;
    return true;
  }
  return false;
}

/* Walk min..max with the step function into a new array. */
static l4p_status walk(const struct l4p__splc_numeric *num, const char *path,
                       double lo, double hi, double **out, size_t *n,
                       bool *additive, double *step)
{
  const char *fn = num->step ? num->step : "x + 1";
  char op;
  double k;
  if (!parse_step(fn, &op, &k))
    return l4p_failf(L4P_EPARSE,
                     "%s:%d: option '%s': cannot read step "
                     "function '%s'",
                     path, num->line, num->name, fn);
  bool add = op == '+' || op == '-';
  if ((add && k <= 0) || (!add && (k <= 1 || (op == '*' ? lo : hi) <= 0)))
    return l4p_failf(L4P_EPARSE,
                     "%s:%d: option '%s': step function '%s' "
                     "never gets from %g to %g",
                     path, num->line, num->name, fn,
                     op == '+' || op == '*' ? lo : hi,
                     op == '+' || op == '*' ? hi : lo);
  double *v = malloc(MAX_VALUES * sizeof *v);
  if (!v)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  /* tolerate rounding at the far end of the walk */
  double eps = 1e-9 * fmax(1, fmax(fabs(lo), fabs(hi)));
  size_t count = 0;
  for (double x = op == '+' || op == '*' ? lo : hi; count < MAX_VALUES;
       count++) {
    double r = l4p__splc_round(x);
    if (r > hi + eps || r < lo - eps)
      break;
    v[count] = r;
    if (op == '+')
      x = lo + (double)(count + 1) * k;
    else if (op == '-')
      x = hi - (double)(count + 1) * k;
    else
      x = op == '*' ? x * k : x / k;
  }
  if (count == MAX_VALUES) {
    free(v);
    return l4p_failf(L4P_EPARSE,
                     "%s:%d: option '%s': step function '%s' "
                     "gives more than %d values",
                     path, num->line, num->name, fn, MAX_VALUES);
  }
  *n = sort_unique(v, count);
  *out = v;
  /* a walk down by k is the same grid as a walk up only when it lands
     on min */
  *additive = op == '+' || (op == '-' && v[0] == l4p__splc_round(lo));
  *step = k;
  return L4P_OK;
}

/* Parse an explicit "a;b;c" (or comma-separated) values list. */
static l4p_status value_list(const struct l4p__splc_numeric *num,
                             const char *path, double **out, size_t *n)
{
  size_t cap = 1;
  for (const char *p = num->values; *p; p++)
    cap += *p == ';' || *p == ',';
  double *v = malloc(cap * sizeof *v);
  if (!v)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  size_t count = 0;
  for (const char *p = num->values; *p;) {
    size_t len = strcspn(p, ";,");
    char item[128];
    snprintf(item, sizeof item, "%.*s", (int)len, p);
    char *s = item, *e = item + strlen(item);
    while (isspace((unsigned char)*s))
      s++;
    while (e > s && isspace((unsigned char)e[-1]))
      *--e = '\0';
    if (*s && !l4px_parse_double(s, &v[count++])) {
      free(v);
      return l4p_failf(L4P_EPARSE,
                       "%s:%d: option '%s': value '%s' is not "
                       "a number",
                       path, num->line, num->name, s);
    }
    p += len + (p[len] != '\0');
  }
  if (!count) {
    free(v);
    return l4p_failf(L4P_EPARSE, "%s:%d: option '%s': empty values list", path,
                     num->line, num->name);
  }
  for (size_t i = 0; i < count; i++)
    v[i] = l4p__splc_round(v[i]);
  *n = sort_unique(v, count);
  *out = v;
  return L4P_OK;
}

/* The model's values for num: its <values> list or its walk. */
l4p_status l4p__splc_domain(const struct l4p__splc_numeric *num,
                            const char *path, double **values, size_t *n,
                            bool *additive, double *step)
{
  *additive = false;
  *step = 0;
  if (num->values && *num->values)
    return value_list(num, path, values, n);
  double lo, hi;
  if (!num->min || !l4px_parse_double(num->min, &lo))
    return l4p_failf(L4P_EPARSE,
                     "%s:%d: option '%s': minValue '%s' is not "
                     "a number",
                     path, num->line, num->name, num->min ? num->min : "");
  if (!num->max || !l4px_parse_double(num->max, &hi))
    return l4p_failf(L4P_EPARSE,
                     "%s:%d: option '%s': maxValue '%s' is not "
                     "a number",
                     path, num->line, num->name, num->max ? num->max : "");
  if (lo > hi)
    return l4p_failf(L4P_EPARSE,
                     "%s:%d: option '%s': minValue %g is above "
                     "maxValue %g",
                     path, num->line, num->name, lo, hi);
  return walk(num, path, lo, hi, values, n, additive, step);
}
