/* Unit tests for measured tables (src/oracle/table.c, table_index.c):
 * exact lookup through the hash index, averaging of duplicate rows,
 * nearest free row, CSV round trip, load errors with path:line and the
 * column, and loading through the spec's table oracle.
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

#include "llm4perf/table.h"
#include "testutil.h"

#define assert_error_has(text)                                     \
  do {                                                             \
    if (!strstr(l4p_last_error(), (text)))                         \
      fail_msg("error '%s' lacks '%s'", l4p_last_error(), (text)); \
  } while (0)

/* fast (bool), level (int 0..9), mode (enum a b c), ratio (float list
 * 0.25 0.5 1); objectives time (min), size (max). */
static struct l4p_spec *make_spec(void)
{
  struct l4p_spec *spec = l4p_spec_new("toy");
  assert_non_null(spec);
  char *labels[] = {"a", "b", "c"};
  double ratios[] = {0.25, 0.5, 1};
  struct l4p_option opts[] = {
      {.name = "fast", .type = L4P_OPT_BOOL, .max = 1},
      {.name = "level",
       .type = L4P_OPT_INT,
       .max = 9,
       .step = 1,
       .default_value = 3},
      {.name = "mode",
       .type = L4P_OPT_ENUM,
       .n_values = 3,
       .labels = labels,
       .max = 2},
      {.name = "ratio",
       .type = L4P_OPT_FLOAT,
       .n_values = 3,
       .values = ratios,
       .min = 0.25,
       .max = 1,
       .default_value = 0.5},
  };
  for (size_t i = 0; i < sizeof opts / sizeof *opts; i++)
    assert_int_equal(l4p_space_add_option(spec->space, &opts[i]), L4P_OK);
  assert_int_equal(l4p_spec_add_objective(spec, "time", "s", L4P_MINIMIZE),
                   L4P_OK);
  assert_int_equal(l4p_spec_add_objective(spec, "size", NULL, L4P_MAXIMIZE),
                   L4P_OK);
  return spec;
}

static void test_add_find_merge(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  struct l4p_table *t = l4p_table_new(spec);
  assert_non_null(t);
  assert_int_equal(t->n_options, 4);
  assert_int_equal(t->n_objectives, 2);
  double c0[] = {0, 3, 1, 0.5}, c1[] = {1, 9, 2, 1}, c2[] = {0, 0, 0, 0.25};
  double v0[] = {10, 100}, v1[] = {4, 50}, v2[] = {NAN, 7};
  assert_int_equal(l4p_table_add(t, spec, c0, v0), L4P_OK);
  assert_int_equal(l4p_table_add(t, spec, c1, v1), L4P_OK);
  assert_int_equal(l4p_table_add(t, spec, c2, v2), L4P_OK);
  assert_int_equal(t->n_rows, 3);
  assert_int_equal(t->n_merged, 0);
  assert_int_equal(l4p_table_find(t, c0), 0);
  assert_int_equal(l4p_table_find(t, c1), 1);
  assert_int_equal(l4p_table_find(t, c2), 2);
  double other[] = {1, 3, 1, 0.5};
  assert_int_equal(l4p_table_find(t, other), -1);
  /* -0.0 is the value 0 */
  double neg_zero[] = {-0.0, 3, 1, 0.5};
  assert_int_equal(l4p_table_find(t, neg_zero), 0);

  /* duplicates: running mean, count, n_merged */
  double v0b[] = {12, 104}, v0c[] = {14, NAN};
  assert_int_equal(l4p_table_add(t, spec, c0, v0b), L4P_OK);
  assert_int_equal(l4p_table_add(t, spec, c0, v0c), L4P_OK);
  assert_int_equal(t->n_rows, 3);
  assert_int_equal(t->n_merged, 2);
  assert_int_equal(t->count[0], 3);
  assert_same(t->values[0], 12);  /* (10 + 12 + 14) / 3 */
  assert_same(t->values[1], 102); /* NAN keeps (100 + 104) / 2 */
  /* a measured value replaces a missing one */
  double v2b[] = {3, 9};
  assert_int_equal(l4p_table_add(t, spec, c2, v2b), L4P_OK);
  assert_same(t->values[4], 3);
  assert_same(t->values[5], 8);
  assert_int_equal(t->count[2], 2);
  l4p_table_free(t);
  l4p_table_free(NULL);
  l4p_spec_free(spec);
}

/* The index keeps finding every row while it grows through many
 * rehashes (50000 rows: load factor kept under 1/2). */
static void test_index_many_rows(void **state)
{
  (void)state;
  struct l4p_spec *spec = l4p_spec_new("big");
  struct l4p_option a = {
      .name = "a", .type = L4P_OPT_INT, .max = 999, .step = 1};
  struct l4p_option b = {
      .name = "b", .type = L4P_OPT_INT, .max = 999, .step = 1};
  assert_int_equal(l4p_space_add_option(spec->space, &a), L4P_OK);
  assert_int_equal(l4p_space_add_option(spec->space, &b), L4P_OK);
  assert_int_equal(l4p_spec_add_objective(spec, "t", NULL, L4P_MINIMIZE),
                   L4P_OK);
  struct l4p_table *t = l4p_table_new(spec);
  enum { N = 50000 };
  for (int i = 0; i < N; i++) {
    double cfg[] = {i % 1000, i / 1000}, v = i;
    assert_int_equal(l4p_table_add(t, spec, cfg, &v), L4P_OK);
  }
  assert_int_equal(t->n_rows, N);
  for (int i = 0; i < N; i++) {
    double cfg[] = {i % 1000, i / 1000};
    long row = l4p_table_find(t, cfg);
    if (row != i)
      fail_msg("row of (%d, %d) is %ld, expected %d", i % 1000, i / 1000, row,
               i);
  }
  double absent[] = {5, 999};
  assert_int_equal(l4p_table_find(t, absent), -1);
  l4p_table_free(t);
  l4p_spec_free(spec);
}

static void test_nearest(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  struct l4p_table *t = l4p_table_new(spec);
  double v[] = {1, 1};
  double rows[][4] = {
      {0, 0, 0, 0.25}, {0, 9, 0, 0.25}, {1, 4, 2, 1}, {0, 1, 0, 0.25}};
  for (size_t r = 0; r < 4; r++)
    assert_int_equal(l4p_table_add(t, spec, rows[r], v), L4P_OK);
  double near0[] = {0, 0, 0, 0.25};
  assert_int_equal(l4p_table_nearest(t, spec->space, near0, NULL), 0);
  bool taken[4] = {true, false, false, false};
  /* level 1 is 1/9 away; level 9 is 9/9 */
  assert_int_equal(l4p_table_nearest(t, spec->space, near0, taken), 3);
  /* ties go to the lowest row: level 5 is 4/9 from both 1 and 9 */
  double mid[] = {0, 5, 0, 0.25};
  taken[0] = false;
  assert_int_equal(l4p_table_nearest(t, spec->space, mid, taken), 1);
  taken[1] = true;
  assert_int_equal(l4p_table_nearest(t, spec->space, mid, taken), 3);
  bool all[4] = {true, true, true, true};
  assert_int_equal(l4p_table_nearest(t, spec->space, mid, all), -1);
  l4p_table_free(t);
  l4p_spec_free(spec);
}

static void test_save_load_roundtrip(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  struct l4p_table *t = l4p_table_new(spec);
  double c0[] = {1, 7, 2, 0.25}, c1[] = {0, 0, 0, 1};
  double v0[] = {0.1 + 0.2, 1e-300}, v1[] = {NAN, 123456789.125};
  assert_int_equal(l4p_table_add(t, spec, c0, v0), L4P_OK);
  assert_int_equal(l4p_table_add(t, spec, c1, v1), L4P_OK);
  const char *path = tu_tmp("round.csv");
  assert_int_equal(l4p_table_save(t, spec, path), L4P_OK);
  struct l4p_table *back;
  assert_int_equal(l4p_table_load(spec, path, &back), L4P_OK);
  assert_int_equal(back->n_rows, 2);
  assert_int_equal(back->n_merged, 0);
  for (size_t k = 0; k < 8; k++)
    assert_same(back->configs[k], t->configs[k]);
  assert_same(back->values[0], 0.1 + 0.2); /* shortest exact text */
  assert_same(back->values[1], 1e-300);
  assert_true(isnan(back->values[2])); /* empty cell */
  assert_same(back->values[3], 123456789.125);
  assert_int_equal(l4p_table_find(back, c1), 1);
  l4p_table_free(back);
  l4p_table_free(t);
  l4p_spec_free(spec);
}

/* Columns in any order, extra columns ignored, duplicates averaged. */
static void test_load_layout(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  const char *path = tu_tmp("layout.csv");
  tu_write(path, "size;note;ratio;mode;level;fast;time\n"
                 "5;x;0.5;b;2;true;1.5\n"
                 "7;y;0.5;b;2;1;2.5\n"
                 "1;z;1;c;9;0;nan\n");
  struct l4p_table *t;
  assert_int_equal(l4p_table_load(spec, path, &t), L4P_OK);
  assert_int_equal(t->n_rows, 2);
  assert_int_equal(t->n_merged, 1);
  double c0[] = {1, 2, 1, 0.5};
  assert_int_equal(l4p_table_find(t, c0), 0);
  assert_int_equal(t->count[0], 2);
  assert_same(t->values[0], 2); /* time */
  assert_same(t->values[1], 6); /* size */
  assert_true(isnan(t->values[2]));
  l4p_table_free(t);
  l4p_spec_free(spec);
}

/* Load path holding text; expect st and a message containing want. */
static void load_fails(const char *name, const char *text, l4p_status st,
                       const char *want)
{
  struct l4p_spec *spec = make_spec();
  const char *path = tu_tmp(name);
  tu_write(path, text);
  struct l4p_table *t = (struct l4p_table *)&t;
  l4p_clear_error();
  assert_int_equal(l4p_table_load(spec, path, &t), st);
  assert_null(t);
  char full[600];
  snprintf(full, sizeof full, "%s%s", path, want);
  assert_error_has(full);
  l4p_spec_free(spec);
}

static void test_load_errors(void **state)
{
  (void)state;
  const char *head = "fast,level,mode,ratio,time,size\n";
  char text[512];
  load_fails("missing.csv", "fast,level,mode,time,size\n1,2,a,3,4\n",
             L4P_EPARSE, ":1: missing column 'ratio'");
  snprintf(text, sizeof text, "%s0,1,a,0.5,1,2\n1,12,a,0.5,1,2\n", head);
  load_fails("level.csv", text, L4P_EDOMAIN,
             ":3: column 'level': value '12' is outside [0, 9]");
  snprintf(text, sizeof text, "%s0,1,z,0.5,1,2\n", head);
  load_fails("label.csv", text, L4P_EDOMAIN,
             ":2: column 'mode': value 'z' is outside {a, b, c}");
  snprintf(text, sizeof text, "%s0,1,a,0.75,1,2\n", head);
  load_fails("ratio.csv", text, L4P_EDOMAIN, ":2: column 'ratio': ");
  snprintf(text, sizeof text, "%smaybe,1,a,0.5,1,2\n", head);
  load_fails("bool.csv", text, L4P_EDOMAIN, ":2: column 'fast': ");
  snprintf(text, sizeof text, "%s0,1,a,0.5,fast,2\n", head);
  load_fails("time.csv", text, L4P_EPARSE,
             ":2: column 'time': 'fast' is not a number");
  snprintf(text, sizeof text, "%s0,1,a,0.5,1,2\n\n0,1,a,0.5\n", head);
  load_fails("fields.csv", text, L4P_EPARSE, ":4: expected 6 fields, found 4");
  struct l4p_spec *spec = make_spec();
  struct l4p_table *t;
  assert_int_equal(l4p_table_load(spec, tu_tmp("absent.csv"), &t), L4P_EIO);
  l4p_spec_free(spec);
}

static void test_load_for(void **state)
{
  (void)state;
  struct l4p_spec *spec = make_spec();
  spec->dir = strdup(tu_tmpdir());
  tu_write(tu_tmp("oracle.csv"), "fast,level,mode,ratio,time,size\n"
                                 "0,1,a,0.5,1,2\n0,2,a,0.5,3,4\n");
  struct l4p_table *t;
  l4p_clear_error();
  assert_int_equal(l4p_table_load_for(spec, &t), L4P_EUSAGE);
  assert_error_has("no oracle");
  static const struct {
    const char *json;
    l4p_status st;
    const char *msg;
  } bad[] = {
      {"{\"type\":\"command\",\"argv\":[\"x\"]}", L4P_EUSAGE, "not a table"},
      {"{\"type\":\"table\",\"path\":null}", L4P_EUSAGE, "has no path"},
      {"{\"type\":\"table\"", L4P_EPARSE, "oracle"},
      {"{\"type\":\"table\",\"path\":\"nowhere.csv\"}", L4P_EIO, "nowhere"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
    free(spec->oracle_json);
    spec->oracle_json = strdup(bad[k].json);
    assert_int_equal(l4p_table_load_for(spec, &t), bad[k].st);
    assert_null(t);
    assert_error_has(bad[k].msg);
  }
  free(spec->oracle_json);
  spec->oracle_json = strdup("{\"type\":\"table\",\"path\":\"oracle.csv\"}");
  assert_int_equal(l4p_table_load_for(spec, &t), L4P_OK);
  assert_int_equal(t->n_rows, 2);
  double cfg[] = {0, 2, 0, 0.5};
  assert_int_equal(l4p_table_find(t, cfg), 1);
  l4p_table_free(t);
  l4p_spec_free(spec);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_add_find_merge),
      cmocka_unit_test(test_index_many_rows),
      cmocka_unit_test(test_nearest),
      cmocka_unit_test(test_save_load_roundtrip),
      cmocka_unit_test(test_load_layout),
      cmocka_unit_test(test_load_errors),
      cmocka_unit_test(test_load_for),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
