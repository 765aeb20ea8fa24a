/* Constraint expressions: a small recursive-descent parser compiling text
 * such as "bframes > 0 || b_pyramid == 'none'" into a tree evaluated on a
 * configuration. Booleans are 0/1, enum options compare with their labels
 * (resolved to indices at parse time), and errors name the column.
 * Grammar (lowest precedence first):
 *   implies := or [('->' | '=>') implies]
 *   or      := and {('||' | '|' | 'or') and}
 *   and     := not {('&&' | '&' | 'and') not}
 *   not     := ('!' | 'not') not | cmp
 *   cmp     := sum [('==' | '=' | '!=' | '<' | '<=' | '>' | '>=') sum]
 *   sum     := term {('+' | '-') term}
 *   term    := unary {('*' | '/' | '%') unary}
 *   unary   := '-' unary | NUMBER | 'label' | NAME | {any name} | true
 *              | false | '(' implies ')'
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "space-int.h"
#include "util/failf.h"
#include "util/banned.h"

enum node_kind { N_NUM, N_VAR, N_LABEL, N_NOT, N_NEG, N_BIN };

struct l4p__expr {
  enum node_kind kind;
  int op;         /* N_BIN: a token code below */
  double num;     /* N_NUM */
  size_t var;     /* N_VAR */
  char *label;    /* N_LABEL until resolved against an enum */
  const char *at; /* N_LABEL: where it was written, for messages */
  struct l4p__expr *a, *b;
};

enum {
  T_END,
  T_NUM,
  T_NAME,
  T_LABEL,
  T_LPAREN,
  T_RPAREN,
  T_IMPLIES,
  T_OR,
  T_AND,
  T_NOT,
  T_EQ,
  T_NE,
  T_LT,
  T_LE,
  T_GT,
  T_GE,
  T_PLUS,
  T_MINUS,
  T_MUL,
  T_DIV,
  T_MOD
};

struct parser {
  const struct l4p_space *space;
  const char *text, *p;
  int tok;
  const char *tok_start;
  double num;
  char name[256];
  bool braced; /* T_NAME came as {name}: never a keyword */
  size_t *vars, n_vars;
  l4p_status st;
};

static l4p_status syntax(struct parser *ps, const char *what)
{
  if (ps->st)
    return ps->st;
  return ps->st =
             l4p_failf(L4P_EPARSE, "constraint '%s': column %d: %s", ps->text,
                       (int)(ps->tok_start - ps->text) + 1, what);
}

/* Longest name at p that is an option of the space; names may contain
 * '-', '.', ':' and '+' (e.g. "aq-mode") only when such an option exists. */
static size_t scan_name(struct parser *ps, const char *p)
{
  size_t plain = 0;
  while (isalnum((unsigned char)p[plain]) || p[plain] == '_')
    plain++;
  size_t wide = plain;
  while (isalnum((unsigned char)p[wide]) ||
         (p[wide] && strchr("_-.:+", p[wide])))
    wide++;
  for (size_t n = wide; n > plain; n--) {
    if (n >= sizeof ps->name)
      continue;
    memcpy(ps->name, p, n);
    ps->name[n] = '\0';
    if (l4p_space_find(ps->space, ps->name) >= 0)
      return n;
  }
  return plain;
}

static bool keyword(const char *p, size_t n, const char *word)
{
  return strlen(word) == n && strncmp(p, word, n) == 0;
}

static void next(struct parser *ps)
{
  const char *p = ps->p;
  while (isspace((unsigned char)*p))
    p++;
  ps->tok_start = p;
  ps->braced = false;
  static const struct {
    const char *text;
    int tok;
  } ops[] = {{"->", T_IMPLIES}, {"=>", T_IMPLIES}, {"||", T_OR},
             {"&&", T_AND},     {"==", T_EQ},      {"!=", T_NE},
             {"<=", T_LE},      {">=", T_GE},      {"|", T_OR},
             {"&", T_AND},      {"!", T_NOT},      {"=", T_EQ},
             {"<", T_LT},       {">", T_GT},       {"+", T_PLUS},
             {"-", T_MINUS},    {"*", T_MUL},      {"/", T_DIV},
             {"%", T_MOD},      {"(", T_LPAREN},   {")", T_RPAREN}};
  if (!*p) {
    ps->tok = T_END;
    ps->p = p;
    return;
  }
  if (isdigit((unsigned char)*p) ||
      (*p == '.' && isdigit((unsigned char)p[1]))) {
    char *end;
    ps->num = strtod(p, &end);
    /* an option may start with a digit (x264's 8x8dct): a name that
     * exists and reaches further than the number wins */
    size_t n = isdigit((unsigned char)*p) ? scan_name(ps, p) : 0;
    if (n > (size_t)(end - p) && n < sizeof ps->name) {
      memcpy(ps->name, p, n);
      ps->name[n] = '\0';
      if (l4p_space_find(ps->space, ps->name) >= 0) {
        ps->tok = T_NAME;
        ps->p = p + n;
        return;
      }
    }
    ps->tok = T_NUM;
    ps->p = end;
    return;
  }
  if (*p == '\'' || *p == '"' || *p == '{') {
    char close = *p == '{' ? '}' : *p;
    const char *end = strchr(p + 1, close);
    size_t n = end ? (size_t)(end - p - 1) : 0;
    if (!end || n >= sizeof ps->name) {
      ps->p = p;
      syntax(ps, "unterminated quoted name or label");
      ps->tok = T_END;
      return;
    }
    memcpy(ps->name, p + 1, n);
    ps->name[n] = '\0';
    ps->tok = close == '}' ? T_NAME : T_LABEL;
    ps->braced = close == '}';
    ps->p = end + 1;
    return;
  }
  if (isalpha((unsigned char)*p) || *p == '_') {
    size_t n = scan_name(ps, p);
    if (keyword(p, n, "and") || keyword(p, n, "or") || keyword(p, n, "not")) {
      ps->tok = *p == 'a' ? T_AND : *p == 'o' ? T_OR : T_NOT;
    } else {
      memcpy(ps->name, p, n < sizeof ps->name ? n : sizeof ps->name - 1);
      ps->name[n < sizeof ps->name ? n : sizeof ps->name - 1] = '\0';
      ps->tok = T_NAME;
    }
    ps->p = p + n;
    return;
  }
  for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
    size_t n = strlen(ops[k].text);
    if (strncmp(p, ops[k].text, n) == 0) {
      ps->tok = ops[k].tok;
      ps->p = p + n;
      return;
    }
  }
  ps->p = p + 1;
  ps->tok = T_END;
  syntax(ps, "unexpected character");
}

static struct l4p__expr *node(struct parser *ps, enum node_kind kind)
{
  struct l4p__expr *e = calloc(1, sizeof *e);
  if (!e && !ps->st)
    ps->st = l4p_failf(L4P_ENOMEM, "out of memory");
  if (e)
    e->kind = kind;
  return e;
}

static struct l4p__expr *binary(struct parser *ps, int op, struct l4p__expr *a,
                                struct l4p__expr *b)
{
  struct l4p__expr *e = node(ps, N_BIN);
  if (!e) {
    l4p__expr_free(a);
    l4p__expr_free(b);
    return NULL;
  }
  e->op = op;
  e->a = a;
  e->b = b;
  return e;
}

static void note_var(struct parser *ps, size_t var)
{
  for (size_t k = 0; k < ps->n_vars; k++)
    if (ps->vars[k] == var)
      return;
  size_t *grown = realloc(ps->vars, (ps->n_vars + 1) * sizeof *grown);
  if (!grown) {
    ps->st = l4p_failf(L4P_ENOMEM, "out of memory");
    return;
  }
  ps->vars = grown;
  ps->vars[ps->n_vars++] = var;
}

static struct l4p__expr *parse_implies(struct parser *ps);

static struct l4p__expr *parse_unary(struct parser *ps)
{
  struct l4p__expr *e = NULL;
  switch (ps->tok) {
  case T_MINUS:
    next(ps);
    e = node(ps, N_NEG);
    if (e)
      e->a = parse_unary(ps);
    return e;
  case T_NUM:
    if ((e = node(ps, N_NUM)))
      e->num = ps->num;
    next(ps);
    return e;
  case T_LABEL:
    if ((e = node(ps, N_LABEL)) && !(e->label = strdup(ps->name)))
      ps->st = l4p_failf(L4P_ENOMEM, "out of memory");
    if (e)
      e->at = ps->tok_start;
    next(ps);
    return e;
  case T_NAME: {
    if (!ps->braced &&
        (!strcmp(ps->name, "true") || !strcmp(ps->name, "false"))) {
      if ((e = node(ps, N_NUM)))
        e->num = ps->name[0] == 't';
      next(ps);
      return e;
    }
    int var = l4p_space_find(ps->space, ps->name);
    if (var < 0) {
      if (!ps->st)
        ps->st =
            l4p_failf(L4P_EUSAGE,
                      "constraint '%s': column %d: unknown "
                      "option '%s'",
                      ps->text, (int)(ps->tok_start - ps->text) + 1, ps->name);
      return NULL;
    }
    if ((e = node(ps, N_VAR)))
      e->var = (size_t)var;
    note_var(ps, (size_t)var);
    next(ps);
    return e;
  }
  case T_LPAREN:
    next(ps);
    e = parse_implies(ps);
    if (ps->tok != T_RPAREN) {
      syntax(ps, "expected ')'");
      l4p__expr_free(e);
      return NULL;
    }
    next(ps);
    return e;
  default:
    syntax(ps, ps->tok == T_END ? "unexpected end of expression"
                                : "expected a value, an option or '('");
    return NULL;
  }
}

static struct l4p__expr *parse_term(struct parser *ps)
{
  struct l4p__expr *e = parse_unary(ps);
  while (!ps->st &&
         (ps->tok == T_MUL || ps->tok == T_DIV || ps->tok == T_MOD)) {
    int op = ps->tok;
    next(ps);
    e = binary(ps, op, e, parse_unary(ps));
  }
  return e;
}

static struct l4p__expr *parse_sum(struct parser *ps)
{
  struct l4p__expr *e = parse_term(ps);
  while (!ps->st && (ps->tok == T_PLUS || ps->tok == T_MINUS)) {
    int op = ps->tok;
    next(ps);
    e = binary(ps, op, e, parse_term(ps));
  }
  return e;
}

/* In "var == 'label'" turn the label into the enum's value index. */
static void resolve_label(struct parser *ps, struct l4p__expr *var,
                          struct l4p__expr *label)
{
  const struct l4p_option *opt = l4p_space_option(ps->space, var->var);
  if (opt->type != L4P_OPT_ENUM) {
    ps->tok_start = label->at; /* point at the label, not past it */
    syntax(ps, "a quoted label can only be compared with an enum option");
    return;
  }
  for (size_t k = 0; k < opt->n_values; k++)
    if (strcmp(opt->labels[k], label->label) == 0) {
      free(label->label);
      label->label = NULL;
      label->kind = N_NUM;
      label->num = (double)k;
      return;
    }
  if (!ps->st)
    ps->st = l4p_failf(L4P_EUSAGE,
                       "constraint '%s': option '%s' has no "
                       "value '%s'",
                       ps->text, opt->name, label->label);
}

static struct l4p__expr *parse_cmp(struct parser *ps)
{
  struct l4p__expr *e = parse_sum(ps);
  if (ps->st || ps->tok < T_EQ || ps->tok > T_GE)
    return e;
  int op = ps->tok;
  next(ps);
  e = binary(ps, op, e, parse_sum(ps));
  if (e && e->a && e->b && !ps->st) {
    if (e->a->kind == N_VAR && e->b->kind == N_LABEL)
      resolve_label(ps, e->a, e->b);
    else if (e->b->kind == N_VAR && e->a->kind == N_LABEL)
      resolve_label(ps, e->b, e->a);
  }
  return e;
}

static struct l4p__expr *parse_not(struct parser *ps)
{
  if (ps->tok != T_NOT)
    return parse_cmp(ps);
  next(ps);
  struct l4p__expr *e = node(ps, N_NOT);
  if (e)
    e->a = parse_not(ps);
  return e;
}

static struct l4p__expr *parse_and(struct parser *ps)
{
  struct l4p__expr *e = parse_not(ps);
  while (!ps->st && ps->tok == T_AND) {
    next(ps);
    e = binary(ps, T_AND, e, parse_not(ps));
  }
  return e;
}

static struct l4p__expr *parse_or(struct parser *ps)
{
  struct l4p__expr *e = parse_and(ps);
  while (!ps->st && ps->tok == T_OR) {
    next(ps);
    e = binary(ps, T_OR, e, parse_and(ps));
  }
  return e;
}

static struct l4p__expr *parse_implies(struct parser *ps)
{
  struct l4p__expr *e = parse_or(ps);
  if (!ps->st && ps->tok == T_IMPLIES) {
    next(ps);
    e = binary(ps, T_IMPLIES, e, parse_implies(ps));
  }
  return e;
}

/* A label left over (not compared with an enum) is an error; the first
 * one found, or NULL. */
static const struct l4p__expr *stray_label(const struct l4p__expr *e)
{
  if (!e || e->kind == N_LABEL)
    return e;
  const struct l4p__expr *a = stray_label(e->a);
  return a ? a : stray_label(e->b);
}

l4p_status l4p__expr_parse(const struct l4p_space *space, const char *text,
                           struct l4p__expr **expr, size_t **vars,
                           size_t *n_vars)
{
  struct parser ps = {.space = space, .text = text, .p = text};
  next(&ps);
  struct l4p__expr *e = ps.st ? NULL : parse_implies(&ps);
  if (!ps.st && ps.tok != T_END)
    syntax(&ps, "unexpected text after the expression");
  const struct l4p__expr *label = ps.st ? NULL : stray_label(e);
  if (label) {
    ps.tok_start = label->at;
    syntax(&ps, "a quoted label must be compared with an enum option");
  }
  if (ps.st) {
    l4p__expr_free(e);
    free(ps.vars);
    return ps.st;
  }
  *expr = e;
  *vars = ps.vars;
  *n_vars = ps.n_vars;
  return L4P_OK;
}

static bool same(double a, double b)
{
  return fabs(a - b) <= 1e-9 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

double l4p__expr_eval(const struct l4p__expr *e, const double *cfg)
{
  switch (e->kind) {
  case N_NUM:
    return e->num;
  case N_VAR:
    return cfg[e->var];
  case N_LABEL:
    return NAN;
  case N_NOT:
    return !l4p__truth(l4p__expr_eval(e->a, cfg));
  case N_NEG:
    return -l4p__expr_eval(e->a, cfg);
  case N_BIN:
    break;
  }
  double a = l4p__expr_eval(e->a, cfg);
  switch (e->op) {
  case T_AND:
    return l4p__truth(a) && l4p__truth(l4p__expr_eval(e->b, cfg));
  case T_OR:
    return l4p__truth(a) || l4p__truth(l4p__expr_eval(e->b, cfg));
  case T_IMPLIES:
    return !l4p__truth(a) || l4p__truth(l4p__expr_eval(e->b, cfg));
  default:
    break;
  }
  double b = l4p__expr_eval(e->b, cfg);
  switch (e->op) {
  case T_EQ:
    return same(a, b);
  case T_NE:
    return !same(a, b);
  case T_LT:
    return a < b && !same(a, b);
  case T_LE:
    return a <= b || same(a, b);
  case T_GT:
    return a > b && !same(a, b);
  case T_GE:
    return a >= b || same(a, b);
  case T_PLUS:
    return a + b;
  case T_MINUS:
    return a - b;
  case T_MUL:
    return a * b;
  case T_DIV:
    return b != 0 ? a / b : NAN;
  case T_MOD:
    return b != 0 ? fmod(a, b) : NAN;
  }
  return NAN;
}

/* Is e a comparison? Its violation can be measured as a gap. */
static bool comparison(const struct l4p__expr *e)
{
  return e->kind == N_BIN && e->op >= T_EQ && e->op <= T_GE;
}

double l4p__expr_violation(const struct l4p__expr *e, const double *cfg,
                           bool want)
{
  if (e->kind == N_NOT)
    return l4p__expr_violation(e->a, cfg, !want);
  if (e->kind == N_BIN &&
      (e->op == T_AND || e->op == T_OR || e->op == T_IMPLIES)) {
    /* a -> b is !a || b; && wanted false is || of the negations, etc. */
    bool all = (e->op == T_AND) == want;
    double va =
        l4p__expr_violation(e->a, cfg, e->op == T_IMPLIES ? !want : want);
    double vb = l4p__expr_violation(e->b, cfg, want);
    if (e->op == T_IMPLIES)
      all = !want;
    return all ? va + vb : fmin(va, vb);
  }
  if (l4p__truth(l4p__expr_eval(e, cfg)) == want)
    return 0;
  if (!comparison(e))
    return 1;
  /* a comparison that fails by a gap of |a - b| */
  double gap = fabs(l4p__expr_eval(e->a, cfg) - l4p__expr_eval(e->b, cfg));
  return 1 + (isfinite(gap) ? gap : 0);
}

void l4p__expr_free(struct l4p__expr *e)
{
  if (!e)
    return;
  l4p__expr_free(e->a);
  l4p__expr_free(e->b);
  free(e->label);
  free(e);
}
