/* Unit tests for the importers (src/import/) on the real datasets under
 * shared/data, with counts derived independently (python3 over the
 * files, or by hand from the feature models). A test whose dataset is
 * absent is skipped, and without the datasets the program exits 77
 * (ctest's "skipped"); the fixtures are test_import.c, which always
 * runs.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "llm4perf/import.h"
#include "import_check.h"
#include "testutil.h"

/* The path of a shared dataset; skips the test when it is absent. */
static const char *dataset(const char *rel)
{
  const char *path = tu_shared(rel);
  if (!path)
    skip();
  return path;
}

/* x264 Twins: root, no_asm (mandatory, always 1) and the group parents
 * rc_lookahead, ref, core (always 1) are no options; 7 optional bools
 * (no_8x8dct ... no_weightb) and 3 groups: 2^7 * 3 * 3 * 4 = 4608, which
 * is also the number of rows (python3: len(set(rows)) == 4608). */
static void test_x264_twins(void **state)
{
  (void)state;
  struct imported im =
      import_ok(dataset("x264/twins_time_energy/measurements.csv"), NULL);
  assert_int_equal(l4p_space_n_options(im.spec->space), 10);
  assert_int_equal(l4p_space_n_constraints(im.spec->space), 0);
  assert_labels(im.spec, "rc_lookahead", "20,40,60");
  assert_labels(im.spec, "ref", "1,5,9");
  assert_labels(im.spec, "core", "1,2,3,4");
  assert_objectives(im.spec, "energy:min,performance:min");
  assert_int_equal(im.table->n_rows, 4608);
  assert_int_equal(im.table->n_merged, 0);
  assert_count(im.spec, "4608");
  release(&im);
}

/* lrzip Twins: encryption 2 x compression 6 (none + 5 backends, the
 * parent is optional) x unlimitedWindowSize 2 x
 * disableCompressibilityTesting 2 x level 9 (1..9 +1) x processorCount 4
 * (1..4 +1) x maxRam 3 (2, 6, 18: *3) = 5184 = rows. */
static void test_lrzip_twins(void **state)
{
  (void)state;
  struct imported im =
      import_ok(dataset("lrzip/twins_time_energy/measurements.csv"), NULL);
  assert_int_equal(l4p_space_n_options(im.spec->space), 7);
  assert_labels(im.spec, "compression", "none,Bzip2,Gzip,Lzo,Zpaq,Lzma");
  assert_values(im.spec, "maxRam", L4P_OPT_INT, "2,6,18");
  assert_objectives(im.spec, "energy:min,performance:min");
  assert_int_equal(im.table->n_rows, 5184);
  assert_count(im.spec, "5184");
  assert_rows_valid(&im);
  release(&im);
}

/* 7z Twins: filterOff, HeaderCompressionOff, mtOff, tmOff 2^4 x
 * CompressionMethod 5 x Files 11 (0..100 +10) x BlockSize 13 (1..4096 *2)
 * x x 6 (0..10 +2) = 16 * 5 * 11 * 13 * 6 = 68640 = rows. */
static void test_7z_twins(void **state)
{
  (void)state;
  struct imported im =
      import_ok(dataset("7z/twins_time_energy/measurements.csv"), NULL);
  assert_int_equal(l4p_space_n_options(im.spec->space), 8);
  assert_labels(im.spec, "CompressionMethod", "LZMA,LZMA2,PPMd,BZip2,Deflate");
  assert_values(im.spec, "x", L4P_OPT_INT, "0,2,4,6,8,10");
  assert_int_equal(im.table->n_rows, 68640);
  assert_count(im.spec, "68640");
  release(&im);
}

/* LLVM Twins: 16 optional passes, 2^16 = 65536 = rows. */
static void test_llvm_twins(void **state)
{
  (void)state;
  struct imported im =
      import_ok(dataset("llvm/twins_time_energy/measurements.csv"), NULL);
  assert_int_equal(l4p_space_n_options(im.spec->space), 16);
  assert_objectives(im.spec, "performance:min,energy:min");
  assert_int_equal(im.table->n_rows, 65536);
  assert_count(im.spec, "65536");
  release(&im);
}

/* PostgreSQL Twins, one release: 5 bools x sharedBuffers 3 (64..256 *2)
 * x tempBuffers 3 (2..32 *4) x workMem 3 (256..4096 *4) = 864; 19008
 * rows / 22 revisions = 864 rows for 9.6.3 (python3: 864 distinct). */
static void test_postgresql_twins(void **state)
{
  (void)state;
  const char *path = dataset("postgresql/twins_time_energy/measurements.csv");
  import_fails(path, NULL, L4P_EUSAGE, "column 'revision' is neither");
  struct l4p_import_opts o = {.where = "revision=9.6.3"};
  struct imported im = import_ok(path, &o);
  assert_int_equal(l4p_space_n_options(im.spec->space), 8);
  assert_int_equal(l4p_space_find(im.spec->space, "revision"), -1);
  assert_objectives(im.spec, "performance:min,energy:min");
  assert_int_equal(im.table->n_rows, 864);
  assert_count(im.spec, "864");
  release(&im);
}

/* MOOT SS-N: 17 numeric options (uppercase). python3 over the file:
 * distinct values No_* 2 each, Bframes 25, Qcomp 21, Ref 11 (lists);
 * Qp 0..51, Rc_lookahead 1..250, B_bias -100..100, Threads 0..128,
 * Keyint 1..1000, Scenecut 1..100, Seek 0..1252 (int ranges, > 32
 * values); Aq_strength, Crf, Ipratio non-integral with > 32 values:
 * continuous, so the space is infinite. With those three fixed:
 * 2^4 * 25 * 21 * 52 * 11 * 250 * 201 * 129 * 1000 * 100 * 1253
 * = 3902583124440000000000. 53662 rows, 52250 distinct configurations
 * (len(set(tuple(map(float, r[:17]))))), so 1412 merged. */
static void test_moot_ssn(void **state)
{
  (void)state;
  struct l4p_import_opts o = {.objectives = "PSNR:max"};
  struct imported im =
      import_ok(dataset("x264/moot_SS-N_numeric_psnr_energy/SS-N.csv"), &o);
  struct l4p_spec *spec = im.spec;
  assert_int_equal(l4p_space_n_options(spec->space), 17);
  assert_objectives(spec, "PSNR:max,Energy:min");
  assert_int_equal(option(spec, "No_asm")->type, L4P_OPT_BOOL);
  assert_int_equal(im.table->n_rows, 52250);
  assert_int_equal(im.table->n_merged, 1412);
  struct l4p_space_size size = {0};
  assert_int_equal(l4p_space_count(spec->space, &size), L4P_OK);
  assert_true(size.infinite);
  free(size.decimal);
  const char *cont[] = {"Aq_strength", "Crf", "Ipratio"};
  for (size_t k = 0; k < 3; k++) {
    int i = l4p_space_find(spec->space, cont[k]);
    const struct l4p_option *opt = option(spec, cont[k]);
    assert_int_equal(opt->type, L4P_OPT_FLOAT);
    assert_same(opt->step, 0);
    assert_int_equal(l4p_space_fix(spec->space, (size_t)i, opt->min), L4P_OK);
  }
  assert_count(spec, "3902583124440000000000");
  release(&im);

  /* the bundled spec's filter (python3): 880 rows with Crf > 51 and 44
   * with Energy 0, 8 of them both: 916 dropped, 52746 kept, 51338
   * distinct (1408 merged). Crf is then 10..50 with 335 values (still
   * continuous); Aq_strength (28 values), Qcomp (18) and Ipratio (31)
   * become lists; Keyint keeps 1..1000, Seek 0..1252. With Crf fixed:
   * 2^4 * 28 * 25 * 18 * 52 * 11 * 250 * 201 * 129 * 1000 * 100 * 1253
   * * 31 = 2903521844583360000000000. */
  o.where = "Crf<=51,Energy>0";
  im = import_ok(dataset("x264/moot_SS-N_numeric_psnr_energy/SS-N.csv"), &o);
  spec = im.spec;
  assert_int_equal(l4p_space_n_options(spec->space), 17);
  assert_int_equal(im.table->n_rows, 51338);
  assert_int_equal(im.table->n_merged, 1408);
  assert_has(spec->provenance, "rows where Crf<=51,Energy>0: 52746 of "
                               "53662 kept");
  const struct l4p_option *crf = option(spec, "Crf");
  assert_same(crf->max, 50);
  assert_same(crf->step, 0);
  assert_int_equal(option(spec, "Aq_strength")->n_values, 28);
  assert_rows_valid(&im);
  assert_int_equal(l4p_space_fix(spec->space,
                                 (size_t)l4p_space_find(spec->space, "Crf"),
                                 crf->min),
                   L4P_OK);
  assert_count(spec, "2903521844583360000000000");
  release(&im);
}

/* MOOT SS-T (lrzip): compressionBzip2 .. compressionLzma are never two
 * at 1 in a row, and 864 rows have none: one enum with 'none'; the
 * 'compression' column is their OR in every row (python3), so it goes.
 * encryption 2 x compression 6 x unlimitedWindowSize 2 x
 * disableCompressibilityTesting 2 x Level 9 x ProcessorCount 4 x
 * MaxRam 3 = 5184 = rows: the space is exactly the table. */
static void test_moot_sst(void **state)
{
  (void)state;
  struct imported im =
      import_ok(dataset("lrzip/moot_SS-T_time_cpu/SS-T.csv"), NULL);
  assert_int_equal(l4p_space_n_options(im.spec->space), 7);
  assert_labels(im.spec, "compression", "none,Bzip2,Gzip,Lzo,Zpaq,Lzma");
  assert_string_equal(l4p_space_option(im.spec->space, 1)->name, "compression");
  assert_objectives(im.spec, "Performance:min,Benchmark-cpu:min");
  assert_values(im.spec, "MaxRam", L4P_OPT_INT, "2,6,18");
  assert_int_equal(im.table->n_rows, 5184);
  assert_count(im.spec, "5184");
  assert_rows_valid(&im);
  release(&im);
}

/* MOOT SS-U (x264): no_asm is always 1 (dropped); rc_lookahead, ref and
 * core are always 1 and the OR of rc_lookahead_{20,40,60}, ref_{1,5,9}
 * and core1..core4 (exactly one at 1 in each row, python3): three enums
 * without 'none'. The seven other no_* columns are both 1 in some rows
 * and stay bools: 2^7 * 3 * 3 * 4 = 4608 = rows, all distinct. */
static void test_moot_ssu(void **state)
{
  (void)state;
  struct imported im =
      import_ok(dataset("x264/moot_SS-U_time_cpu/SS-U.csv"), NULL);
  struct l4p_spec *spec = im.spec;
  assert_int_equal(l4p_space_n_options(spec->space), 10);
  assert_labels(spec, "rc_lookahead", "20,40,60");
  assert_labels(spec, "ref", "1,5,9");
  assert_labels(spec, "core", "1,2,3,4");
  assert_int_equal(option(spec, "no_cabac")->type, L4P_OPT_BOOL);
  assert_int_equal(l4p_space_find(spec->space, "no_asm"), -1);
  assert_objectives(spec, "Benchmark-iperf:min,Benchmark-cpu:min");
  assert_has(spec->provenance, "no_asm=1");
  assert_int_equal(im.table->n_rows, 4608);
  assert_int_equal(im.table->n_merged, 0);
  assert_count(spec, "4608");
  assert_rows_valid(&im);
  release(&im);
}

/* DeepPerf x264: 7 bools and the one-hot groups rc_lookahead_{20,40,60}
 * and ref_{1,5,9}: 2^7 * 3 * 3 = 1152 = rows. */
static void test_deepperf_x264(void **state)
{
  (void)state;
  struct l4p_import_opts o = {.objectives = "PERF"};
  struct imported im =
      import_ok(dataset("x264/deepperf_single/x264_AllNumeric.csv"), &o);
  assert_int_equal(l4p_space_n_options(im.spec->space), 9);
  assert_labels(im.spec, "rc_lookahead", "20,40,60");
  assert_labels(im.spec, "ref", "1,5,9");
  assert_objectives(im.spec, "PERF:min");
  assert_int_equal(im.table->n_rows, 1152);
  assert_count(im.spec, "1152");
  release(&im);
}

/* Lesoil x264, one input: 24 option columns, qpmax constant (dropped);
 * distinct values per kept column (python3):
 * cabac 2, ref 7, deblock 2, analyse 5, me 4, subme 10, mixed_ref 2,
 * me_range 2, trellis 3, 8x8dct 2, fast_pskip 2, chroma_qp_offset 2,
 * bframes 4, b_pyramid 3, b_adapt 3, direct 3, weightb 2, open_gop 2,
 * weightp 3, scenecut 3, rc_lookahead 7, mbtree 2, aq-mode 2
 * -> product 58525286400; 201 rows, all distinct. */
static void test_lesoil_x264(void **state)
{
  (void)state;
  struct l4p_import_opts o = {
      .objectives = "size,etime,fps:max",
      .ignore =
          "configurationID,elapsedtime,usertime,systemtime,cpu,frames,kbs"};
  struct imported im = import_ok(
      dataset("x264/lesoil_inputs_multimetric/Animation_1080P-01b3.csv"), &o);
  struct l4p_spec *spec = im.spec;
  assert_int_equal(l4p_space_n_options(spec->space), 23);
  assert_objectives(spec, "size:min,etime:min,fps:max");
  assert_labels(spec, "me", "dia,hex,tesa,umh");
  assert_labels(spec, "b_pyramid", "1,2,None");
  assert_int_equal(option(spec, "8x8dct")->type, L4P_OPT_BOOL);
  assert_int_equal(option(spec, "aq-mode")->type, L4P_OPT_BOOL);
  assert_has(spec->provenance, "qpmax=69");
  assert_int_equal(im.table->n_rows, 201);
  assert_count(spec, "58525286400");
  assert_rows_valid(&im);
  release(&im);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_x264_twins),
      cmocka_unit_test(test_lrzip_twins),
      cmocka_unit_test(test_7z_twins),
      cmocka_unit_test(test_llvm_twins),
      cmocka_unit_test(test_postgresql_twins),
      cmocka_unit_test(test_moot_ssn),
      cmocka_unit_test(test_moot_sst),
      cmocka_unit_test(test_moot_ssu),
      cmocka_unit_test(test_deepperf_x264),
      cmocka_unit_test(test_lesoil_x264),
  };
  int failed = cmocka_run_group_tests(tests, NULL, NULL);
  /* 77: ctest's "skipped" when the shared datasets were not there */
  if (!failed && !tu_shared("x264/twins_time_energy/measurements.csv"))
    return 77;
  return failed;
}
