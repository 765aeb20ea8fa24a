/* --where: row filters applied before any format looks at the table, so
 * one release of a multi-release dataset (revision=9.6.3) or the sane
 * part of a table (Crf<=51,Energy>0) becomes the spec's world. Each
 * comma-separated condition is COL OP VALUE with OP one of = == != < <=
 * > >=; a row is kept when it meets them all. Cell and value compare as
 * numbers when both are numbers, else = and != compare the text and the
 * ordering operators are errors. A column tested only with = or == holds
 * one value afterwards and is dropped (role L4P__COL_WHERE); the others
 * stay options or objectives.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "import-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

enum op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

/* Spellings, longest first so "<=" wins over "<". */
static const struct {
  const char *text;
  enum op op;
} ops[] = {{"==", OP_EQ}, {"!=", OP_NE}, {"<=", OP_LE}, {">=", OP_GE},
           {"=", OP_EQ},  {"<", OP_LT},  {">", OP_GT}};

struct cond {
  const char *text;  /* the condition as written, for messages */
  char *column;      /* trimmed, points into a copy owned by the caller */
  const char *value; /* trimmed */
  enum op op;
  int col;
  bool numeric; /* value is a number */
  double number;
};

/* Split item (modified in place) into column, operator and value. */
static l4p_status parse_cond(char *item, const char *text, struct cond *c)
{
  c->text = text;
  size_t at = strcspn(item, "=!<>");
  size_t k = 0, len = 0;
  for (; item[at] && k < sizeof ops / sizeof *ops; k++) {
    len = strlen(ops[k].text);
    if (strncmp(item + at, ops[k].text, len) == 0)
      break;
  }
  if (!item[at] || k == sizeof ops / sizeof *ops ||
      (item[at + len] && strchr("=!<>", item[at + len])))
    return l4p_failf(L4P_EUSAGE,
                     "where '%s': expected COL OP VALUE with OP "
                     "one of = == != < <= > >=",
                     text);
  c->op = ops[k].op;
  char *value = item + at + len;
  item[at] = '\0';
  while (at && isspace((unsigned char)item[at - 1]))
    item[--at] = '\0';
  if (!at)
    return l4p_failf(L4P_EUSAGE, "where '%s': no column before '%s'", text,
                     ops[k].text);
  while (isspace((unsigned char)*value))
    value++;
  c->column = item;
  c->value = value;
  c->numeric = l4px_parse_double(value, &c->number);
  if (!c->numeric && c->op != OP_EQ && c->op != OP_NE)
    return l4p_failf(L4P_EUSAGE,
                     "where '%s': column '%s': '%s' orders "
                     "numbers, and '%s' is not a number",
                     text, c->column, ops[k].text, value);
  return L4P_OK;
}

/* Does cell meet condition c? EUSAGE when c orders and cell is text. */
static l4p_status meets(const struct l4p__import *im, size_t k,
                        const struct cond *c, bool *yes)
{
  const char *cell = l4p__cell(im, k, (size_t)c->col);
  double v = 0;
  bool num = c->numeric && l4px_parse_double(cell, &v);
  if (!num && c->op != OP_EQ && c->op != OP_NE)
    return l4p_failf(L4P_EUSAGE,
                     "%s:%d: where '%s': column '%s': '%s' is "
                     "not a number",
                     im->path, l4p__line(im, k), c->text, c->column, cell);
  bool equal = num ? v == c->number : strcmp(cell, c->value) == 0;
  switch (c->op) {
  case OP_EQ:
    *yes = equal;
    break;
  case OP_NE:
    *yes = !equal;
    break;
  case OP_LT:
    *yes = v < c->number;
    break;
  case OP_LE:
    *yes = v <= c->number;
    break;
  case OP_GT:
    *yes = v > c->number;
    break;
  case OP_GE:
    *yes = v >= c->number;
    break;
  }
  return L4P_OK;
}

/* Parse every condition and find its column. */
static l4p_status parse_all(struct l4p__import *im, char **items, char **texts,
                            size_t n, struct cond *conds)
{
  for (size_t i = 0; i < n; i++) {
    l4p_status st = parse_cond(items[i], texts[i], &conds[i]);
    if (st)
      return st;
    conds[i].col = l4p__find_column(im, conds[i].column);
    if (conds[i].col < 0)
      return l4p_failf(L4P_EUSAGE, "where '%s': no column '%s' in %s", texts[i],
                       conds[i].column, im->path);
  }
  return L4P_OK;
}

/* Drop the rows failing a condition, then mark equality-only columns. */
static l4p_status filter(struct l4p__import *im, const char *where,
                         const struct cond *conds, size_t n)
{
  size_t kept = 0, total = im->n_rows;
  for (size_t k = 0; k < total; k++) {
    bool yes = true;
    for (size_t i = 0; yes && i < n; i++) {
      l4p_status st = meets(im, k, &conds[i], &yes);
      if (st)
        return st;
    }
    if (yes)
      im->rows[kept++] = im->rows[k];
  }
  im->n_rows = kept;
  if (!kept)
    return l4p_failf(L4P_EUSAGE, "where '%s' matches no row of %s", where,
                     im->path);
  for (size_t i = 0; i < n; i++) {
    bool equality_only = true;
    for (size_t j = 0; j < n; j++)
      if (conds[j].col == conds[i].col && conds[j].op != OP_EQ)
        equality_only = false;
    if (equality_only)
      im->cols[conds[i].col].role = L4P__COL_WHERE;
  }
  im->where_total = total;
  return L4P_OK;
}

/* Apply --where to im; see import-int.h and the top of this file. */
l4p_status l4p__apply_where(struct l4p__import *im, const char *where)
{
  size_t n = 0, n2 = 0;
  char **items = l4p__split_list(where, &n);
  char **texts = l4p__split_list(where, &n2);
  struct cond *conds = calloc(n + 1, sizeof *conds);
  l4p_status st =
      items && texts && conds ? L4P_OK : l4p_failf(L4P_ENOMEM, "out of memory");
  if (!st)
    st = parse_all(im, items, texts, n, conds);
  if (!st)
    st = filter(im, where, conds, n);
  free(conds);
  l4p__free_list(items, items ? n : 0);
  l4p__free_list(texts, texts ? n2 : 0);
  return st;
}
