/* Unit tests for splitting long documentation into prompt-sized chunks
 * (src/llm/chunk.c): bounds, cut preferences (paragraph, line, space,
 * UTF-8 character), exact coverage without overlap, and overlap starting
 * at line boundaries.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "llm4perf/llm.h"

/* Check the invariants every split must keep: each chunk is a non-empty
 * piece of text at its offset, within max bytes, not starting inside a
 * UTF-8 sequence; offsets increase; the last chunk reaches the end; with
 * overlap 0 consecutive chunks touch. */
static void check_chunks(const char *text, const struct l4p_llm_chunks *c,
                         size_t max, size_t overlap)
{
  size_t len = strlen(text), covered = 0;
  for (size_t i = 0; i < c->n; i++) {
    size_t n = strlen(c->text[i]), at = c->offset[i];
    assert_true(n > 0 && n <= max);
    assert_memory_equal(c->text[i], text + at, n);
    assert_true(((unsigned char)text[at] & 0xC0) != 0x80);
    if (i > 0) {
      assert_true(at > c->offset[i - 1]);
      assert_true(at <= covered);
      assert_true(covered - at <= overlap);
      if (overlap == 0)
        assert_int_equal(at, covered);
    } else {
      assert_int_equal(at, 0);
    }
    assert_true(at + n > covered);
    covered = at + n;
  }
  assert_int_equal(covered, len);
}

static void test_short_text_is_one_chunk(void **state)
{
  struct l4p_llm_chunks c;
  assert_int_equal(l4p_llm_chunk_text("one line\n", 100, 0, &c), L4P_OK);
  assert_int_equal(c.n, 1);
  assert_string_equal(c.text[0], "one line\n");
  l4p_llm_chunks_release(&c);
  assert_int_equal(l4p_llm_chunk_text("", 100, 0, &c), L4P_OK);
  assert_int_equal(c.n, 0);
  l4p_llm_chunks_release(&c);
}

static void test_paragraphs_are_kept_whole(void **state)
{
  const char *text = "--crf N\n  quality, 0-51\n\n"
                     "--preset P\n  speed preset\n\n"
                     "--threads N\n  worker threads\n";
  struct l4p_llm_chunks c;
  assert_int_equal(l4p_llm_chunk_text(text, 60, 0, &c), L4P_OK);
  check_chunks(text, &c, 60, 0);
  assert_int_equal(c.n, 2);
  assert_string_equal(c.text[0], "--crf N\n  quality, 0-51\n\n"
                                 "--preset P\n  speed preset\n\n");
  assert_string_equal(c.text[1], "--threads N\n  worker threads\n");
  l4p_llm_chunks_release(&c);
}

static void test_long_lines_cut_at_spaces(void **state)
{
  const char *text = "alpha beta gamma delta epsilon zeta eta theta iota "
                     "kappa lambda mu";
  struct l4p_llm_chunks c;
  assert_int_equal(l4p_llm_chunk_text(text, 20, 0, &c), L4P_OK);
  check_chunks(text, &c, 20, 0);
  for (size_t i = 0; i + 1 < c.n; i++) {
    size_t n = strlen(c.text[i]);
    assert_true(c.text[i][n - 1] == ' '); /* never inside a word */
  }
  l4p_llm_chunks_release(&c);
}

static void test_utf8_is_never_split(void **state)
{
  /* 40 two-byte characters, no spaces: hard cuts must fall between
   * characters even with an odd limit. */
  char text[81];
  for (int i = 0; i < 40; i++)
    memcpy(text + 2 * i, "\xc3\xa9", 2);
  text[80] = '\0';
  struct l4p_llm_chunks c;
  assert_int_equal(l4p_llm_chunk_text(text, 17, 0, &c), L4P_OK);
  check_chunks(text, &c, 17, 0);
  for (size_t i = 0; i < c.n; i++)
    assert_int_equal(strlen(c.text[i]) % 2, 0);
  l4p_llm_chunks_release(&c);
}

static void test_overlap_repeats_whole_lines(void **state)
{
  char text[4000] = "";
  for (int i = 0; i < 60; i++) {
    char line[64];
    snprintf(line, sizeof line, "--option-%02d  describes option %d\n", i, i);
    strncat(text, line, sizeof text - strlen(text) - 1);
  }
  struct l4p_llm_chunks c;
  assert_int_equal(l4p_llm_chunk_text(text, 300, 100, &c), L4P_OK);
  check_chunks(text, &c, 300, 100);
  assert_true(c.n > 6);
  for (size_t i = 1; i < c.n; i++) {
    /* Starts at a line start, strictly inside the previous chunk. */
    assert_int_equal(text[c.offset[i] - 1], '\n');
    assert_true(c.offset[i] < c.offset[i - 1] + strlen(c.text[i - 1]));
  }
  l4p_llm_chunks_release(&c);
}

static void test_bad_arguments(void **state)
{
  struct l4p_llm_chunks c;
  assert_int_equal(l4p_llm_chunk_text("x", 8, 0, &c), L4P_EUSAGE);
  assert_int_equal(l4p_llm_chunk_text("x", 100, 51, &c), L4P_EUSAGE);
  assert_int_equal(l4p_llm_chunk_text(NULL, 100, 0, &c), L4P_EUSAGE);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_short_text_is_one_chunk),
      cmocka_unit_test(test_paragraphs_are_kept_whole),
      cmocka_unit_test(test_long_lines_cut_at_spaces),
      cmocka_unit_test(test_utf8_is_never_split),
      cmocka_unit_test(test_overlap_repeats_whole_lines),
      cmocka_unit_test(test_bad_arguments),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
