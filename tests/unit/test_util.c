/* Unit tests for the util layer (src/util/): arbitrary-size counts, the CSV
 * reader, configuration sets, the JSON position scanner, string buffers
 * and the strict number parsers every loader relies on.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "llm4perf/status.h"
#include "testutil.h"
#include "util/bignum.h"
#include "util/cfgset.h"
#include "util/csv.h"
#include "util/dirs.h"
#include "util/fileio.h"
#include "util/jsonloc.h"
#include "util/sha256.h"
#include "util/strbuf.h"

/* ------------------------------------------------------------ bignum */

/* Decimal text of b, compared with want, then freed. */
static void assert_bignum(const struct l4px_bignum *b, const char *want)
{
  char *got = l4px_bignum_decimal(b);
  assert_non_null(got);
  assert_string_equal(got, want);
  free(got);
}

static void test_bignum_small(void **state)
{
  struct l4px_bignum b;
  l4px_bignum_init(&b, 0);
  assert_bignum(&b, "0");
  assert_true(l4px_bignum_double(&b) == 0);
  l4px_bignum_mul(&b, 12345);
  assert_bignum(&b, "0");
  l4px_bignum_release(&b);

  l4px_bignum_init(&b, 1);
  assert_bignum(&b, "1");
  l4px_bignum_mul(&b, 7);
  assert_bignum(&b, "7");
  l4px_bignum_mul(&b, 0);
  assert_bignum(&b, "0");
  l4px_bignum_release(&b);

  /* chunks of nine digits with inner zeros must keep them */
  l4px_bignum_init(&b, 1000000000000000005ull);
  assert_bignum(&b, "1000000000000000005");
  l4px_bignum_release(&b);
  l4px_bignum_init(&b, 1000000000u);
  assert_bignum(&b, "1000000000");
  l4px_bignum_mul(&b, 1000000000u);
  assert_bignum(&b, "1000000000000000000");
  l4px_bignum_release(&b);

  l4px_bignum_init(&b, UINT64_MAX);
  assert_bignum(&b, "18446744073709551615");
  l4px_bignum_release(&b);
}

static void test_bignum_powers(void **state)
{
  struct l4px_bignum b;
  /* 2^64 from two 32-bit factors and from one 64-bit factor */
  l4px_bignum_init(&b, 1);
  l4px_bignum_mul(&b, 1ull << 32);
  l4px_bignum_mul(&b, 1ull << 32);
  assert_bignum(&b, "18446744073709551616");
  assert_true(l4px_bignum_double(&b) == 18446744073709551616.0);
  l4px_bignum_release(&b);
  l4px_bignum_init(&b, 2);
  l4px_bignum_mul(&b, 1ull << 63);
  assert_bignum(&b, "18446744073709551616");
  l4px_bignum_release(&b);

  /* 3^50, one factor at a time and as 3^25 * 3^25 */
  l4px_bignum_init(&b, 1);
  for (int k = 0; k < 50; k++)
    l4px_bignum_mul(&b, 3);
  assert_bignum(&b, "717897987691852588770249");
  l4px_bignum_release(&b);
  l4px_bignum_init(&b, 847288609443ull); /* 3^25 */
  l4px_bignum_mul(&b, 847288609443ull);
  assert_bignum(&b, "717897987691852588770249");
  assert_true(fabs(l4px_bignum_double(&b) / 7.17897987691852588770249e23 - 1) <
              1e-15);
  l4px_bignum_release(&b);

  /* 10^30 by tens and by 10^15 twice */
  l4px_bignum_init(&b, 1);
  for (int k = 0; k < 30; k++)
    l4px_bignum_mul(&b, 10);
  assert_bignum(&b, "1000000000000000000000000000000");
  l4px_bignum_release(&b);
  l4px_bignum_init(&b, 1);
  l4px_bignum_mul(&b, 1000000000000000ull);
  l4px_bignum_mul(&b, 1000000000000000ull);
  assert_bignum(&b, "1000000000000000000000000000000");
  l4px_bignum_release(&b);

  /* (2^64 - 1)^2, both factor limbs full */
  l4px_bignum_init(&b, UINT64_MAX);
  l4px_bignum_mul(&b, UINT64_MAX);
  assert_bignum(&b, "340282366920938463426481119284349108225");
  l4px_bignum_release(&b);

  /* 2^100 and 50! */
  l4px_bignum_init(&b, 1);
  for (int k = 0; k < 100; k++)
    l4px_bignum_mul(&b, 2);
  assert_bignum(&b, "1267650600228229401496703205376");
  l4px_bignum_release(&b);
  l4px_bignum_init(&b, 1);
  for (uint64_t k = 2; k <= 50; k++)
    l4px_bignum_mul(&b, k);
  assert_bignum(&b, "30414093201713378043612608166064768844377641568960512"
                    "000000000000");
  l4px_bignum_release(&b);

  /* far beyond a double */
  l4px_bignum_init(&b, 1);
  for (int k = 0; k < 400; k++)
    l4px_bignum_mul(&b, 10);
  assert_true(isinf(l4px_bignum_double(&b)));
  char *text = l4px_bignum_decimal(&b);
  assert_int_equal(strlen(text), 401);
  assert_int_equal(text[0], '1');
  assert_int_equal(strspn(text + 1, "0"), 400);
  free(text);
  l4px_bignum_release(&b);
}

/* --------------------------------------------------------------- csv */

static void test_csv_basic(void **state)
{
  const char *path = tu_tmp("basic.csv");
  tu_write(path, "a,b , c\n"
                 "1, 2 ,3\n"
                 "\"x,y\",\"he said \"\"hi\"\"\",\n"
                 "\"multi\nline\",\" kept \",z\n"
                 "last,row,here");
  struct l4px_csv t;
  assert_int_equal(l4px_csv_read(&t, path, 0), L4P_OK);
  assert_int_equal(t.delim, ',');
  assert_int_equal(t.n_cols, 3);
  assert_int_equal(t.n_rows, 4);
  assert_string_equal(t.header[1], "b");
  assert_string_equal(t.header[2], "c");
  assert_int_equal(l4px_csv_column(&t, "c"), 2);
  assert_int_equal(l4px_csv_column(&t, "nope"), -1);
  assert_string_equal(l4px_csv_cell(&t, 0, 1), "2");
  assert_string_equal(l4px_csv_cell(&t, 1, 0), "x,y");
  assert_string_equal(l4px_csv_cell(&t, 1, 1), "he said \"hi\"");
  assert_string_equal(l4px_csv_cell(&t, 1, 2), "");
  assert_string_equal(l4px_csv_cell(&t, 2, 0), "multi\nline");
  assert_string_equal(l4px_csv_cell(&t, 2, 1), " kept ");
  assert_string_equal(l4px_csv_cell(&t, 3, 2), "here");
  /* rows remember the line they start on */
  assert_int_equal(t.line[0], 2);
  assert_int_equal(t.line[1], 3);
  assert_int_equal(t.line[2], 4);
  assert_int_equal(t.line[3], 6);
  l4px_csv_release(&t);
}

static void test_csv_semicolon_bom_blank_crlf(void **state)
{
  const char *path = tu_tmp("semi.csv");
  struct l4px_csv t;
  /* the guess counts delimiters on the header line only */
  tu_write(path, "k;v,w,x\n1;2;3;4,5,6\n");
  assert_int_equal(l4px_csv_read(&t, path, 0), L4P_OK);
  assert_int_equal(t.delim, ',');
  assert_int_equal(t.n_cols, 3);
  assert_string_equal(t.header[0], "k;v");
  assert_string_equal(l4px_csv_cell(&t, 0, 0), "1;2;3;4");
  l4px_csv_release(&t);

  tu_write(path, "\xEF\xBB\xBFname;value;x,y\r\n"
                 "\r\n"
                 "a;1,5;q\r\n"
                 "   \n"
                 "b;\"2;3\";r\r\n"
                 "\n");
  assert_int_equal(l4px_csv_read(&t, path, 0), L4P_OK);
  assert_int_equal(t.delim, ';');
  assert_int_equal(t.n_cols, 3);
  assert_int_equal(t.n_rows, 2);
  assert_string_equal(t.header[0], "name"); /* BOM skipped */
  assert_string_equal(t.header[2], "x,y");
  assert_string_equal(l4px_csv_cell(&t, 0, 1), "1,5");
  assert_string_equal(l4px_csv_cell(&t, 1, 1), "2;3");
  assert_string_equal(l4px_csv_cell(&t, 1, 2), "r");
  assert_int_equal(t.line[0], 3);
  assert_int_equal(t.line[1], 5);
  l4px_csv_release(&t);

  /* an explicit delimiter wins over the guess */
  tu_write(path, "a,b;c\n1,2;3\n");
  assert_int_equal(l4px_csv_read(&t, path, ';'), L4P_OK);
  assert_int_equal(t.n_cols, 2);
  assert_string_equal(t.header[0], "a,b");
  assert_string_equal(l4px_csv_cell(&t, 0, 1), "3");
  l4px_csv_release(&t);
}

static void test_csv_errors(void **state)
{
  const char *path = tu_tmp("bad.csv");
  char want[600];
  struct l4px_csv t;

  tu_write(path, "a,b\n1,2\n\n3,4,5\n");
  assert_int_equal(l4px_csv_read(&t, path, 0), L4P_EPARSE);
  snprintf(want, sizeof want, "%s:4: expected 2 fields, found 3", path);
  assert_string_equal(l4p_last_error(), want);
  assert_null(t.cells);

  /* the line counts newlines inside quoted fields */
  tu_write(path, "a,b\n\"x\ny\",2\n7\n");
  assert_int_equal(l4px_csv_read(&t, path, 0), L4P_EPARSE);
  snprintf(want, sizeof want, "%s:4: expected 2 fields, found 1", path);
  assert_string_equal(l4p_last_error(), want);

  tu_write(path, "a,b\n1,\"open\n2,3\n");
  assert_int_equal(l4px_csv_read(&t, path, 0), L4P_EPARSE);
  snprintf(want, sizeof want, "%s:2: unterminated quoted field", path);
  assert_string_equal(l4p_last_error(), want);

  tu_write(path, "a,b\n\"x\"y,2\n");
  assert_int_equal(l4px_csv_read(&t, path, 0), L4P_EPARSE);
  snprintf(want, sizeof want, "%s:2: text after closing quote", path);
  assert_string_equal(l4p_last_error(), want);

  tu_write(path, "\n\n");
  assert_int_equal(l4px_csv_read(&t, path, 0), L4P_EPARSE);
  snprintf(want, sizeof want, "%s:1: missing header line", path);
  assert_string_equal(l4p_last_error(), want);

  tu_write(path, "");
  assert_int_equal(l4px_csv_read(&t, path, 0), L4P_EPARSE);

  assert_int_equal(l4px_csv_read(&t, tu_tmp("absent.csv"), 0), L4P_EIO);
  assert_non_null(strstr(l4p_last_error(), "absent.csv"));
}

/* What l4px_sb_csv_field writes, the reader reads back unchanged. */
static void test_csv_field_round_trip(void **state)
{
  const char *fields[] = {"plain",      "with,comma",  "say \"hi\"",
                          "two\nlines", " padded ",    "",
                          "semi;colon", "tab\tinside", "\ttab"};
  size_t n = sizeof fields / sizeof fields[0];
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  for (size_t k = 0; k < n; k++) {
    l4px_sb_printf(&sb, "%sc%zu", k ? "," : "", k);
  }
  l4px_sb_putc(&sb, '\n');
  for (size_t k = 0; k < n; k++) {
    if (k)
      l4px_sb_putc(&sb, ',');
    l4px_sb_csv_field(&sb, fields[k], ',');
  }
  l4px_sb_putc(&sb, '\n');
  const char *path = tu_tmp("round.csv");
  tu_write(path, sb.buf);
  l4px_sb_release(&sb);
  struct l4px_csv t;
  assert_int_equal(l4px_csv_read(&t, path, ','), L4P_OK);
  assert_int_equal(t.n_rows, 1);
  for (size_t k = 0; k < n; k++)
    assert_string_equal(l4px_csv_cell(&t, 0, k), fields[k]);
  l4px_csv_release(&t);
}

/* ------------------------------------------------------------ cfgset */

static void test_cfgset(void **state)
{
  struct l4px_cfgset set;
  l4px_cfgset_init(&set, 3);
  double a[3] = {1, 2, 3}, b[3] = {1, 2, 4};
  assert_false(l4px_cfgset_contains(&set, a));
  assert_int_equal(l4px_cfgset_add(&set, a), 1);
  assert_int_equal(l4px_cfgset_add(&set, a), 0);
  assert_true(l4px_cfgset_contains(&set, a));
  assert_false(l4px_cfgset_contains(&set, b));
  assert_int_equal(set.n, 1);

  /* -0.0 and 0.0 are the same configuration */
  double z[3] = {0.0, -0.0, 5}, nz[3] = {-0.0, 0.0, 5};
  assert_int_equal(l4px_cfgset_add(&set, z), 1);
  assert_true(l4px_cfgset_contains(&set, nz));
  assert_int_equal(l4px_cfgset_add(&set, nz), 0);
  assert_int_equal(set.n, 2);

  /* grow through many rehashes; everything stays findable */
  for (int i = 0; i < 5000; i++) {
    double c[3] = {i, i % 7, -i * 0.5};
    assert_int_equal(l4px_cfgset_add(&set, c), 1);
  }
  assert_int_equal(set.n, 5002);
  assert_true(set.cap >= 2 * set.n);
  for (int i = 0; i < 5000; i++) {
    double c[3] = {i, i % 7, -i * 0.5};
    assert_true(l4px_cfgset_contains(&set, c));
    assert_int_equal(l4px_cfgset_add(&set, c), 0);
    double d[3] = {i, i % 7, -i * 0.5 + 0.25};
    assert_false(l4px_cfgset_contains(&set, d));
  }
  assert_true(l4px_cfgset_contains(&set, a));
  assert_true(l4px_cfgset_contains(&set, z));
  l4px_cfgset_release(&set);
  assert_int_equal(set.n, 0);
  assert_int_equal(set.d, 3);
  assert_false(l4px_cfgset_contains(&set, a));
  l4px_cfgset_release(&set); /* twice is harmless */
}

/* ----------------------------------------------------------- jsonloc */

static void assert_locate(const char *text, const char *path, bool found,
                          int line, int col)
{
  int l = 0, c = 0;
  bool got = l4px_json_locate(text, path, &l, &c);
  if (got != found || l != line || c != col)
    fail_msg("'%s': got %s %d:%d, expected %s %d:%d", path,
             got ? "found" : "missing", l, c, found ? "found" : "missing", line,
             col);
}

static void test_jsonloc(void **state)
{
  const char *text = "{\n"                                      /* 1 */
                     "  \"name\": \"x\",\n"                     /* 2 */
                     "  \"tricky\": \"a } ] , \\\" {\",\n"      /* 3 */
                     "  \"list\": [1, [2, 3], {\"k\": [4,\n"    /* 4 */
                     "     5]}],\n"                             /* 5 */
                     "  \"options\": [\n"                       /* 6 */
                     "    {\"name\": \"a\", \"default\": 1},\n" /* 7 */
                     "    {\"name\": \"b\",\n"                  /* 8 */
                     "     \"default\":    true}\n"             /* 9 */
                     "  ],\n"                                   /* 10 */
                     "  \"esc\\\"key\": null,\n"                /* 11 */
                     "  \"empty\": {}\n"                        /* 12 */
                     "}\n";
  assert_locate(text, "", true, 1, 1);
  assert_locate(text, "name", true, 2, 11);
  assert_locate(text, "list", true, 4, 11);
  assert_locate(text, "list/0", true, 4, 12);
  assert_locate(text, "list/1", true, 4, 15);
  assert_locate(text, "list/1/1", true, 4, 19);
  assert_locate(text, "list/2", true, 4, 23);
  assert_locate(text, "list/2/k", true, 4, 29);
  assert_locate(text, "list/2/k/0", true, 4, 30);
  assert_locate(text, "list/2/k/1", true, 5, 6);
  assert_locate(text, "options/0/default", true, 7, 30);
  assert_locate(text, "options/1", true, 8, 5);
  assert_locate(text, "options/1/default", true, 9, 20);
  assert_locate(text, "esc\"key", true, 11, 15);
  /* missing segments report the deepest container found */
  assert_locate(text, "options/2", false, 6, 14);
  assert_locate(text, "options/1/fixed", false, 8, 5);
  assert_locate(text, "nope/deeper", false, 1, 1);
  assert_locate(text, "name/0", false, 2, 11);
  assert_locate(text, "empty/x", false, 12, 12);
  assert_locate("  [\n\n  7]", "0", true, 3, 3);

  /* the member name instead of its value, for errors about keys */
  int l, c;
  assert_true(l4px_json_locate_key(text, "options/1/default", &l, &c));
  assert_int_equal(l, 9);
  assert_int_equal(c, 6);
  assert_true(l4px_json_locate_key(text, "esc\"key", &l, &c));
  assert_int_equal(l, 11);
  assert_int_equal(c, 3);
  assert_false(l4px_json_locate_key(text, "options/1/fixed", &l, &c));
  assert_int_equal(l, 8);
  assert_int_equal(c, 5);
  assert_true(l4px_json_locate_key(text, "", &l, &c));
  assert_int_equal(l, 1);
  assert_int_equal(c, 1);
}

/* ----------------------------------------------------------- strbuf */

static void test_strbuf(void **state)
{
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  assert_non_null(sb.buf);
  assert_string_equal(sb.buf, "");
  assert_false(l4px_sb_failed(&sb));
  l4px_sb_reset(&sb); /* on the static empty buffer */
  l4px_sb_puts(&sb, "abc");
  l4px_sb_putc(&sb, '-');
  l4px_sb_add(&sb, "xyz", 2);
  l4px_sb_printf(&sb, "%d/%s", 42, "q");
  assert_string_equal(sb.buf, "abc-xy42/q");
  assert_int_equal(sb.len, 10);
  l4px_sb_printf(&sb, "%s", "");
  assert_int_equal(sb.len, 10);
  l4px_sb_reset(&sb);
  assert_string_equal(sb.buf, "");
  assert_int_equal(sb.len, 0);
  /* growth across many doublings, embedded NUL bytes counted in len */
  for (int i = 0; i < 1000; i++)
    l4px_sb_printf(&sb, "%04d", i);
  assert_int_equal(sb.len, 4000);
  assert_memory_equal(sb.buf + 3996, "0999", 4);
  l4px_sb_add(&sb, "\0z", 2);
  assert_int_equal(sb.len, 4002);
  char *out = l4px_sb_detach(&sb);
  assert_non_null(out);
  assert_int_equal(out[4001], 'z');
  free(out);
  assert_string_equal(sb.buf, "");
  assert_int_equal(sb.len, 0);
  /* detaching an empty buffer gives a fresh empty heap string */
  out = l4px_sb_detach(&sb);
  assert_non_null(out);
  assert_string_equal(out, "");
  free(out);

  l4px_sb_csv_field(&sb, "plain", ',');
  l4px_sb_putc(&sb, '|');
  l4px_sb_csv_field(&sb, "a,b", ',');
  l4px_sb_putc(&sb, '|');
  l4px_sb_csv_field(&sb, "a,b", ';');
  l4px_sb_putc(&sb, '|');
  l4px_sb_csv_field(&sb, "q\"q", ',');
  l4px_sb_putc(&sb, '|');
  l4px_sb_csv_field(&sb, "l\nl", ',');
  assert_string_equal(sb.buf, "plain|\"a,b\"|a,b|\"q\"\"q\"|\"l\nl\"");
  l4px_sb_release(&sb);
  l4px_sb_release(&sb);
}

/* ------------------------------------------------------------ fileio */

static void test_parse_double(void **state)
{
  double v = -1;
  assert_true(l4px_parse_double("3", &v));
  assert_true(v == 3);
  assert_true(l4px_parse_double("-2.5e3", &v));
  assert_true(v == -2500);
  assert_true(l4px_parse_double(".5", &v));
  assert_true(v == 0.5);
  assert_true(l4px_parse_double("-0", &v));
  assert_true(v == 0 && signbit(v));
  assert_true(l4px_parse_double("1e308", &v));
  const char *bad[] = {"",          "abc",   "1.5x", "1 ",  " 1",
                       "\t1",       "1\n",   "nan",  "NaN", "inf",
                       "-infinity", "1e400", "--1",  "1,5", "."};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    v = 7;
    if (l4px_parse_double(bad[k], &v))
      fail_msg("'%s' parsed as %g", bad[k], v);
    assert_true(v == 7); /* untouched on failure */
  }
  assert_false(l4px_parse_double(NULL, &v));
}

static void test_parse_llong(void **state)
{
  long long v = -1;
  assert_true(l4px_parse_llong("42", &v));
  assert_int_equal(v, 42);
  assert_true(l4px_parse_llong("-9223372036854775808", &v));
  assert_true(v == INT64_MIN);
  assert_true(l4px_parse_llong("9223372036854775807", &v));
  assert_true(v == INT64_MAX);
  const char *bad[] = {"",
                       "x",
                       "1.0",
                       "1e3",
                       "12a",
                       "9223372036854775808",
                       "-9223372036854775809",
                       " 5",
                       "5 ",
                       "0x10"};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
    v = 7;
    if (l4px_parse_llong(bad[k], &v))
      fail_msg("'%s' parsed as %lld", bad[k], v);
    assert_true(v == 7);
  }
  assert_false(l4px_parse_llong(NULL, &v));
}

static void test_paths_and_files(void **state)
{
  char *s;
  assert_string_equal(s = l4px_dirname("a/b/c.json"), "a/b");
  free(s);
  assert_string_equal(s = l4px_dirname("c.json"), ".");
  free(s);
  assert_string_equal(s = l4px_dirname("/c.json"), "/");
  free(s);
  assert_string_equal(s = l4px_path_join("a/b", "t.csv"), "a/b/t.csv");
  free(s);
  assert_string_equal(s = l4px_path_join("a", "/abs/t.csv"), "/abs/t.csv");
  free(s);
  assert_string_equal(s = l4px_path_join(".", "t.csv"), "t.csv");
  free(s);
  assert_string_equal(s = l4px_path_join(NULL, "t.csv"), "t.csv");
  free(s);

  const char *path = tu_tmp("atomic.txt");
  assert_int_equal(l4px_write_file_atomic(path, "one\0two", 7), L4P_OK);
  char *text;
  size_t len;
  assert_int_equal(l4px_read_file(path, &text, &len), L4P_OK);
  assert_int_equal(len, 7);
  assert_memory_equal(text, "one\0two", 8); /* NUL-terminated too */
  free(text);
  assert_int_equal(l4px_write_file_atomic(path, "", 0), L4P_OK);
  assert_int_equal(l4px_read_file(path, &text, &len), L4P_OK);
  assert_int_equal(len, 0);
  assert_string_equal(text, "");
  free(text);
  assert_int_equal(l4px_write_file_atomic(tu_tmp("no/such/dir/x"), "x", 1),
                   L4P_EIO);
  assert_int_equal(l4px_read_file(tu_tmp("missing"), &text, &len), L4P_EIO);
  assert_non_null(strstr(l4p_last_error(), "missing"));
}

/* Scratch directories land under $TMPDIR (or /tmp when it is unset or
 * empty) and remove_tree takes them away with their contents. */
static void test_scratch_dirs(void **state)
{
  const char *saved = getenv("TMPDIR");
  char *keep = saved ? strdup(saved) : NULL;
  const char *parents[] = {tu_tmpdir(), "", NULL};
  for (size_t k = 0; k < 3; k++) {
    if (parents[k])
      setenv("TMPDIR", parents[k], 1);
    else
      unsetenv("TMPDIR");
    const char *want = parents[k] && *parents[k] ? parents[k] : "/tmp";
    char *dir = NULL, *inner = NULL;
    assert_int_equal(l4px_make_temp_dir(NULL, "scratch-", &dir), L4P_OK);
    assert_memory_equal(dir, want, strlen(want));
    assert_memory_equal(dir + strlen(want), "/scratch-", 9);
    assert_int_equal(strlen(dir + strlen(want)), strlen("/scratch-XXXXXX"));
    assert_non_null(inner = l4px_path_join(dir, "a/b"));
    assert_int_equal(l4px_make_dirs(inner), L4P_OK);
    free(inner);
    assert_non_null(inner = l4px_path_join(dir, "a/b/f.txt"));
    assert_int_equal(l4px_write_file_atomic(inner, "x", 1), L4P_OK);
    free(inner);
    assert_int_equal(l4px_remove_tree(dir), L4P_OK);
    struct stat st;
    assert_int_not_equal(stat(dir, &st), 0);
    free(dir);
  }
  if (keep)
    setenv("TMPDIR", keep, 1);
  free(keep);
}

/* ------------------------------------------------------------ sha256 */

/* FIPS 180-4 example digests, plus lengths around the padding edges
 * (55, 56 and 64 bytes), checked against sha256sum. */
static void test_sha256(void **state)
{
  char hex[L4PX_SHA256_HEX_SIZE];
  l4px_sha256_hex("", 0, hex);
  assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb924"
                           "27ae41e4649b934ca495991b7852b855");
  l4px_sha256_hex("abc", 3, hex);
  assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223"
                           "b00361a396177a9cb410ff61f20015ad");
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  l4px_sha256_hex(two, strlen(two), hex);
  assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039"
                           "a33ce45964ff2167f6ecedd419db06c1");
  char a[1000];
  memset(a, 'a', sizeof a);
  struct l4px_sha256 ctx;
  unsigned char digest[32];
  l4px_sha256_init(&ctx);
  for (int i = 0; i < 1000; i++)
    l4px_sha256_update(&ctx, a, sizeof a); /* one million 'a' */
  l4px_sha256_final(&ctx, digest);
  assert_int_equal(digest[0], 0xcd);
  assert_int_equal(digest[31], 0xd0);
  /* Digests at the padding edges, fed whole and byte by byte. */
  const struct {
    size_t len;
    const char *hex;
  } edges[] = {
      {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
      {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
      {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
  };
  for (size_t k = 0; k < 3; k++) {
    l4px_sha256_hex(a, edges[k].len, hex);
    assert_string_equal(hex, edges[k].hex);
    l4px_sha256_init(&ctx);
    for (size_t i = 0; i < edges[k].len; i++)
      l4px_sha256_update(&ctx, a + i, 1);
    l4px_sha256_final(&ctx, digest);
    char hex2[L4PX_SHA256_HEX_SIZE];
    for (int i = 0; i < 32; i++)
      snprintf(hex2 + 2 * i, 3, "%02x", digest[i]);
    assert_string_equal(hex2, edges[k].hex);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bignum_small),
      cmocka_unit_test(test_bignum_powers),
      cmocka_unit_test(test_csv_basic),
      cmocka_unit_test(test_csv_semicolon_bom_blank_crlf),
      cmocka_unit_test(test_csv_errors),
      cmocka_unit_test(test_csv_field_round_trip),
      cmocka_unit_test(test_cfgset),
      cmocka_unit_test(test_jsonloc),
      cmocka_unit_test(test_strbuf),
      cmocka_unit_test(test_parse_double),
      cmocka_unit_test(test_parse_llong),
      cmocka_unit_test(test_paths_and_files),
      cmocka_unit_test(test_scratch_dirs),
      cmocka_unit_test(test_sha256),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
