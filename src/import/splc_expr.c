/* Translating SPL Conqueror constraint text into llm4perf expressions.
 * SPL Conqueror writes "a | !b", "a & b", "a => b", "x = 4" and numeric
 * comparisons; llm4perf reads "||", "&&", "->", "==". Option names are
 * replaced through a resolver, because an option of an alternative group
 * becomes a test on the group's enum ("ref == '5'") and a mandatory
 * option the constant 1.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "splc-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/banned.h"

static bool word_char(char c)
{
  return isalnum((unsigned char)c) || c == '_' || c == '.';
}

/* SPL Conqueror operators, longest first, and their llm4perf spelling. */
static const struct {
  const char *in, *out;
} operators[] = {
    {"<=>", NULL}, {"=>", "->"}, {"->", "->"}, {"==", "=="}, {"!=", "!="},
    {"<=", "<="},  {">=", ">="}, {"||", "||"}, {"&&", "&&"}, {"=", "=="},
    {"<", "<"},    {">", ">"},   {"|", "||"},  {"&", "&&"},  {"!", "!"},
    {"+", "+"},    {"-", "-"},   {"*", "*"},   {"/", "/"},   {"(", "("},
    {")", ")"},
};

/* Append token to out, spaced for reading: "!a", "(a || b)", "x >= 4". */
static void emit(struct l4px_sb *out, const char *tok, size_t len)
{
  if (out->len) {
    char prev = out->buf[out->len - 1];
    if (prev != '(' && prev != '!' && !(len == 1 && tok[0] == ')'))
      l4px_sb_putc(out, ' ');
  }
  l4px_sb_add(out, tok, len);
}

/* Translate token by token; names go through resolve, numbers and
 * operators are copied in llm4perf's spelling. */
l4p_status l4p__splc_translate(const char *text, l4p__splc_resolve resolve,
                               void *ctx, struct l4px_sb *out,
                               struct l4px_sb *binaries)
{
  bool after_operand = false; /* last token was a name, number or ')' */
  for (const char *p = text; *p;) {
    if (isspace((unsigned char)*p)) {
      p++;
      continue;
    }
    /* a '-' with nothing to subtract from is the sign of a number */
    bool sign = *p == '-' && isdigit((unsigned char)p[1]) && !after_operand;
    if (word_char(*p) || sign) {
      const char *start = p;
      p += sign;
      while (word_char(*p))
        p++;
      char *word = strndup(start, (size_t)(p - start));
      if (!word)
        return l4p_failf(L4P_ENOMEM, "out of memory");
      double v;
      if (l4px_parse_double(word, &v)) {
        emit(out, word, strlen(word));
      } else {
        struct l4px_sb ref;
        l4px_sb_init(&ref);
        bool binary = false;
        if (!resolve(ctx, word, &ref, &binary)) {
          l4p_status st = l4p_failf(L4P_EPARSE, "unknown option '%s'", word);
          l4px_sb_release(&ref);
          free(word);
          return st;
        }
        emit(out, ref.buf, ref.len);
        if (binaries && binary && strcmp(ref.buf, "1") != 0) {
          if (binaries->len)
            l4px_sb_puts(binaries, " && ");
          l4px_sb_puts(binaries, ref.buf);
        }
        l4px_sb_release(&ref);
      }
      free(word);
      after_operand = true;
      continue;
    }
    size_t i = 0, n = sizeof operators / sizeof *operators;
    while (i < n && strncmp(p, operators[i].in, strlen(operators[i].in)))
      i++;
    if (i == n)
      return l4p_failf(L4P_EPARSE, "unexpected character '%c'", *p);
    if (!operators[i].out)
      return l4p_failf(L4P_EPARSE, "operator '%s' is not supported",
                       operators[i].in);
    emit(out, operators[i].out, strlen(operators[i].out));
    after_operand = operators[i].in[0] == ')';
    p += strlen(operators[i].in);
  }
  if (l4px_sb_failed(out) || (binaries && l4px_sb_failed(binaries)))
    return l4p_failf(L4P_ENOMEM, "out of memory");
  return L4P_OK;
}
