/* Reading a measured sample back from a run database for 'llm4perf train'
 * and 'evaluate': pick the campaign (the only one, or --campaign), check
 * it was run on the same system with the same feature encoding, and load
 * its measured configurations.
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/banned.h"

/* Do a and b encode configurations into the same features? */
static bool same_features(const struct l4p_spec *a, const struct l4p_spec *b)
{
  size_t nf = l4p_space_n_features(a->space);
  if (nf != l4p_space_n_features(b->space))
    return false;
  char fa[256], fb[256];
  for (size_t j = 0; j < nf; j++) {
    l4p_space_feature_name(a->space, j, fa, sizeof fa);
    l4p_space_feature_name(b->space, j, fb, sizeof fb);
    if (strcmp(fa, fb) != 0)
      return false;
  }
  return true;
}

/* The campaign to read: requested when not 0, else the only one. */
static int pick(struct l4p_store *store, const char *db, long requested,
                int64_t *id)
{
  struct l4p_campaign_info *list = NULL;
  size_t n = 0;
  l4p_status st = l4p_store_list(store, &list, &n);
  if (st)
    return cli_fail(st);
  int rc = CLI_OK;
  if (requested) {
    rc = CLI_FAIL;
    for (size_t k = 0; k < n; k++)
      if (list[k].id == requested)
        rc = CLI_OK;
    if (rc)
      fprintf(stderr, "llm4perf: error: '%s' has no campaign %ld\n", db,
              requested);
    *id = requested;
  } else if (n == 1) {
    *id = list[0].id;
  } else {
    fprintf(stderr,
            "llm4perf: error: '%s' holds %zu campaigns; choose one "
            "with --campaign (see 'llm4perf export %s --list')\n",
            db, n, db);
    rc = n ? CLI_USAGE : CLI_FAIL;
  }
  free(list);
  return rc;
}

/* See cli.h. */
int cli_read_sample(const char *db, long campaign, const struct l4p_spec *spec,
                    struct l4p_sample *sample, int64_t *id)
{
  memset(sample, 0, sizeof *sample);
  FILE *probe = fopen(db, "rb");
  if (!probe) {
    fprintf(stderr, "llm4perf: error: cannot open '%s': %s\n", db,
            strerror(errno));
    return CLI_FAIL;
  }
  fclose(probe);
  struct l4p_store *store;
  l4p_status st = l4p_store_open(db, &store);
  if (st)
    return cli_fail(st);
  struct l4p_spec *ran = NULL;
  int rc = pick(store, db, campaign, id);
  if (!rc && (st = l4p_store_campaign_spec(store, *id, &ran)))
    rc = cli_fail(st);
  if (!rc && strcmp(ran->name, spec->name)) {
    fprintf(stderr,
            "llm4perf: error: campaign %" PRId64 " of '%s' was run "
            "on system '%s', not '%s'\n",
            *id, db, ran->name, spec->name);
    rc = CLI_FAIL;
  } else if (!rc && !same_features(ran, spec)) {
    fprintf(stderr,
            "llm4perf: error: campaign %" PRId64 " of '%s' was run "
            "with other options than those of '%s'\n",
            *id, db, spec->path ? spec->path : spec->name);
    rc = CLI_FAIL;
  }
  if (!rc && (st = l4p_store_sample(store, *id, spec, sample)))
    rc = cli_fail(st);
  l4p_spec_free(ran);
  l4p_store_close(store);
  return rc;
}
