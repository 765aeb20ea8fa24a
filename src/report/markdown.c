/* The report as Markdown: the same blocks as the HTML page, each plot an
 * image link to FILE-plots/NAME.svg with its data in FILE-plots/NAME.csv
 * beside it. User text is backslash-escaped wherever Markdown would read
 * it as markup (or as HTML), and the plots folder is filled under a
 * temporary name and renamed into place, so a failed write never leaves
 * half a folder.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report-int.h"
#include "util/dirs.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* Escape s for Markdown text (also inside a table cell): characters of
 * inline markup and HTML always, and a first character that could open
 * a heading, list or block quote. */
static void esc(struct l4px_sb *sb, const char *s)
{
  if (*s && strchr("#-+=", *s))
    l4px_sb_putc(sb, '\\');
  for (; *s; s++) {
    if (*s == '\n' || *s == '\r') {
      l4px_sb_putc(sb, ' ');
      continue;
    }
    if (strchr("\\`*_[]<>|&~", *s))
      l4px_sb_putc(sb, '\\');
    l4px_sb_putc(sb, *s);
  }
}

static void table(struct l4px_sb *sb, const struct l4p__block *b)
{
  for (size_t k = 0; k < b->n_cells; k++) {
    const struct l4p__cell *c = &b->cells[k];
    l4px_sb_puts(sb, k % b->n_cols == 0 ? "| " : " | ");
    l4px_sb_puts(sb, c->strong ? "**" : "");
    esc(sb, c->text);
    l4px_sb_puts(sb, c->strong ? "**" : "");
    if (k % b->n_cols == b->n_cols - 1) {
      l4px_sb_puts(sb, " |\n");
      for (size_t j = 0; k + 1 == b->n_cols && j < b->n_cols; j++)
        l4px_sb_puts(sb, j ? "---|" : "|---|");
      if (k + 1 == b->n_cols)
        l4px_sb_putc(sb, '\n');
    }
  }
  l4px_sb_putc(sb, '\n');
}

static void block(struct l4px_sb *sb, const struct l4p__block *b,
                  const char *rel)
{
  switch (b->kind) {
  case L4P__BLOCK_HEADING:
    for (int k = 0; k < b->level; k++)
      l4px_sb_putc(sb, '#');
    l4px_sb_putc(sb, ' ');
    esc(sb, b->text);
    l4px_sb_puts(sb, "\n\n");
    break;
  case L4P__BLOCK_TEXT:
  case L4P__BLOCK_NOTE:
    l4px_sb_puts(sb, b->kind == L4P__BLOCK_NOTE ? "*" : "");
    esc(sb, b->text);
    l4px_sb_puts(sb, b->kind == L4P__BLOCK_NOTE ? "*\n\n" : "\n\n");
    break;
  case L4P__BLOCK_TABLE:
    table(sb, b);
    break;
  case L4P__BLOCK_PLOT:
    l4px_sb_puts(sb, "![");
    esc(sb, b->plot->title);
    l4px_sb_printf(sb, "](%s/%s.svg)\n\n", rel, b->plot->name);
    if (b->plot->caption) {
      esc(sb, b->plot->caption);
      l4px_sb_putc(sb, ' ');
    }
    l4px_sb_printf(sb, "Data: [%s.csv](%s/%s.csv)\n\n", b->plot->name, rel,
                   b->plot->name);
    break;
  }
}

/* See report-int.h. */
l4p_status l4p__md_render(const struct l4p__doc *d, const char *plots_rel,
                          char **md)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  for (size_t k = 0; k < d->n; k++)
    block(&sb, &d->blocks[k], plots_rel);
  l4px_sb_puts(&sb, "*Written by llm4perf report from the study's "
                    "summary.json, samples.csv and study.db; plots drawn by "
                    "gnuplot.*\n");
  *md = l4px_sb_detach(&sb);
  return *md ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
}

/* Write every plot's SVG and CSV into dir. */
static l4p_status write_plots(const struct l4p__doc *d, const char *dir)
{
  l4p_status st = L4P_OK;
  for (size_t k = 0; !st && k < d->n; k++) {
    const struct l4p__block *b = &d->blocks[k];
    if (b->kind != L4P__BLOCK_PLOT)
      continue;
    struct l4px_sb path, svg;
    l4px_sb_init(&path);
    l4px_sb_init(&svg);
    l4px_sb_printf(&svg, "%s\n", b->svg);
    char *csv = l4p__plot_csv(b->plot);
    l4px_sb_printf(&path, "%s/%s.svg", dir, b->plot->name);
    if (!csv || l4px_sb_failed(&path) || l4px_sb_failed(&svg))
      st = l4p_failf(L4P_ENOMEM, "out of memory");
    if (!st)
      st = l4px_write_file_atomic(path.buf, svg.buf, svg.len);
    l4px_sb_reset(&path);
    l4px_sb_printf(&path, "%s/%s.csv", dir, b->plot->name);
    if (!st)
      st = l4px_sb_failed(&path)
               ? l4p_failf(L4P_ENOMEM, "out of memory")
               : l4px_write_file_atomic(path.buf, csv, strlen(csv));
    free(csv);
    l4px_sb_release(&path);
    l4px_sb_release(&svg);
  }
  return st;
}

/* "FILE-plots" for FILE.md (or FILE) into *dir, and its name relative
 * to the Markdown file's folder into *rel (both heap). */
static l4p_status plots_dir(const char *md_path, char **dir, char **rel)
{
  size_t len = strlen(md_path);
  if (len > 3 && !strcmp(md_path + len - 3, ".md"))
    len -= 3;
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  l4px_sb_printf(&sb, "%.*s-plots", (int)len, md_path);
  *dir = l4px_sb_detach(&sb);
  const char *base = *dir ? strrchr(*dir, '/') : NULL;
  *rel = *dir ? strdup(base ? base + 1 : *dir) : NULL;
  if (*dir && *rel)
    return L4P_OK;
  free(*dir);
  free(*rel);
  return l4p_failf(L4P_ENOMEM, "out of memory");
}

/* See report-int.h. */
l4p_status l4p__md_write(const struct l4p__doc *d, const char *md_path)
{
  char *dir, *rel, *md = NULL, *tmp = NULL;
  l4p_status st = plots_dir(md_path, &dir, &rel);
  if (st)
    return st;
  char *parent = l4px_dirname(md_path);
  struct l4px_sb prefix;
  l4px_sb_init(&prefix);
  l4px_sb_printf(&prefix, ".%s.tmp", rel);
  st = parent && !l4px_sb_failed(&prefix)
           ? l4p__md_render(d, rel, &md)
           : l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st)
    st = l4px_make_temp_dir(parent, prefix.buf, &tmp);
  if (!st && chmod(tmp, 0755) != 0) /* mkdtemp made it private */
    st = l4p_failf(L4P_EIO, "cannot chmod '%s': %s", tmp, strerror(errno));
  if (!st)
    st = write_plots(d, tmp);
  if (!st)
    st = l4px_remove_tree(dir);
  if (!st && rename(tmp, dir) != 0)
    st = l4p_failf(L4P_EIO, "cannot rename '%s' to '%s': %s", tmp, dir,
                   strerror(errno));
  if (st && tmp)
    l4px_remove_tree(tmp);
  if (!st)
    st = l4px_write_file_atomic(md_path, md, strlen(md));
  l4px_sb_release(&prefix);
  free(tmp);
  free(md);
  free(parent);
  free(dir);
  free(rel);
  return st;
}
