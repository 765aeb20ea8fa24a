/* Matching documented options to a spec's options: by the spec's own cli
 * flag first, then by name up to case, '-' and '_' (x264's "b_pyramid"
 * is "--b-pyramid"), then by negation ("cabac" against "--no-cabac").
 * The docs command writes what matched into the spec (docs_merge.c).
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "agent-int.h"
#include "util/banned.h"

/* Lower case, '_' as '-', leading dashes dropped, into buf. */
static void normalise(const char *s, char *buf, size_t size)
{
  size_t n = 0;
  while (*s == '-')
    s++;
  for (; *s && n + 1 < size; s++)
    buf[n++] = *s == '_' ? '-' : (char)tolower((unsigned char)*s);
  buf[n] = '\0';
}

/* a is "no-" b (both normalised). */
static bool negation(const char *a, const char *b)
{
  return !strncmp(a, "no-", 3) && !strcmp(a + 3, b);
}

static bool same_flag(const char *a, const char *b)
{
  return a && b && strcmp(a, b) == 0;
}

void l4p_agent_docs_match(const struct l4p_spec *spec,
                          const struct l4p_agent_docs *docs, int *doc_of,
                          enum l4p_agent_match *how)
{
  size_t n = l4p_space_n_options(spec->space);
  bool *used = calloc(docs->n + 1, sizeof *used);
  for (size_t i = 0; i < n; i++) {
    doc_of[i] = -1;
    how[i] = L4P_MATCH_NONE;
  }
  for (int pass = L4P_MATCH_FLAG; used && pass <= L4P_MATCH_NEGATED; pass++) {
    for (size_t i = 0; i < n; i++) {
      if (doc_of[i] >= 0)
        continue;
      const struct l4p_option *opt = l4p_space_option(spec->space, i);
      char a[256], b[256], f[256], nf[256];
      normalise(opt->name, a, sizeof a);
      for (size_t d = 0; d < docs->n && doc_of[i] < 0; d++) {
        const struct l4p_agent_docopt *o = &docs->options[d];
        if (used[d])
          continue;
        normalise(o->name, b, sizeof b);
        normalise(o->flag ? o->flag : o->name, f, sizeof f);
        normalise(o->false_flag ? o->false_flag : "", nf, sizeof nf);
        bool hit = false;
        if (pass == L4P_MATCH_FLAG)
          hit = same_flag(opt->cli.flag, o->flag) ||
                same_flag(opt->cli.flag, o->false_flag);
        else if (pass == L4P_MATCH_NAME)
          hit =
              !strcmp(a, b) || (o->flag && o->flag[1] == '-' && !strcmp(a, f));
        else
          hit = negation(a, b) || negation(b, a) || (nf[0] && !strcmp(a, nf));
        if (hit) {
          doc_of[i] = (int)d;
          how[i] = (enum l4p_agent_match)pass;
          used[d] = true;
        }
      }
    }
  }
  free(used);
}
