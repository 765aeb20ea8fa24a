/* The report as one self-contained HTML page: inline CSS, the plots'
 * SVG inline, no link to anything outside the file (a Content Security
 * Policy forbids loading anything), and one small inline script that
 * only serves tests: it counts the plots that rendered with a non-zero
 * size and the page's errors into data-plots and data-errors on <body>
 * (docs/REPORT.md, "Testing the page"). Every piece of text is escaped.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "report-int.h"
#include "util/failf.h"
#include "util/strbuf.h"
#include "util/banned.h"

/* Ranks 1..RANK_CLASSES get their own colour; worse ones share the last. */
#define RANK_CLASSES 5

static const char style[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
    "color:#1b1b1b;margin:0;background:#fafafa}"
    "main{max-width:1100px;margin:0 auto;padding:1em 2em 4em;"
    "background:#fff}"
    "h1{font-size:1.7em;border-bottom:2px solid #333}"
    "h2{font-size:1.35em;margin-top:2.2em;border-bottom:1px solid #bbb}"
    "h3{font-size:1.1em;margin-top:1.6em}"
    "nav a{margin-right:1em}"
    "table{border-collapse:collapse;margin:.6em 0;font-size:.92em}"
    "th,td{border:1px solid #ccc;padding:.2em .55em;text-align:left;"
    "vertical-align:top}"
    "th{background:#f0f0f0}"
    "td.rk1{background:#a6dba0}td.rk2{background:#d9f0d3}"
    "td.rk3{background:#fff7bc}td.rk4{background:#fdd49e}"
    "td.rk5{background:#f4a582}"
    ".note{color:#555;font-size:.92em}"
    "figure.plot{margin:1em 0}"
    "figure.plot svg{max-width:100%;height:auto;display:block}"
    "figcaption{color:#555;font-size:.9em}";

/* Test hook (docs/REPORT.md): errors counted from the first moment, plots
 * counted once the page has loaded. */
static const char hook[] =
    "(function(){var errors=0;"
    "function mark(){if(document.body)document.body.setAttribute("
    "'data-errors',String(errors));}"
    "window.addEventListener('error',function(){errors++;mark();},true);"
    "var ce=console.error;console.error=function(){errors++;mark();"
    "return ce.apply(console,arguments);};"
    "window.addEventListener('load',function(){var n=0;"
    "document.querySelectorAll('figure.plot svg').forEach(function(s){"
    "var r=s.getBoundingClientRect();if(r.width>0&&r.height>0)n++;});"
    "document.body.setAttribute('data-plots',String(n));mark();});})();";

static void esc(struct l4px_sb *sb, const char *s)
{
  for (; *s; s++) {
    switch (*s) {
    case '&':
      l4px_sb_puts(sb, "&amp;");
      break;
    case '<':
      l4px_sb_puts(sb, "&lt;");
      break;
    case '>':
      l4px_sb_puts(sb, "&gt;");
      break;
    case '"':
      l4px_sb_puts(sb, "&quot;");
      break;
    case '\'':
      l4px_sb_puts(sb, "&#39;");
      break;
    default:
      l4px_sb_putc(sb, *s);
    }
  }
}

static void table(struct l4px_sb *sb, const struct l4p__block *b)
{
  l4px_sb_puts(sb, "<table>\n<thead><tr>");
  for (size_t k = 0; k < b->n_cells; k++) {
    const struct l4p__cell *c = &b->cells[k];
    bool head = k < b->n_cols;
    if (k == b->n_cols)
      l4px_sb_puts(sb, "</tr></thead>\n<tbody><tr>");
    else if (k > b->n_cols && k % b->n_cols == 0)
      l4px_sb_puts(sb, "</tr>\n<tr>");
    l4px_sb_puts(sb, head ? "<th" : "<td");
    if (c->rank > 0)
      l4px_sb_printf(sb, " class=\"rk%d\"",
                     c->rank < RANK_CLASSES ? c->rank : RANK_CLASSES);
    l4px_sb_puts(sb, c->strong ? "><strong>" : ">");
    esc(sb, c->text);
    l4px_sb_puts(sb, c->strong ? "</strong>" : "");
    l4px_sb_puts(sb, head ? "</th>" : "</td>");
  }
  l4px_sb_puts(sb, b->n_cells > b->n_cols ? "</tr></tbody>\n</table>\n"
                                          : "</tr></thead>\n</table>\n");
}

static void plot(struct l4px_sb *sb, const struct l4p__block *b)
{
  l4px_sb_printf(sb, "<figure class=\"plot\" id=\"%s\">\n", b->plot->name);
  l4px_sb_puts(sb, b->svg);
  if (b->plot->caption) {
    l4px_sb_puts(sb, "\n<figcaption>");
    esc(sb, b->plot->caption);
    l4px_sb_puts(sb, "</figcaption>");
  }
  l4px_sb_puts(sb, "\n</figure>\n");
}

/* Links to the level-2 headings that have an id. */
static void nav(struct l4px_sb *sb, const struct l4p__doc *d)
{
  l4px_sb_puts(sb, "<nav>");
  for (size_t k = 0; k < d->n; k++) {
    const struct l4p__block *b = &d->blocks[k];
    if (b->kind != L4P__BLOCK_HEADING || b->level != 2 || !b->id)
      continue;
    l4px_sb_printf(sb, "<a href=\"#%s\">", b->id);
    esc(sb, b->text);
    l4px_sb_puts(sb, "</a>");
  }
  l4px_sb_puts(sb, "</nav>\n");
}

static void block(struct l4px_sb *sb, const struct l4p__doc *d, size_t k)
{
  const struct l4p__block *b = &d->blocks[k];
  switch (b->kind) {
  case L4P__BLOCK_HEADING:
    l4px_sb_printf(sb, "<h%d", b->level);
    if (b->id)
      l4px_sb_printf(sb, " id=\"%s\"", b->id);
    l4px_sb_putc(sb, '>');
    esc(sb, b->text);
    l4px_sb_printf(sb, "</h%d>\n", b->level);
    if (b->level == 1)
      nav(sb, d);
    break;
  case L4P__BLOCK_TEXT:
  case L4P__BLOCK_NOTE:
    l4px_sb_puts(sb, b->kind == L4P__BLOCK_NOTE ? "<p class=\"note\">" : "<p>");
    esc(sb, b->text);
    l4px_sb_puts(sb, "</p>\n");
    break;
  case L4P__BLOCK_TABLE:
    table(sb, b);
    break;
  case L4P__BLOCK_PLOT:
    plot(sb, b);
    break;
  }
}

/* See report-int.h. */
l4p_status l4p__html_render(const struct l4p__doc *d, const char *title,
                            char **html)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  l4px_sb_puts(&sb, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                    "<meta charset=\"utf-8\">\n"
                    "<meta http-equiv=\"Content-Security-Policy\" content=\""
                    "default-src 'none'; style-src 'unsafe-inline'; "
                    "script-src 'unsafe-inline'\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, "
                    "initial-scale=1\">\n<title>llm4perf report: ");
  esc(&sb, title);
  l4px_sb_printf(&sb,
                 "</title>\n<style>%s</style>\n<script>%s</script>\n"
                 "</head>\n<body data-plots=\"0\" data-errors=\"0\">\n"
                 "<main>\n",
                 style, hook);
  for (size_t k = 0; k < d->n; k++)
    block(&sb, d, k);
  l4px_sb_puts(&sb,
               "<p class=\"note\">Written by llm4perf report from the "
               "study's summary.json, samples.csv and study.db; plots drawn "
               "by gnuplot.</p>\n</main>\n</body>\n</html>\n");
  *html = l4px_sb_detach(&sb);
  return *html ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
}
