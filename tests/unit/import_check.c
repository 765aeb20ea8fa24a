/* The imports and checks declared in import_check.h, shared by the
 * importer unit tests; they fail the running test (cmocka) on anything
 * unexpected.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_check.h"

/* The last error message contains text. */
#define assert_error_has(text)                                     \
  do {                                                             \
    if (!strstr(l4p_last_error(), (text)))                         \
      fail_msg("error '%s' lacks '%s'", l4p_last_error(), (text)); \
  } while (0)

/* Free what import_ok() returned. */
void release(struct imported *im)
{
  l4p_table_free(im->table);
  l4p_spec_free(im->spec);
}

/* Import, or fail the test naming the status and the message. */
struct imported import_ok(const char *path, const struct l4p_import_opts *opts)
{
  struct imported im;
  l4p_status st = l4p_import(path, opts, &im.spec, &im.table);
  if (st)
    fail_msg("import %s: %s: %s", path, l4p_status_name(st), l4p_last_error());
  return im;
}

/* Import, expecting status want and msg in the message; the outputs
 * start as non-NULL garbage so that clearing them is checked too. */
void import_fails(const char *path, const struct l4p_import_opts *opts,
                  l4p_status want, const char *msg)
{
  struct l4p_spec *spec = (struct l4p_spec *)&spec;
  struct l4p_table *table = (struct l4p_table *)&table;
  l4p_clear_error();
  l4p_status st = l4p_import(path, opts, &spec, &table);
  if (st != want)
    fail_msg("import %s gave %s (%s), expected %s", path, l4p_status_name(st),
             l4p_last_error(), l4p_status_name(want));
  assert_null(spec);
  assert_null(table);
  assert_error_has(msg);
}

/* Count the space of spec: exact, finite and equal to want. */
void assert_count(const struct l4p_spec *spec, const char *want)
{
  struct l4p_space_size size = {0};
  assert_int_equal(l4p_space_count(spec->space, &size), L4P_OK);
  assert_false(size.infinite);
  assert_true(size.exact);
  assert_string_equal(size.decimal, want);
  free(size.decimal);
}

/* Every imported row must be a valid configuration of the space. */
void assert_rows_valid(const struct imported *im)
{
  size_t d = im->table->n_options;
  for (size_t r = 0; r < im->table->n_rows; r++)
    if (l4p_space_validate(im->spec->space, im->table->configs + r * d))
      fail_msg("row %zu: %s", r, l4p_last_error());
}

/* The option of spec called name, or the test fails. */
const struct l4p_option *option(const struct l4p_spec *spec, const char *name)
{
  int i = l4p_space_find(spec->space, name);
  if (i < 0)
    fail_msg("no option '%s'", name);
  return l4p_space_option(spec->space, (size_t)i);
}

/* The enum labels of option name, joined with commas, equal want. */
void assert_labels(const struct l4p_spec *spec, const char *name,
                   const char *want)
{
  const struct l4p_option *opt = option(spec, name);
  assert_int_equal(opt->type, L4P_OPT_ENUM);
  char got[512] = "";
  for (size_t k = 0; k < opt->n_values; k++) {
    strncat(got, k ? "," : "", sizeof got - strlen(got) - 1);
    strncat(got, opt->labels[k], sizeof got - strlen(got) - 1);
  }
  assert_string_equal(got, want);
}

/* The listed values of option name ("%g", joined with commas) equal
 * want, and the option has the type given. */
void assert_values(const struct l4p_spec *spec, const char *name,
                   enum l4p_option_type type, const char *want)
{
  const struct l4p_option *opt = option(spec, name);
  assert_int_equal(opt->type, type);
  char got[512] = "";
  for (size_t k = 0; k < opt->n_values; k++)
    snprintf(got + strlen(got), sizeof got - strlen(got), "%s%g", k ? "," : "",
             opt->values[k]);
  assert_string_equal(got, want);
}

/* The objectives as "name:goal", joined with commas, equal want. */
void assert_objectives(const struct l4p_spec *spec, const char *want)
{
  char got[512] = "";
  for (size_t k = 0; k < spec->n_objectives; k++)
    snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s:%s",
             k ? "," : "", spec->objectives[k].name,
             spec->objectives[k].goal == L4P_MAXIMIZE ? "max" : "min");
  assert_string_equal(got, want);
}
