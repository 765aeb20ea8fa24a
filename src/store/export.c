/* Exporting a campaign as a CSV table (options, then objectives), the
 * same shape the table importers read, so a measured sample can be
 * re-imported, shared, or opened in a spreadsheet. It reads the spec
 * stored with the campaign, so the database alone is enough.
 * SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "store-int.h"
#include "util/failf.h"
#include "util/fileio.h"
#include "util/strbuf.h"
#include "util/numfmt.h"
#include "util/banned.h"

/* The shortest of %.15g..%.17g that reads back as v; empty for NAN. */
static void format_number(double v, char *buf, size_t size)
{
  if (isnan(v)) {
    buf[0] = '\0';
    return;
  }
  l4px_fmt_exact(v, 15, buf, size);
}

/* Append the header line: option names, then objective names. */
static void add_header(struct l4px_sb *sb, const struct l4p_spec *spec)
{
  size_t n_opt = l4p_space_n_options(spec->space);
  for (size_t i = 0; i < n_opt; i++) {
    if (i)
      l4px_sb_putc(sb, ',');
    l4px_sb_csv_field(sb, l4p_space_option(spec->space, i)->name, ',');
  }
  for (size_t j = 0; j < spec->n_objectives; j++) {
    if (n_opt || j)
      l4px_sb_putc(sb, ',');
    l4px_sb_csv_field(sb, spec->objectives[j].name, ',');
  }
  l4px_sb_putc(sb, '\n');
}

/* Append measured row k of sample. */
static void add_row(struct l4px_sb *sb, const struct l4p_spec *spec,
                    const struct l4p_sample *sample, size_t k)
{
  char buf[256];
  const double *cfg = sample->configs + k * sample->n_options;
  const double *values = sample->values + k * sample->n_objectives;
  for (size_t i = 0; i < sample->n_options; i++) {
    if (i)
      l4px_sb_putc(sb, ',');
    l4p_value_format(spec->space, i, cfg[i], buf, sizeof buf);
    l4px_sb_csv_field(sb, buf, ',');
  }
  for (size_t j = 0; j < sample->n_objectives; j++) {
    if (sample->n_options || j)
      l4px_sb_putc(sb, ',');
    format_number(values[j], buf, sizeof buf);
    l4px_sb_csv_field(sb, buf, ',');
  }
  l4px_sb_putc(sb, '\n');
}

/* Write the campaign's measured configurations to out as CSV, one row
 * each in measurement order; failed configurations are left out and an
 * objective without a value is an empty field. EIO when out cannot be
 * written. */
l4p_status l4p_store_export_csv(struct l4p_store *store, int64_t campaign,
                                FILE *out)
{
  struct l4p_spec *spec;
  l4p_status st = l4p_store_campaign_spec(store, campaign, &spec);
  if (st != L4P_OK)
    return st;
  struct l4p_sample sample;
  st = l4p_store_sample(store, campaign, spec, &sample);
  if (st != L4P_OK) {
    l4p_spec_free(spec);
    return st;
  }
  struct l4px_sb sb;
  l4px_sb_init(&sb);
  add_header(&sb, spec);
  for (size_t k = 0; k < sample.n; k++)
    add_row(&sb, spec, &sample, k);
  if (l4px_sb_failed(&sb))
    st = l4p_failf(L4P_ENOMEM, "out of memory");
  else if (fwrite(sb.buf, 1, sb.len, out) != sb.len || fflush(out) != 0)
    st = l4p_failf(L4P_EIO, "store '%s': cannot write the CSV export",
                   store->path);
  l4px_sb_release(&sb);
  l4p_sample_release(&sample);
  l4p_spec_free(spec);
  return st;
}
