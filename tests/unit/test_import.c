/* Unit tests for the importers (src/import/) on the fixtures under
 * tests/data and tables written here: plain CSV type inference, one-hot
 * groups and --where conditions, MOOT headers, SPL Conqueror models
 * (groups, implied and excluded options, numeric grids, constraint
 * translation), format guessing, and errors with file:line. The measured
 * datasets are test_import_data.c; shared checks are import_check.c.
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

#include "llm4perf/import.h"
#include "import_check.h"
#include "testutil.h"

/* The spec's oracle is a table oracle without a path of its own. */
static void assert_table_oracle(const struct l4p_spec *spec)
{
  assert_string_equal(spec->oracle_type, "table");
  assert_string_equal(spec->oracle_json, "{\"type\":\"table\",\"path\":null}");
}

/* ---- fixtures written for these tests (tests/data) ---- */

static void test_guess(void **state)
{
  (void)state;
  assert_int_equal(
      l4p_import_guess(tu_src("tests/data/import/plain.csv"), NULL),
      L4P_IMPORT_CSV);
  assert_int_equal(l4p_import_guess(tu_src("tests/data/import/moot.csv"), NULL),
                   L4P_IMPORT_MOOT);
  assert_int_equal(
      l4p_import_guess(tu_src("tests/data/splc_toy/measurements.csv"), NULL),
      L4P_IMPORT_SPLC);
  assert_int_equal(
      l4p_import_guess(tu_src("tests/data/import/plain.csv"), "fm.xml"),
      L4P_IMPORT_SPLC);
}

static void test_csv_fixture(void **state)
{
  (void)state;
  struct l4p_import_opts o = {.objectives = "time,size:max", .ignore = "id"};
  struct imported im = import_ok(tu_src("tests/data/import/plain.csv"), &o);
  struct l4p_spec *spec = im.spec;
  assert_string_equal(spec->name, "plain");
  assert_int_equal(l4p_space_n_options(spec->space), 5);
  assert_labels(spec, "preset", "fast,medium,slow");
  assert_values(spec, "ref", L4P_OPT_INT, "1,2,4,8");
  assert_values(spec, "ratio", L4P_OPT_FLOAT, "0.25,0.5,1.5");
  assert_labels(spec, "tune", "film,grain,none"); /* one-hot group */
  assert_int_equal(option(spec, "cabac")->type, L4P_OPT_BOOL);
  assert_int_equal(l4p_space_find(spec->space, "ver"), -1);
  assert_int_equal(l4p_space_find(spec->space, "tune_film"), -1);
  assert_objectives(spec, "time:min,size:max");
  assert_table_oracle(spec);
  assert_has(spec->provenance, "csv table import/plain.csv");
  assert_has(spec->provenance, "ver=3");
  assert_has(spec->provenance, "1 duplicate row averaged");
  /* preset 3 x ref 4 x ratio 3 x tune 3 x cabac 2 = 216 */
  assert_count(spec, "216");
  /* 6 rows, rows 2 and 5 the same configuration once id is dropped */
  assert_int_equal(im.table->n_rows, 5);
  assert_int_equal(im.table->n_merged, 1);
  double slow[] = {2, 1, 0.5, 0, 1}; /* slow, 1, 0.5, film, true */
  long row = l4p_table_find(im.table, slow);
  assert_int_equal(row, 0);
  assert_same(im.table->values[0], 11); /* (10 + 12) / 2 */
  assert_same(im.table->values[1], 102);
  assert_int_equal(im.table->count[0], 2);
  assert_true(isnan(im.table->values[3 * 2 + 1])); /* empty size cell */
  assert_rows_valid(&im);
  release(&im);

  /* a plain table needs its objectives named */
  struct l4p_import_opts none = {.format = L4P_IMPORT_CSV};
  import_fails(tu_src("tests/data/import/plain.csv"), &none, L4P_EUSAGE,
               "name them");
}

static void test_moot_fixture(void **state)
{
  (void)state;
  struct imported im = import_ok(tu_src("tests/data/import/moot.csv"), NULL);
  struct l4p_spec *spec = im.spec;
  assert_int_equal(l4p_space_n_options(spec->space), 4);
  assert_values(spec, "Threads", L4P_OPT_INT, "1,2,4");
  assert_values(spec, "Ratio", L4P_OPT_FLOAT, "0.5,1.5");
  assert_labels(spec, "mode", "a,b");
  assert_int_equal(option(spec, "fast")->type, L4P_OPT_BOOL);
  assert_int_equal(l4p_space_find(spec->space, "idX"), -1);
  assert_objectives(spec, "Time:min,Quality:max");
  assert_count(spec, "24"); /* 3 x 2 x 2 x 2 */
  assert_int_equal(im.table->n_rows, 3);
  assert_rows_valid(&im);
  release(&im);

  /* goals can be overridden, an option can become an objective, and an
   * objective can be ignored by its header or its name */
  struct l4p_import_opts o = {.objectives = "Quality:min,Ratio:max",
                              .ignore = "Time-"};
  im = import_ok(tu_src("tests/data/import/moot.csv"), &o);
  assert_objectives(im.spec, "Ratio:max,Quality:min");
  assert_has(im.spec->provenance, "goal of 'Quality' set to min");
  assert_int_equal(l4p_space_n_options(im.spec->space), 3);
  release(&im);
}

/* The toy model: root (mandatory), fast, verify (implies checksum),
 * checksum, nocache (excludes fast), codec (optional group Lz4 | Zstd),
 * level 1..7 step +2, threads 1..8 step *2, "!codecLz4 | !checksum" and
 * "threads * level <= 28". */
static void test_splc_fixture(void **state)
{
  (void)state;
  struct imported im =
      import_ok(tu_src("tests/data/splc_toy/measurements.csv"), NULL);
  struct l4p_spec *spec = im.spec;
  assert_string_equal(spec->name, "toyzip");
  assert_int_equal(l4p_space_n_options(spec->space), 7);
  assert_int_equal(l4p_space_find(spec->space, "root"), -1);
  assert_int_equal(l4p_space_find(spec->space, "codecLz4"), -1);
  assert_labels(spec, "codec", "none,Lz4,Zstd");
  /* the grid 1,3,5,7 plus the measured 2 */
  assert_values(spec, "level", L4P_OPT_INT, "1,2,3,5,7");
  assert_values(spec, "threads", L4P_OPT_INT, "1,2,4,8");
  assert_int_equal(option(spec, "fast")->type, L4P_OPT_BOOL);
  const char *want[] = {"verify -> checksum", "!(fast && nocache)",
                        "!(codec == 'Lz4') || !checksum",
                        "threads * level <= 28"};
  assert_int_equal(l4p_space_n_constraints(spec->space), 4);
  for (size_t k = 0; k < 4; k++)
    assert_string_equal(l4p_space_constraint_text(spec->space, k), want[k]);
  assert_objectives(spec, "time:min,size:min");
  assert_table_oracle(spec);
  assert_has(spec->provenance, "splc_toy/FeatureModel.xml");
  assert_has(spec->provenance, "option 'level': measured values outside "
                               "the model's domain added: 2");
  assert_has(spec->provenance, "1 row breaking the model's constraints "
                               "dropped");
  /* By hand: (verify, checksum) has 3 valid pairs; codec has 3 labels
   * but Lz4 only without checksum: (0,0) 3 + (0,1) 2 + (1,1) 2 = 7;
   * (fast, nocache) 3 valid pairs; (level, threads) with product <= 28:
   * level 1, 2, 3 with any of 4 threads (12), level 5 and 7 with 3 each
   * (6) = 18. Total 7 * 3 * 18 = 378. */
  assert_count(spec, "378");
  /* 8 rows: one repeats row 2 (averaged), one breaks verify -> checksum */
  assert_int_equal(im.table->n_rows, 6);
  assert_int_equal(im.table->n_merged, 1);
  double zstd[] = {0, 1, 1, 0, 2, 5, 4};
  long row = l4p_table_find(im.table, zstd);
  assert_int_equal(row, 2);
  assert_same(im.table->values[4], 7.5);
  assert_same(im.table->values[5], 305);
  assert_true(isnan(im.table->values[11])); /* last row: no size */
  assert_rows_valid(&im);
  release(&im);

  /* objectives named: only those; the others must be ignored */
  struct l4p_import_opts o = {.objectives = "size:max", .ignore = "time"};
  im = import_ok(tu_src("tests/data/splc_toy/measurements.csv"), &o);
  assert_objectives(im.spec, "size:max");
  release(&im);
  struct l4p_import_opts o2 = {.objectives = "size"};
  import_fails(tu_src("tests/data/splc_toy/measurements.csv"), &o2, L4P_EUSAGE,
               "column 'time' is neither an option of the "
               "feature model nor an objective");
}

/* Write dir/FeatureModel.xml and dir/m.csv; returns the CSV path. */
static const char *write_model(const char *dir, const char *xml,
                               const char *csv)
{
  char path[512];
  mkdir(tu_tmp(dir), 0777);
  snprintf(path, sizeof path, "%s/FeatureModel.xml", dir);
  tu_write(tu_tmp(path), xml);
  snprintf(path, sizeof path, "%s/m.csv", dir);
  tu_write(tu_tmp(path), csv);
  return tu_tmp(path);
}

#define BIN(name, parent, optional, extra)                    \
  "<configurationOption><name>" name "</name><parent>" parent \
  "</parent>" extra "<optional>" optional "</optional>"       \
  "</configurationOption>\n"

/* SPL Conqueror operators, mixed constraints and names that need
 * braces; a mandatory option under an optional parent. */
static void test_splc_translation(void **state)
{
  (void)state;
  const char *xml = "<vm name=\"t\">\n<binaryOptions>\n" BIN("root", "",
                                                             "False", "")
      BIN("a", "root", "True", "") BIN("8x8", "root", "True", "")
          BIN("b", "a", "False", "") BIN("g", "root", "False", "")
              BIN("g_x", "g", "False",
                  "<excludedOptions><options>g_y</options></excludedOptions>")
                  BIN("g_y", "g", "False",
                      "<excludedOptions><options>g_x</options></"
                      "excludedOptions>") "</binaryOptions>\n<numericOptions>\n"
                                          "<configurationOption><name>n</"
                                          "name><minValue>0</minValue>"
                                          "<maxValue>40</"
                                          "maxValue><stepFunction>n + "
                                          "1</stepFunction>"
                                          "</configurationOption>\n"
                                          "<configurationOption><name>m</"
                                          "name><minValue>1</minValue>"
                                          "<maxValue>16</"
                                          "maxValue><stepFunction>m / "
                                          "2</stepFunction>"
                                          "</configurationOption>\n"
                                          "</numericOptions>\n"
                                          "<booleanConstraints><constraint>a "
                                          "&amp; 8x8 =&gt; g_y</constraint>"
                                          "</booleanConstraints>\n"
                                          "<nonBooleanConstraints><constraint>"
                                          "n = 3 | m != -2</constraint>"
                                          "</nonBooleanConstraints>\n"
                                          "<mixedConstraints><constraint "
                                          "req=\"all\" exprKind=\"neg\">"
                                          "n &gt; 30 &amp; "
                                          "8x8</constraint></"
                                          "mixedConstraints>\n"
                                          "</vm>\n";
  const char *csv = write_model("tr", xml,
                                "root,a,8x8,b,g,g_x,g_y,n,m,t\n"
                                "1,0,0,0,1,1,0,0,1,5\n"
                                "1,1,1,1,1,0,1,3,16,6\n");
  struct imported im = import_ok(csv, NULL);
  struct l4p_spec *spec = im.spec;
  assert_labels(spec, "g", "x,y");
  /* 41 points: a range, not a list; "m / 2" walks down from 16 */
  const struct l4p_option *n = option(spec, "n");
  assert_int_equal(n->n_values, 0);
  assert_same(n->step, 1);
  assert_same(n->max, 40);
  assert_values(spec, "m", L4P_OPT_INT, "1,2,4,8,16");
  const char *want[] = {"b -> a", "a -> b", "a && {8x8} -> (g == 'y')",
                        "n == 3 || m != -2", "({8x8}) -> !(n > 30 && {8x8})"};
  assert_int_equal(l4p_space_n_constraints(spec->space), 5);
  for (size_t k = 0; k < 5; k++)
    assert_string_equal(l4p_space_constraint_text(spec->space, k), want[k]);
  assert_int_equal(im.table->n_rows, 2);
  assert_rows_valid(&im);
  release(&im);
}

static void test_splc_errors(void **state)
{
  (void)state;
  const char *head = "root,a,t\n";
  const char *ok =
      "<vm name=\"t\"><binaryOptions>\n" BIN("root", "", "False", "")
          BIN("a", "root", "True", "") "</binaryOptions></vm>\n";
  /* malformed XML: the first error, with its line */
  const char *csv = write_model("e1",
                                "<vm name=\"t\">\n<binaryOptions>\n"
                                "<configurationOption>\n<name>a</nam>\n",
                                "a,t\n1,2\n");
  import_fails(csv, NULL, L4P_EPARSE,
               "FeatureModel.xml:4: malformed XML: opening and ending tag "
               "mismatch");
  csv = write_model("e2", "<model/>\n", "a,t\n1,2\n");
  import_fails(csv, NULL, L4P_EPARSE, "FeatureModel.xml:1: expected a <vm>");
  /* unknown parent and unreadable step function, with their lines */
  csv = write_model("e3",
                    "<vm name=\"t\"><binaryOptions>\n" BIN(
                        "a", "nope", "True", "") "</binaryOptions></vm>\n",
                    "a,t\n1,2\n");
  import_fails(csv, NULL, L4P_EPARSE,
               "FeatureModel.xml:2: option 'a': unknown parent 'nope'");
  csv = write_model("e4",
                    "<vm name=\"t\"><numericOptions>\n"
                    "<configurationOption><name>n</name><minValue>1"
                    "</minValue><maxValue>9</maxValue><stepFunction>"
                    "n ^ 2</stepFunction></configurationOption>\n"
                    "</numericOptions></vm>\n",
                    "n,t\n1,2\n");
  import_fails(csv, NULL, L4P_EPARSE,
               "FeatureModel.xml:2: option 'n': cannot read step function "
               "'n ^ 2'");
  csv = write_model(
      "e5",
      "<vm name=\"t\"><binaryOptions>\n" BIN(
          "a", "", "True", "") "</binaryOptions><booleanConstraints>\n"
                               "<constraint>a | zz</constraint>"
                               "</booleanConstraints></vm>\n",
      "a,t\n1,2\n");
  import_fails(csv, NULL, L4P_EPARSE,
               "FeatureModel.xml:4: constraint 'a | zz': unknown option "
               "'zz'");
  /* data errors name the CSV line and column */
  csv = write_model("e6", ok, "root,a,t\n1,0,1\n1,2,1\n");
  import_fails(csv, NULL, L4P_EDOMAIN,
               "m.csv:3: column 'a': '2' is not 0 "
               "or 1");
  csv = write_model("e7", ok, "root,t\n1,1\n");
  import_fails(csv, NULL, L4P_EPARSE, "m.csv:1: missing column 'a'");
  csv = write_model("e8", ok, "root,a,t\n1,0,1\n1,1\n");
  import_fails(csv, NULL, L4P_EPARSE, "m.csv:3: expected 3 fields, found 2");
  char text[256];
  snprintf(text, sizeof text, "%s1,0,1\n", head);
  csv = write_model("e9", ok, text);
  struct l4p_import_opts o = {.objectives = "t,nope"};
  import_fails(csv, &o, L4P_EUSAGE, "objective 'nope' is not a column of");
  struct l4p_import_opts o2 = {.objectives = "a"};
  import_fails(csv, &o2, L4P_EUSAGE,
               "objective 'a' is an option of the "
               "feature model");
  struct l4p_import_opts o3 = {.ignore = "a"};
  import_fails(csv, &o3, L4P_EUSAGE,
               "column 'a' is an option of the feature "
               "model");
  struct l4p_import_opts o4 = {.objectives = "t:fast"};
  import_fails(csv, &o4, L4P_EUSAGE, "goal 'fast' is not min or max");
  struct l4p_import_opts o5 = {.where = "nope=1"};
  import_fails(csv, &o5, L4P_EUSAGE, "where 'nope=1': no column 'nope'");
  struct l4p_import_opts o6 = {.ignore = "nope"};
  import_fails(csv, &o6, L4P_EUSAGE, "ignore: no column 'nope'");
  /* group members both on */
  const char *grp = "<vm name=\"t\"><binaryOptions>\n" BIN("g", "", "False", "")
      BIN("g_x", "g", "False",
          "<excludedOptions><options>g_y</options>"
          "</excludedOptions>")
          BIN("g_y", "g", "False",
              "<excludedOptions><options>g_x</options>"
              "</excludedOptions>") "</binaryOptions></vm>\n";
  csv = write_model("e10", grp, "g,g_x,g_y,t\n1,1,0,1\n1,1,1,2\n");
  import_fails(csv, NULL, L4P_EDOMAIN,
               "m.csv:3: options 'g_x' and 'g_y' of "
               "group 'g' are both selected");
  csv = write_model("e11", grp, "g,g_x,g_y,t\n1,0,0,1\n");
  import_fails(csv, NULL, L4P_EDOMAIN,
               "m.csv:2: no option of group 'g' is "
               "selected");
  /* a column outside the model that is no number: name it */
  csv = write_model("e12", ok, "root,a,rev,t\n1,0,8.3.0,1\n1,1,9.6.3,2\n");
  import_fails(csv, NULL, L4P_EUSAGE, "column 'rev' is neither an option");
  struct l4p_import_opts w = {.where = "rev=9.6.3"};
  struct imported im = import_ok(csv, &w);
  assert_int_equal(im.table->n_rows, 1);
  assert_has(im.spec->provenance, "rows where rev=9.6.3: 1 of 2 kept");
  release(&im);
  struct l4p_import_opts w2 = {.where = "rev=1.0"};
  import_fails(csv, &w2, L4P_EUSAGE, "where 'rev=1.0' matches no row");
  /* no feature model beside the table */
  struct l4p_import_opts s = {.format = L4P_IMPORT_SPLC};
  import_fails(tu_src("tests/data/import/plain.csv"), &s, L4P_EUSAGE,
               "no FeatureModel.xml");
}

static void test_flat_errors(void **state)
{
  (void)state;
  const char *p = tu_tmp("f1.csv");
  tu_write(p, "a,b,t\n1,2,3\n4,5\n");
  struct l4p_import_opts o = {.objectives = "t"};
  import_fails(p, &o, L4P_EPARSE, "f1.csv:3: expected 3 fields, found 2");
  p = tu_tmp("f2.csv");
  tu_write(p, "a,b,t\n1,2,3\n4,5,x\n");
  import_fails(p, &o, L4P_EPARSE,
               "f2.csv:3: column 't': 'x' is not a "
               "number");
  p = tu_tmp("f3.csv");
  tu_write(p, "a,b,t\n1,2,3\n4,,1\n");
  import_fails(p, &o, L4P_EPARSE, "f3.csv:3: column 'b': empty cell");
  struct l4p_import_opts bad = {.objectives = "time"};
  import_fails(p, &bad, L4P_EUSAGE, "objective 'time' is not a column of");
  p = tu_tmp("f4.csv");
  tu_write(p, "a,a,t\n1,2,3\n");
  import_fails(p, &o, L4P_EPARSE, "f4.csv:1: duplicate column 'a'");
  /* MOOT: an uppercase column is numeric */
  p = tu_tmp("m1.csv");
  tu_write(p, "Size,mode,T-\n1,a,3\nbig,b,4\n");
  import_fails(p, NULL, L4P_EPARSE,
               "m1.csv:3: column 'Size': 'big' is not "
               "a number");
  p = tu_tmp("m2.csv");
  tu_write(p, "Size,mode\n1,a\n2,b\n");
  struct l4p_import_opts m = {.format = L4P_IMPORT_MOOT};
  import_fails(p, &m, L4P_EUSAGE, "no objective columns");
}

/* Generalised one-hot groups (tests/data/import/onehot.csv): a parent
 * column that is the OR of its members, rows with no member ('none'), a
 * common prefix cut back to a word start (codecLz4 / codecLzma: codec,
 * ref_1 / ref_10: ref_), and two columns both 1 in a row (no group). */
static void test_onehot_fixture(void **state)
{
  (void)state;
  struct l4p_import_opts o = {.objectives = "time"};
  struct imported im = import_ok(tu_src("tests/data/import/onehot.csv"), &o);
  struct l4p_spec *spec = im.spec;
  assert_int_equal(l4p_space_n_options(spec->space), 4);
  assert_string_equal(l4p_space_option(spec->space, 0)->name, "codec");
  assert_labels(spec, "codec", "none,Lz4,Lzma,Zstd");
  assert_labels(spec, "ref", "1,5,10");
  assert_int_equal(option(spec, "no_cabac")->type, L4P_OPT_BOOL);
  assert_int_equal(option(spec, "no_deblock")->type, L4P_OPT_BOOL);
  assert_int_equal(l4p_space_find(spec->space, "codecLz4"), -1);
  assert_int_equal(l4p_space_find(spec->space, "ref_1"), -1);
  assert_has(spec->provenance,
             "one-hot columns codecLz4..codecZstd became "
             "enum 'codec' with label 'none'; column 'codec' (their OR) "
             "dropped");
  assert_has(spec->provenance, "one-hot columns ref_1..ref_10 became enum "
                               "'ref'");
  assert_count(spec, "48"); /* codec 4 x ref 3 x 2 x 2 */
  assert_int_equal(im.table->n_rows, 6);
  double none5[] = {0, 1, 0, 0}, zstd1[] = {3, 0, 1, 1};
  assert_int_equal(l4p_table_find(im.table, none5), 4);
  assert_int_equal(l4p_table_find(im.table, zstd1), 3);
  assert_rows_valid(&im);
  release(&im);

  /* a column named like the group that is not its OR keeps it apart */
  const char *p = tu_tmp("clash.csv");
  tu_write(p, "tune,tune_a,tune_b,t\n1,1,0,1\n0,0,1,2\n1,0,0,3\n");
  struct l4p_import_opts t = {.objectives = "t"};
  im = import_ok(p, &t);
  assert_int_equal(l4p_space_n_options(im.spec->space), 3);
  assert_int_equal(option(im.spec, "tune_a")->type, L4P_OPT_BOOL);
  assert_has(im.spec->provenance, "one-hot columns tune_a..tune_b kept "
                                  "apart as 'tune' cannot name them");
  release(&im);
  /* so does a member called 'none' when some rows have no member at 1;
   * with exactly one member at 1 in every row it is an ordinary label */
  p = tu_tmp("none.csv");
  tu_write(p, "mode_none,mode_a,t\n1,0,1\n0,1,2\n0,0,3\n");
  im = import_ok(p, &t);
  assert_int_equal(l4p_space_n_options(im.spec->space), 2);
  assert_has(im.spec->provenance, "a member is called 'none'");
  release(&im);
  p = tu_tmp("none2.csv");
  tu_write(p, "mode_none,mode_a,t\n1,0,1\n0,1,2\n");
  im = import_ok(p, &t);
  assert_labels(im.spec, "mode", "none,a");
  release(&im);
}

/* MOOT: an uppercase 0/1 column is a bool; 'core' (always 1) and
 * 'backend' (0 in row 1) are parents of their groups. */
static void test_moot_onehot(void **state)
{
  (void)state;
  const char *path = tu_src("tests/data/import/moot_onehot.csv");
  struct imported im = import_ok(path, NULL);
  struct l4p_spec *spec = im.spec;
  assert_int_equal(l4p_space_n_options(spec->space), 4);
  assert_int_equal(option(spec, "No_mbtree")->type, L4P_OPT_BOOL);
  assert_values(spec, "Level", L4P_OPT_INT, "1,2,3");
  assert_labels(spec, "core", "1,2,3");
  assert_labels(spec, "backend", "none,Gz,Xz");
  assert_count(spec, "54");     /* 2 x 3 x 3 x 3 */
  double row2[] = {1, 2, 1, 1}; /* No_mbtree, Level 2, core2, Gz */
  assert_int_equal(l4p_table_find(im.table, row2), 1);
  assert_rows_valid(&im);
  release(&im);

  /* --where finds an objective by its name without the MOOT suffix */
  struct l4p_import_opts w = {.where = "Time>10"};
  im = import_ok(path, &w);
  assert_int_equal(im.table->n_rows, 3);
  assert_objectives(im.spec, "Time:min");
  assert_has(im.spec->provenance, "rows where Time>10: 3 of 4 kept");
  release(&im);

  /* a numeric column may not hold true/false */
  const char *p = tu_tmp("m3.csv");
  tu_write(p, "Flag,mode,T-\n1,a,1\ntrue,b,2\n");
  import_fails(p, NULL, L4P_EPARSE,
               "m3.csv:3: column 'Flag': 'true' is "
               "not a number");
}

/* --where with several conditions and operators (where.csv). */
static void test_where(void **state)
{
  (void)state;
  const char *path = tu_src("tests/data/import/where.csv");
  struct l4p_import_opts o = {.objectives = "time,energy",
                              .where = "rev=9.6.3,threads>=2,energy>0"};
  struct imported im = import_ok(path, &o);
  struct l4p_spec *spec = im.spec;
  assert_int_equal(im.table->n_rows, 3);
  assert_int_equal(l4p_space_find(spec->space, "rev"), -1);
  assert_values(spec, "threads", L4P_OPT_INT, "2,4,8");
  assert_labels(spec, "mode", "fast,slow");
  assert_objectives(spec, "time:min,energy:min");
  assert_has(spec->provenance, "rows where rev=9.6.3,threads>=2,energy>0: "
                               "3 of 6 kept");
  release(&im);

  /* numbers compare as numbers ("10" == "10.0"), text as text */
  struct l4p_import_opts eq = {.objectives = "time", .where = "rev==10.0"};
  im = import_ok(path, &eq);
  assert_int_equal(im.table->n_rows, 2);
  assert_int_equal(l4p_space_find(im.spec->space, "rev"), -1);
  release(&im);
  struct l4p_import_opts ne = {.objectives = "time", .where = "rev!=9.6.3"};
  im = import_ok(path, &ne);
  assert_int_equal(im.table->n_rows, 3);
  assert_values(im.spec, "rev", L4P_OPT_FLOAT, "8.3,10");
  release(&im);
  /* columns tested with other operators stay (mode: constant, dropped as
   * such); spaces around the parts are fine */
  struct l4p_import_opts mix = {.objectives = "time",
                                .where = " threads <= 4 , mode != fast "};
  im = import_ok(path, &mix);
  assert_int_equal(im.table->n_rows, 2);
  assert_values(im.spec, "threads", L4P_OPT_INT, "2,4");
  assert_has(im.spec->provenance, "constant columns dropped: mode=slow");
  release(&im);
  /* an objective may be filtered by order, not by equality alone */
  struct l4p_import_opts obj = {.objectives = "time,energy",
                                .where = "energy=7"};
  import_fails(path, &obj, L4P_EUSAGE,
               "objective 'energy' is also ignored "
               "or filtered");
  obj.where = "energy=7,energy>0";
  import_fails(path, &obj, L4P_EUSAGE, "no option columns");
  obj.where = "energy<7,energy>0";
  im = import_ok(path, &obj);
  assert_int_equal(im.table->n_rows, 4);
  release(&im);

  /* errors name the condition and the column */
  struct {
    const char *where;
    const char *msg;
  } bad[] = {
      {"mode<fast", "where 'mode<fast': column 'mode': '<' orders numbers, "
                    "and 'fast' is not a number"},
      {"rev>9", "where.csv:3: where 'rev>9': column 'rev': '9.6.3' is not a "
                "number"},
      {"threads=>2", "where 'threads=>2': expected COL OP VALUE"},
      {"threads!3", "where 'threads!3': expected COL OP VALUE"},
      {"threads", "where 'threads': expected COL OP VALUE"},
      {"<3", "where '<3': no column before '<'"},
      {"time>1,nope<3", "where 'nope<3': no column 'nope'"},
      {"threads>100", "where 'threads>100' matches no row"},
  };
  for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
    struct l4p_import_opts b = {.objectives = "time", .where = bad[k].where};
    import_fails(path, &b, L4P_EUSAGE, bad[k].msg);
  }
}
int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_guess),
      cmocka_unit_test(test_csv_fixture),
      cmocka_unit_test(test_moot_fixture),
      cmocka_unit_test(test_splc_fixture),
      cmocka_unit_test(test_splc_translation),
      cmocka_unit_test(test_splc_errors),
      cmocka_unit_test(test_flat_errors),
      cmocka_unit_test(test_onehot_fixture),
      cmocka_unit_test(test_moot_onehot),
      cmocka_unit_test(test_where),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
