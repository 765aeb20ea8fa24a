/* Splitting long documentation (a --fullhelp text, a man page) into
 * pieces that fit one prompt. Cuts fall on paragraph breaks where one
 * lies in the second half of the window, else line breaks, else spaces,
 * else anywhere outside a UTF-8 sequence; the second-half rule keeps
 * chunks from shrinking to a single short paragraph. Optional overlap
 * repeats the last lines of a chunk at the start of the next, so an
 * option whose description straddles a cut is whole in one of them.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "llm-int.h"
#include "util/failf.h"
#include "util/banned.h"

enum cut { CUT_PARAGRAPH, CUT_LINE, CUT_SPACE, N_CUTS };

/* Whether a chunk may end just before text[b] with the given cut. */
static bool is_cut(const char *text, size_t b, enum cut kind)
{
  switch (kind) {
  case CUT_PARAGRAPH:
    return b >= 2 && text[b - 1] == '\n' && text[b - 2] == '\n' &&
           text[b] != '\n';
  case CUT_LINE:
    return b >= 1 && text[b - 1] == '\n';
  case CUT_SPACE:
    return b >= 1 && (text[b - 1] == ' ' || text[b - 1] == '\t');
  default:
    return false;
  }
}

/* Whether text[b] starts a UTF-8 sequence (or is the end). */
static bool char_start(const char *text, size_t b)
{
  return ((unsigned char)text[b] & 0xC0) != 0x80;
}

/* The best end in (min_end, limit] for a chunk starting at start. */
static size_t find_end(const char *text, size_t start, size_t min_end,
                       size_t limit, size_t max_chars)
{
  size_t half = start + max_chars / 2;
  size_t lows[2] = {half > min_end ? half : min_end, min_end};
  for (int pass = 0; pass < 2; pass++)
    for (int kind = 0; kind < N_CUTS; kind++)
      for (size_t b = limit; b > lows[pass]; b--)
        if (is_cut(text, b, (enum cut)kind))
          return b;
  size_t b = limit;
  while (b > min_end + 1 && !char_start(text, b))
    b--;
  return b;
}

/* Where the chunk after [start, end) begins: up to overlap bytes before
 * end, at a line start, else a word start, else a character start; end
 * itself when none lies after start. */
static size_t overlap_start(const char *text, size_t start, size_t end,
                            size_t overlap)
{
  size_t from = end > overlap ? end - overlap : 0;
  if (from <= start)
    from = start + 1;
  for (int kind = CUT_LINE; kind <= CUT_SPACE; kind++)
    for (size_t s = from; s < end; s++)
      if (is_cut(text, s, (enum cut)kind))
        return s;
  for (size_t s = from; s < end; s++)
    if (char_start(text, s))
      return s;
  return end;
}

/* Append the chunk [start, end); false on ENOMEM. */
static bool add_chunk(struct l4p_llm_chunks *c, const char *text, size_t start,
                      size_t end)
{
  char **texts = realloc(c->text, (c->n + 1) * sizeof *texts);
  if (!texts)
    return false;
  c->text = texts;
  size_t *offsets = realloc(c->offset, (c->n + 1) * sizeof *offsets);
  if (!offsets)
    return false;
  c->offset = offsets;
  if (!(c->text[c->n] = strndup(text + start, end - start)))
    return false;
  c->offset[c->n++] = start;
  return true;
}

/* Split text; see llm.h. */
l4p_status l4p_llm_chunk_text(const char *text, size_t max_chars,
                              size_t overlap, struct l4p_llm_chunks *chunks)
{
  memset(chunks, 0, sizeof *chunks);
  if (!text)
    return l4p_failf(L4P_EUSAGE, "chunk: no text");
  if (max_chars < 16 || overlap > max_chars / 2)
    return l4p_failf(L4P_EUSAGE,
                     "chunk: need max_chars >= 16 and overlap "
                     "<= max_chars / 2 (got %zu and %zu)",
                     max_chars, overlap);
  size_t len = strlen(text), start = 0, done = 0;
  while (done < len) {
    size_t limit = start + max_chars;
    size_t end =
        limit >= len ? len : find_end(text, start, done, limit, max_chars);
    if (!add_chunk(chunks, text, start, end)) {
      l4p_llm_chunks_release(chunks);
      return l4p_failf(L4P_ENOMEM, "chunk: out of memory");
    }
    done = end;
    start = overlap ? overlap_start(text, start, end, overlap) : end;
  }
  return L4P_OK;
}

/* Free the chunks and zero the struct. */
void l4p_llm_chunks_release(struct l4p_llm_chunks *chunks)
{
  for (size_t i = 0; i < chunks->n; i++)
    free(chunks->text[i]);
  free(chunks->text);
  free(chunks->offset);
  memset(chunks, 0, sizeof *chunks);
}
