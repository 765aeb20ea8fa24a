/* The "text" input kind: a corpus with the structure compressors meet in
 * practice — prose over a fixed made-up vocabulary whose words follow a
 * skewed (Zipf-like) frequency, broken by blocks of log lines that repeat
 * a template with changing numbers.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>

#include "gen-int.h"
#include "util/banned.h"

#define VOCABULARY 1500

/* A word index, small ones much more often (u^3 crowds towards 0). */
static size_t pick(struct l4p_rng *rng)
{
  double u = l4p_rng_uniform(rng);
  return (size_t)(VOCABULARY * u * u * u);
}

static void sentence(struct l4p_rng *rng, char (*words)[24],
                     struct l4px_sb *out)
{
  size_t n = 4 + (size_t)l4p_rng_below(rng, 15);
  for (size_t k = 0; k < n; k++) {
    const char *w = words[pick(rng)];
    if (k == 0) {
      l4px_sb_putc(out, (char)toupper((unsigned char)w[0]));
      l4px_sb_puts(out, w + 1);
    } else {
      l4px_sb_putc(out, ' ');
      l4px_sb_puts(out, w);
    }
    if (k + 1 < n && l4p_rng_below(rng, 9) == 0)
      l4px_sb_putc(out, ',');
  }
  l4px_sb_puts(out, l4p_rng_below(rng, 8) ? ". " : "? ");
}

static void log_block(struct l4p_rng *rng, char (*words)[24],
                      struct l4px_sb *out)
{
  static const char *const levels[] = {"INFO", "INFO", "INFO", "WARN", "DEBUG"};
  size_t n = 5 + (size_t)l4p_rng_below(rng, 16);
  unsigned day = 1 + (unsigned)l4p_rng_below(rng, 28);
  for (size_t k = 0; k < n; k++)
    l4px_sb_printf(
        out,
        "2024-03-%02u %02u:%02u:%02u %s worker-%u %s %u "
        "items in %u ms\n",
        day, (unsigned)(k / 60) % 24, (unsigned)k % 60,
        (unsigned)l4p_rng_below(rng, 60), levels[l4p_rng_below(rng, 5)],
        (unsigned)l4p_rng_below(rng, 8), words[pick(rng) % 40],
        (unsigned)l4p_rng_below(rng, 5000), (unsigned)l4p_rng_below(rng, 900));
}

/* See gen-int.h. */
void l4p__gen_text(const struct l4p_gen_opts *opts, struct l4p_rng *rng,
                   struct l4px_sb *out)
{
  char(*words)[24] = malloc(VOCABULARY * sizeof *words);
  if (!words) {
    out->oom = true;
    return;
  }
  for (size_t k = 0; k < VOCABULARY; k++)
    l4p__gen_word(rng, words[k], sizeof words[k]);
  while (out->len < opts->size && !out->oom) {
    if (l4p_rng_below(rng, 10) == 0) {
      log_block(rng, words, out);
      continue;
    }
    size_t n = 3 + (size_t)l4p_rng_below(rng, 6);
    for (size_t s = 0; s < n; s++)
      sentence(rng, words, out);
    l4px_sb_puts(out, "\n\n");
  }
  if (out->len > opts->size) {
    out->len = opts->size;
    out->buf[out->len] = '\0';
  }
  free(words);
}
