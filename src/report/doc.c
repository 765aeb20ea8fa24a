/* The report as a document: a flat list of headings, paragraphs, notes,
 * tables and plots, built once by the sections and rendered twice (HTML,
 * Markdown), so both always say the same. Text is kept plain; escaping is
 * the renderers' job. Appending never fails on the spot: running out of
 * memory sets a flag that l4p_report_write checks once (as strbuf does).
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report-int.h"
#include "util/banned.h"

void l4p__doc_init(struct l4p__doc *d)
{
  memset(d, 0, sizeof *d);
}

void l4p__doc_release(struct l4p__doc *d)
{
  for (size_t k = 0; k < d->n; k++) {
    struct l4p__block *b = &d->blocks[k];
    free(b->text);
    free(b->id);
    for (size_t c = 0; c < b->n_cells; c++)
      free(b->cells[c].text);
    free(b->cells);
    l4p__plot_free(b->plot);
    free(b->svg);
  }
  free(d->blocks);
  memset(d, 0, sizeof *d);
}

/* A new zeroed block at the end, or NULL (and d->oom). */
static struct l4p__block *push(struct l4p__doc *d, enum l4p__block_kind kind)
{
  if (d->n == d->cap) {
    size_t cap = d->cap ? 2 * d->cap : 64;
    struct l4p__block *b = realloc(d->blocks, cap * sizeof *b);
    if (!b) {
      d->oom = true;
      return NULL;
    }
    d->blocks = b;
    d->cap = cap;
  }
  struct l4p__block *b = &d->blocks[d->n++];
  memset(b, 0, sizeof *b);
  b->kind = kind;
  return b;
}

/* fmt and ap formatted into a heap string; NULL on ENOMEM. */
static char *vformat(const char *fmt, va_list ap)
{
  va_list copy;
  va_copy(copy, ap);
  int len = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  char *buf = len >= 0 ? malloc((size_t)len + 1) : NULL;
  if (buf)
    vsnprintf(buf, (size_t)len + 1, fmt, ap);
  return buf;
}

static void add_text(struct l4p__doc *d, enum l4p__block_kind kind,
                     const char *fmt, va_list ap)
{
  struct l4p__block *b = push(d, kind);
  if (b && !(b->text = vformat(fmt, ap)))
    d->oom = true;
}

void l4p__doc_heading(struct l4p__doc *d, int level, const char *id,
                      const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  add_text(d, L4P__BLOCK_HEADING, fmt, ap);
  va_end(ap);
  if (d->oom)
    return;
  struct l4p__block *b = &d->blocks[d->n - 1];
  b->level = level;
  if (id && !(b->id = strdup(id)))
    d->oom = true;
}

void l4p__doc_text(struct l4p__doc *d, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  add_text(d, L4P__BLOCK_TEXT, fmt, ap);
  va_end(ap);
}

void l4p__doc_note(struct l4p__doc *d, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  add_text(d, L4P__BLOCK_NOTE, fmt, ap);
  va_end(ap);
}

void l4p__doc_table(struct l4p__doc *d, size_t n_cols)
{
  struct l4p__block *b = push(d, L4P__BLOCK_TABLE);
  if (b) {
    b->n_cols = n_cols;
    d->n_tables++;
  }
}

/* Appends to the last block, which must be a table. */
void l4p__doc_cell(struct l4p__doc *d, int rank, bool strong, const char *fmt,
                   ...)
{
  if (d->oom || !d->n || d->blocks[d->n - 1].kind != L4P__BLOCK_TABLE)
    return;
  struct l4p__block *b = &d->blocks[d->n - 1];
  struct l4p__cell *c = realloc(b->cells, (b->n_cells + 1) * sizeof *c);
  if (!c) {
    d->oom = true;
    return;
  }
  b->cells = c;
  va_list ap;
  va_start(ap, fmt);
  char *text = vformat(fmt, ap);
  va_end(ap);
  if (!text) {
    d->oom = true;
    return;
  }
  b->cells[b->n_cells++] = (struct l4p__cell){text, rank, strong};
}

/* Is name already a plot's name in d? */
static bool taken(const struct l4p__doc *d, const char *name)
{
  for (size_t k = 0; k < d->n; k++)
    if (d->blocks[k].plot && !strcmp(d->blocks[k].plot->name, name))
      return true;
  return false;
}

/* Rename p "<name>-2", "-3"... while another plot of d has its name. */
static bool make_unique(const struct l4p__doc *d, struct l4p__plot *p)
{
  size_t len = strlen(p->name);
  for (int k = 2; taken(d, p->name); k++) {
    char *name = malloc(len + 16);
    if (!name)
      return false;
    snprintf(name, len + 16, "%.*s-%d", (int)len, p->name, k);
    free(p->name);
    p->name = name;
  }
  return true;
}

void l4p__doc_plot(struct l4p__doc *d, struct l4p__plot *p)
{
  struct l4p__block *b = NULL;
  if (p && !p->oom && make_unique(d, p))
    b = push(d, L4P__BLOCK_PLOT);
  if (!b) {
    d->oom = true;
    l4p__plot_free(p);
    return;
  }
  b->plot = p;
  d->n_plots++;
}

void l4p__fmt(double v, char *buf, size_t size)
{
  if (!isfinite(v))
    snprintf(buf, size, "%s", L4P__NONE);
  else if (fabs(v) >= 100 && fabs(v) < 1e6)
    snprintf(buf, size, "%.0f", v);
  else
    snprintf(buf, size, "%.3g", v);
}
