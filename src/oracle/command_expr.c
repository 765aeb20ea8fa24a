/* Objectives of a live system as formulas over the metrics of a run, such
 * as "in_bytes / out_bytes" (a compression ratio) or "max_rss_kb / 1024".
 * The language is arithmetic only: numbers, metric names, + - * /, unary
 * minus and parentheses, compiled once into postfix operations. It is not
 * the constraint language of the space, whose names are options.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command-int.h"
#include "util/failf.h"
#include "util/banned.h"

struct parser {
  const char *text, *p;
  const struct cmd_def *def;
  struct cmd_expr *e;
  size_t cap;
  int depth; /* parentheses and minus signs open, bounded so the
                      recursion and the evaluation stack stay small */
  l4p_status st;
};

#define MAX_DEPTH 32

/* Record the first error, at the current column. */
static void fail(struct parser *ps, const char *what, const char *name)
{
  if (ps->st)
    return;
  ps->st =
      l4p_failf(L4P_EPARSE, "column %d: %s%s%s%s", (int)(ps->p - ps->text) + 1,
                what, name ? " '" : "", name ? name : "", name ? "'" : "");
}

static void emit(struct parser *ps, struct cmd_op op)
{
  if (ps->st)
    return;
  if (ps->e->n_ops == ps->cap) {
    size_t cap = ps->cap ? 2 * ps->cap : 8;
    struct cmd_op *grown = realloc(ps->e->ops, cap * sizeof *grown);
    if (!grown) {
      ps->st = l4p_failf(L4P_ENOMEM, "out of memory");
      return;
    }
    ps->e->ops = grown;
    ps->cap = cap;
  }
  ps->e->ops[ps->e->n_ops++] = op;
}

static char peek(struct parser *ps)
{
  while (*ps->p == ' ' || *ps->p == '\t')
    ps->p++;
  return *ps->p;
}

static void expr(struct parser *ps);

/* A metric name: letters, digits and '_', not starting with a digit. */
static void name(struct parser *ps)
{
  const char *start = ps->p;
  while (isalnum((unsigned char)*ps->p) || *ps->p == '_')
    ps->p++;
  char word[128];
  snprintf(word, sizeof word, "%.*s", (int)(ps->p - start), start);
  for (size_t k = 0; k < ps->def->n_metrics; k++)
    if (strcmp(ps->def->metrics[k].name, word) == 0) {
      emit(ps, (struct cmd_op){.kind = CMD_OP_METRIC, .metric = k});
      return;
    }
  ps->p = start;
  fail(ps, "unknown metric", word);
}

static void primary(struct parser *ps)
{
  char c = peek(ps);
  if (c == '(' && ps->depth >= MAX_DEPTH) {
    fail(ps, "nested too deeply", NULL);
  } else if (c == '(') {
    ps->p++;
    ps->depth++;
    expr(ps);
    ps->depth--;
    if (!ps->st && peek(ps) != ')')
      fail(ps, "expected ')'", NULL);
    else if (!ps->st)
      ps->p++;
  } else if (isdigit((unsigned char)c) || c == '.') {
    char *end;
    double v = strtod(ps->p, &end);
    if (end == ps->p)
      fail(ps, "bad number", NULL);
    ps->p = end;
    emit(ps, (struct cmd_op){.kind = CMD_OP_NUM, .num = v});
  } else if (isalpha((unsigned char)c) || c == '_') {
    name(ps);
  } else {
    fail(ps,
         c ? "expected a number, a metric or '('"
           : "the formula ends too early",
         NULL);
  }
}

static void unary(struct parser *ps)
{
  if (peek(ps) == '-' && ps->depth >= MAX_DEPTH) {
    fail(ps, "nested too deeply", NULL);
  } else if (peek(ps) == '-') {
    ps->p++;
    ps->depth++;
    unary(ps);
    ps->depth--;
    emit(ps, (struct cmd_op){.kind = CMD_OP_NEG});
  } else {
    primary(ps);
  }
}

static void term(struct parser *ps)
{
  unary(ps);
  for (char c; !ps->st && ((c = peek(ps)) == '*' || c == '/');) {
    ps->p++;
    unary(ps);
    emit(ps, (struct cmd_op){.kind = c == '*' ? CMD_OP_MUL : CMD_OP_DIV});
  }
}

static void expr(struct parser *ps)
{
  term(ps);
  for (char c; !ps->st && ((c = peek(ps)) == '+' || c == '-');) {
    ps->p++;
    term(ps);
    emit(ps, (struct cmd_op){.kind = c == '+' ? CMD_OP_ADD : CMD_OP_SUB});
  }
}

/* See command-int.h. */
l4p_status l4p__cmd_expr_compile(const char *text, const struct cmd_def *def,
                                 struct cmd_expr *e)
{
  memset(e, 0, sizeof *e);
  struct parser ps = {text, text, def, e, 0, 0, L4P_OK};
  if (!(e->text = strdup(text)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  expr(&ps);
  if (!ps.st && peek(&ps))
    fail(&ps, "unexpected", (char[]){*ps.p, '\0'});
  if (ps.st)
    l4p__cmd_expr_release(e);
  return ps.st;
}

/* See command-int.h. The stack never holds more values than there are
 * operations. */
double l4p__cmd_expr_eval(const struct cmd_expr *e, const double *metrics)
{
  double stack[64];
  size_t top = 0;
  for (size_t k = 0; k < e->n_ops; k++) {
    const struct cmd_op *op = &e->ops[k];
    if (op->kind == CMD_OP_NUM || op->kind == CMD_OP_METRIC) {
      if (top == sizeof stack / sizeof stack[0])
        return NAN;
      stack[top++] = op->kind == CMD_OP_NUM ? op->num : metrics[op->metric];
      continue;
    }
    if (op->kind == CMD_OP_NEG) {
      stack[top - 1] = -stack[top - 1];
      continue;
    }
    double b = stack[--top], a = stack[top - 1];
    stack[top - 1] = op->kind == CMD_OP_ADD   ? a + b
                     : op->kind == CMD_OP_SUB ? a - b
                     : op->kind == CMD_OP_MUL ? a * b
                     : b != 0                 ? a / b
                                              : NAN;
  }
  return top == 1 ? stack[0] : NAN;
}

/* Free e's text and operations and empty it. */
void l4p__cmd_expr_release(struct cmd_expr *e)
{
  free(e->text);
  free(e->ops);
  memset(e, 0, sizeof *e);
}
