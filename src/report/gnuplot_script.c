/* gnuplot's input for one plot: a data file per series (numbers only, so
 * no user text is ever read as data) and a script in which every piece
 * of user text (titles, labels, option names) is a single-quoted string.
 * gnuplot expands nothing inside single quotes (no macros, no backquote
 * commands) and only '' stands for a quote, so a label can neither run
 * gnuplot's system() nor end a command: newlines become spaces.
 * The terminal is plain svg: no mouse, no standalone JavaScript.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* Colours of treatments, by label; pruned variants share their label's. */
static const char *const palette[] = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#637939",
    "#8c6d31", "#843c39", "#7b4173", "#3182bd"};
#define N_PALETTE (sizeof palette / sizeof palette[0])

static const char *colour(const struct l4p__series *s)
{
  if (s->colour >= 0)
    return palette[(size_t)s->colour % N_PALETTE];
  return s->style == L4P__STYLE_CLOUD ? "#c4c4c4" : "#000000";
}

/* See report-int.h. */
void l4p__gnuplot_quote(struct l4px_sb *sb, const char *text)
{
  l4px_sb_putc(sb, '\'');
  for (const unsigned char *c = (const unsigned char *)text; *c; c++) {
    if (*c == '\'')
      l4px_sb_puts(sb, "''");
    else if (*c < 0x20 || *c == 0x7f)
      l4px_sb_putc(sb, ' ');
    else
      l4px_sb_putc(sb, (char)*c);
  }
  l4px_sb_putc(sb, '\'');
}

/* Write text to path (a scratch file: no rename, no sync). */
static l4p_status put_file(const char *path, const struct l4px_sb *text)
{
  if (l4px_sb_failed(text))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  FILE *f = fopen(path, "wb");
  bool bad = !f || fwrite(text->buf, 1, text->len, f) != text->len;
  if (f)
    bad |= fclose(f) != 0;
  return bad ? l4p_failf(L4P_EIO, "cannot write '%s': %s", path,
                         strerror(errno))
             : L4P_OK;
}

/* The data of series k: "x y err" lines, rows with no y left out. */
static l4p_status data_file(const struct l4p__plot *p, size_t k,
                            const char *path)
{
  const struct l4p__series *s = &p->series[k];
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  for (size_t i = 0; i < s->n; i++)
    if (isfinite(s->x[i]) && isfinite(s->y[i]))
      l4px_sb_printf(&sb, "%.17g %.17g %.17g\n", s->x[i], s->y[i],
                     isfinite(s->err[i]) ? s->err[i] : 0.0);
  l4p_status st = put_file(path, &sb);
  l4px_sb_release(&sb);
  return st;
}

static bool has_points(const struct l4p__series *s)
{
  for (size_t i = 0; i < s->n; i++)
    if (isfinite(s->x[i]) && isfinite(s->y[i]))
      return true;
  return false;
}

static void set_text(struct l4px_sb *sb, const char *what, const char *text)
{
  if (!text)
    return;
  l4px_sb_printf(sb, "set %s ", what);
  l4p__gnuplot_quote(sb, text);
  l4px_sb_putc(sb, '\n');
}

static void preamble(struct l4px_sb *sb, const struct l4p__plot *p)
{
  l4px_sb_printf(sb,
                 "set terminal svg size %d,%d noenhanced font "
                 "'sans-serif,11' background '#ffffff'\n"
                 "set output\nset encoding utf8\n",
                 p->width, p->height);
  set_text(sb, "title", p->title);
  set_text(sb, "xlabel", p->xlabel);
  set_text(sb, "ylabel", p->ylabel);
  l4px_sb_puts(sb, "set border 3\nset tics nomirror\n"
                   "set grid lc rgb '#e4e4e4' lt 1\n");
  if (p->log_x)
    l4px_sb_puts(sb, "set logscale x\n");
  if (p->log_y)
    l4px_sb_puts(sb, "set logscale y\n");
}

/* LINES: budgets as x tics; a little room left and right. */
static void lines_axes(struct l4px_sb *sb, const struct l4p__plot *p)
{
  double lo = INFINITY, hi = -INFINITY;
  l4px_sb_puts(sb, "set key outside right top Left reverse samplen 2\n"
                   "set style fill transparent solid 0.12 noborder\n"
                   "set xtics (");
  size_t n_tics = 0;
  double tics[64];
  for (size_t k = 0; k < p->n_series; k++)
    for (size_t i = 0; i < p->series[k].n; i++) {
      double x = p->series[k].x[i];
      size_t t = 0;
      while (t < n_tics && tics[t] != x)
        t++;
      if (t == n_tics && n_tics < 64 && isfinite(x)) {
        l4px_sb_printf(sb, "%s%.17g", n_tics ? ", " : "", x);
        tics[n_tics++] = x;
        lo = fmin(lo, x);
        hi = fmax(hi, x);
      }
    }
  double pad = hi > lo ? (hi - lo) * 0.04 : 1;
  l4px_sb_printf(sb, ")\nset xrange [%.17g:%.17g]\n", lo - pad, hi + pad);
  if (p->y_from_zero)
    l4px_sb_puts(sb, "set yrange [0:*]\n");
}

/* BARS: one slot per category, the first at the top. */
static void bars_axes(struct l4px_sb *sb, const struct l4p__plot *p)
{
  double hi = 0;
  for (size_t k = 0; k < p->n_series; k++)
    for (size_t i = 0; i < p->series[k].n; i++)
      if (isfinite(p->series[k].x[i]))
        hi = fmax(hi, p->series[k].x[i]);
  hi = hi > 0 ? fmin(1, hi * 1.08) : 1;
  l4px_sb_printf(sb,
                 "set key inside bottom right\n"
                 "set style fill solid 0.85 noborder\n"
                 "set xrange [0:%.17g]\nset yrange [%g:-0.5]\n"
                 "unset grid\nset grid xtics lc rgb '#e4e4e4' lt 1\n"
                 "set ytics scale 0 (",
                 hi, (double)p->n_categories - 0.5);
  for (size_t c = 0; c < p->n_categories; c++) {
    l4px_sb_puts(sb, c ? ", " : "");
    l4p__gnuplot_quote(sb, p->categories[c]);
    l4px_sb_printf(sb, " %zu", c);
  }
  l4px_sb_puts(sb, ")\n");
}

/* The plot clause of series s from file path. */
static void clause(struct l4px_sb *sb, const struct l4p__plot *p,
                   const struct l4p__series *s, const char *path, bool band)
{
  l4p__gnuplot_quote(sb, path);
  const char *c = colour(s);
  if (band) {
    l4px_sb_printf(sb,
                   " using 1:($2-$3):($2+$3) with filledcurves lc rgb "
                   "'%s' notitle",
                   c);
    return;
  }
  switch (s->style) {
  case L4P__STYLE_LINE:
    l4px_sb_printf(sb,
                   " using 1:2 with linespoints lw 1.6 pt %d ps 0.55 "
                   "dt %d lc rgb '%s'",
                   s->dashed ? 6 : 7, s->dashed ? 2 : 1, c);
    break;
  case L4P__STYLE_CLOUD:
    l4px_sb_printf(sb, " using 1:2 with points pt 7 ps 0.25 lc rgb '%s'", c);
    break;
  case L4P__STYLE_FRONT:
    l4px_sb_printf(sb, " using 1:2 with %s pt 6 ps 0.8 lw 1 lc rgb '%s'",
                   s->joined ? "linespoints" : "points", c);
    break;
  case L4P__STYLE_MARKS:
    l4px_sb_printf(sb, " using 1:2 with points pt %d ps 0.9 lc rgb '%s'",
                   s->dashed ? 9 : 5, c);
    break;
  case L4P__STYLE_BAR:
    l4px_sb_printf(sb,
                   " using ($1/2):2:($1/2):(0.36) with boxxyerror lc "
                   "rgb '%s'",
                   c);
    break;
  }
  if (s->no_key) {
    l4px_sb_puts(sb, " notitle");
    return;
  }
  l4px_sb_puts(sb, " title ");
  l4p__gnuplot_quote(sb, s->title);
}

/* The plot command over the series with points (bands first, beneath). */
static l4p_status plot_command(struct l4px_sb *sb, const struct l4p__plot *p,
                               const char *tmpdir)
{
  bool first = true;
  for (int pass = p->kind == L4P__PLOT_LINES && p->band ? 0 : 1; pass < 2;
       pass++)
    for (size_t k = 0; k < p->n_series; k++) {
      const struct l4p__series *s = &p->series[k];
      if (!has_points(s))
        continue;
      char path[4096];
      snprintf(path, sizeof path, "%s/%s-%zu.dat", tmpdir, p->name, k);
      if (pass == 1) {
        l4p_status st = data_file(p, k, path);
        if (st)
          return st;
      }
      l4px_sb_puts(sb, first ? "plot " : ", \\\n     ");
      first = false;
      clause(sb, p, s, path, pass == 0);
    }
  l4px_sb_putc(sb, '\n');
  return first ? l4p_failf(L4P_EIO, "plot '%s' has no points", p->name)
               : L4P_OK;
}

/* See report-int.h. */
l4p_status l4p__gnuplot_script(const struct l4p__plot *p, const char *tmpdir,
                               char **script)
{
  struct l4px_sb sb, path;
  l4px_sb_init(&sb);
  l4px_sb_init(&path);
  preamble(&sb, p);
  if (p->kind == L4P__PLOT_LINES)
    lines_axes(&sb, p);
  else if (p->kind == L4P__PLOT_BARS)
    bars_axes(&sb, p);
  else
    l4px_sb_puts(&sb, "set key below left Left reverse\n");
  l4p_status st = plot_command(&sb, p, tmpdir);
  l4px_sb_printf(&path, "%s/%s.gp", tmpdir, p->name);
  if (!st)
    st = put_file(path.buf, &sb);
  l4px_sb_release(&sb);
  *script = st ? NULL : l4px_sb_detach(&path);
  if (st)
    l4px_sb_release(&path);
  else if (!*script)
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  return st;
}
