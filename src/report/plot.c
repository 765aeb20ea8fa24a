/* A plot as data, before any drawing: its kind, titles, and series of
 * points, so the same object gives gnuplot's input (gnuplot.c) and the
 * CSV beside a Markdown report. Names of plots become file names and
 * SVG id prefixes, so they are slugs made of [a-z0-9-] only, whatever a
 * study calls its systems and objectives.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report-int.h"
#include "util/strbuf.h"
#include "util/numfmt.h"
#include "util/banned.h"

static char *dup_or_null(const char *s, bool *oom)
{
  char *d = s ? strdup(s) : NULL;
  if (s && !d)
    *oom = true;
  return d;
}

/* See report-int.h. */
struct l4p__plot *l4p__plot_new(enum l4p__plot_kind kind, const char *title,
                                const char *xlabel, const char *ylabel)
{
  struct l4p__plot *p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  p->kind = kind;
  p->width = 760;
  p->height = 400;
  p->title = dup_or_null(title, &p->oom);
  p->xlabel = dup_or_null(xlabel, &p->oom);
  p->ylabel = dup_or_null(ylabel, &p->oom);
  p->csv_x = dup_or_null(xlabel, &p->oom);
  p->csv_y = dup_or_null(ylabel, &p->oom);
  if (p->oom) {
    l4p__plot_free(p);
    return NULL;
  }
  return p;
}

/* See report-int.h. */
bool l4p__plot_columns(struct l4p__plot *p, const char *x, const char *y)
{
  char *nx = x ? strdup(x) : NULL, *ny = y ? strdup(y) : NULL;
  if ((x && !nx) || (y && !ny)) {
    free(nx);
    free(ny);
    return true;
  }
  free(p->csv_x);
  free(p->csv_y);
  p->csv_x = nx;
  p->csv_y = ny;
  return false;
}

/* See report-int.h; NULL is a no-op. */
void l4p__plot_free(struct l4p__plot *p)
{
  if (!p)
    return;
  for (size_t k = 0; k < p->n_series; k++) {
    struct l4p__series *s = &p->series[k];
    free(s->title);
    free(s->x);
    free(s->y);
    free(s->err);
    free(s->row);
  }
  for (size_t k = 0; k < p->n_categories; k++)
    free(p->categories[k]);
  free(p->categories);
  free(p->series);
  free(p->name);
  free(p->title);
  free(p->caption);
  free(p->xlabel);
  free(p->ylabel);
  free(p->csv_x);
  free(p->csv_y);
  free(p);
}

/* See report-int.h. */
struct l4p__series *l4p__plot_series(struct l4p__plot *p, const char *title,
                                     enum l4p__series_style style, int colour)
{
  struct l4p__series *s = realloc(p->series, (p->n_series + 1) * sizeof *s);
  if (!s) {
    p->oom = true;
    return NULL;
  }
  p->series = s;
  s = &p->series[p->n_series];
  memset(s, 0, sizeof *s);
  if (!(s->title = strdup(title))) {
    p->oom = true;
    return NULL;
  }
  s->style = style;
  s->colour = colour;
  p->n_series++;
  return s;
}

/* See report-int.h. */
void l4p__plot_point(struct l4p__plot *p, struct l4p__series *s, double x,
                     double y, double err, long row)
{
  if (!s || p->oom)
    return;
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 16;
    double *nx = realloc(s->x, cap * sizeof *nx);
    if (nx)
      s->x = nx;
    double *ny = nx ? realloc(s->y, cap * sizeof *ny) : NULL;
    if (ny)
      s->y = ny;
    double *ne = ny ? realloc(s->err, cap * sizeof *ne) : NULL;
    if (ne)
      s->err = ne;
    long *nr = ne ? realloc(s->row, cap * sizeof *nr) : NULL;
    if (!nr) {
      p->oom = true;
      return;
    }
    s->row = nr;
    s->cap = cap;
  }
  s->x[s->n] = x;
  s->y[s->n] = y;
  s->err[s->n] = err;
  s->row[s->n] = row;
  s->n++;
}

/* See report-int.h. */
void l4p__plot_category(struct l4p__plot *p, const char *label)
{
  char **c = realloc(p->categories, (p->n_categories + 1) * sizeof *c);
  if (!c) {
    p->oom = true;
    return;
  }
  p->categories = c;
  if (!(c[p->n_categories] = strdup(label)))
    p->oom = true;
  else
    p->n_categories++;
}

/* See report-int.h. */
size_t l4p__plot_points(const struct l4p__plot *p)
{
  size_t n = 0;
  for (size_t k = 0; k < p->n_series; k++)
    n += p->series[k].n;
  return n;
}

/* The shortest text that reads back as v: whole numbers without an
 * exponent ("960"), others by "%.Ng" ("" for NaN). */
static void number(struct l4px_sb *sb, double v)
{
  if (!isfinite(v))
    return;
  if (v == floor(v) && fabs(v) < 1e15) {
    l4px_sb_printf(sb, "%.0f", v);
    return;
  }
  char buf[32];
  l4px_fmt_exact(v, 1, buf, sizeof buf);
  l4px_sb_puts(sb, buf);
}

/* See report-int.h. */
char *l4p__plot_csv(const struct l4p__plot *p)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  bool bars = p->kind == L4P__PLOT_BARS;
  l4px_sb_puts(&sb, "series,");
  l4px_sb_csv_field(&sb, bars ? "label" : p->csv_x ? p->csv_x : "x", ',');
  l4px_sb_putc(&sb, ',');
  l4px_sb_csv_field(&sb,
                    bars       ? (p->csv_x ? p->csv_x : "value")
                    : p->csv_y ? p->csv_y
                               : "y",
                    ',');
  l4px_sb_puts(&sb, p->kind == L4P__PLOT_LINES     ? ",sd\n"
                    : p->kind == L4P__PLOT_SCATTER ? ",row\n"
                                                   : "\n");
  for (size_t k = 0; k < p->n_series; k++) {
    const struct l4p__series *s = &p->series[k];
    for (size_t i = 0; i < s->n; i++) {
      l4px_sb_csv_field(&sb, s->title, ',');
      l4px_sb_putc(&sb, ',');
      size_t slot = (size_t)s->y[i];
      if (bars)
        l4px_sb_csv_field(
            &sb, slot < p->n_categories ? p->categories[slot] : "", ',');
      else
        number(&sb, s->x[i]);
      l4px_sb_putc(&sb, ',');
      number(&sb, bars ? s->x[i] : s->y[i]);
      if (p->kind == L4P__PLOT_LINES) {
        l4px_sb_putc(&sb, ',');
        number(&sb, s->err[i]);
      } else if (p->kind == L4P__PLOT_SCATTER && s->row[i] >= 0) {
        l4px_sb_printf(&sb, ",%ld", s->row[i]);
      } else if (p->kind == L4P__PLOT_SCATTER) {
        l4px_sb_putc(&sb, ',');
      }
      l4px_sb_putc(&sb, '\n');
    }
  }
  return l4px_sb_detach(&sb);
}

/* See report-int.h. */
char *l4p__slug(const char *const *parts, size_t n)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  for (size_t k = 0; k < n; k++) {
    if (k)
      l4px_sb_putc(&sb, '-');
    bool dash = false;
    size_t start = sb.len;
    for (const unsigned char *c = (const unsigned char *)parts[k]; *c; c++) {
      if (isalnum(*c) && *c < 128) {
        if (dash && sb.len > start)
          l4px_sb_putc(&sb, '-');
        l4px_sb_putc(&sb, (char)tolower(*c));
        dash = false;
      } else {
        dash = true;
      }
    }
    if (sb.len == start)
      l4px_sb_putc(&sb, 'x');
  }
  return l4px_sb_detach(&sb);
}
