/* The text form of "llm4perf show": one section per iteration of an
 * llm4perf campaign, written from the artefact documents
 * (docs/LLM4PERF.md "Artefacts"), whichever agent wrote them. Only what
 * the sampler decided is printed, no timings, so two runs that decided
 * the same print the same (the resume test compares them); timings and
 * the observed concurrency are in --json. Each iteration ends with its
 * diagnostics line (show_diag.c).
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "show.h"
#include "util/banned.h"

#define TOP_INFLUENCES 3
#define TOP_FOCUS 4
#define TEXT_MAX 160

static json_int_t num(const json_t *obj, const char *key)
{
  return json_integer_value(json_object_get(obj, key));
}

/* A JSON value compactly (labels unquoted when alone). */
static void put_value(const json_t *v, FILE *out)
{
  if (json_is_string(v)) {
    fputs(json_string_value(v), out);
    return;
  }
  char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
  fputs(text ? text : "?", out);
  free(text);
}

/* Text cut at TEXT_MAX bytes with "...". */
static void put_text(const char *text, FILE *out)
{
  size_t len = text ? strlen(text) : 0;
  if (len <= TEXT_MAX)
    fputs(text ? text : "", out);
  else
    fprintf(out, "%.*s...", TEXT_MAX, text);
}

static void decisions(const json_t *doc, FILE *out)
{
  const json_t *prune = json_object_get(doc, "prune");
  const json_t *list = json_object_get(prune, "decisions");
  if (!prune) {
    fprintf(out, "pruning (agent %s): failed, nothing pruned: %s\n",
            json_string_value(json_object_get(doc, "agent")),
            json_string_value(json_object_get(doc, "error")));
    return;
  }
  size_t kept = 0, k;
  const json_t *d;
  json_array_foreach (list, k, d)
    kept += json_is_true(json_object_get(d, "keep"));
  fprintf(out, "pruning (agent %s): %zu kept, %zu pruned\n",
          json_string_value(json_object_get(doc, "agent")), kept,
          json_array_size(list) - kept);
  json_array_foreach (list, k, d) {
    fprintf(out, "  %-6s %-20s ",
            json_is_true(json_object_get(d, "keep")) ? "keep" : "prune",
            json_string_value(json_object_get(d, "option")));
    put_text(json_string_value(json_object_get(d, "reason")), out);
    fputc('\n', out);
  }
  const json_t *a = json_object_get(doc, "answer");
  if (num(a, "unknown") || num(a, "repeated") || num(a, "missing") ||
      num(a, "restored"))
    fprintf(out,
            "  the answer named %lld unknown options, decided %lld "
            "twice, left %lld out (kept); %lld kept to stay satisfiable\n",
            (long long)num(a, "unknown"), (long long)num(a, "repeated"),
            (long long)num(a, "missing"), (long long)num(a, "restored"));
}

static void analysis(const json_t *doc, FILE *out)
{
  size_t k, j;
  const json_t *obj, *inf;
  fprintf(out, "  analysis:\n");
  json_array_foreach (json_object_get(doc, "objectives"), k, obj) {
    fprintf(out, "    %s:", json_string_value(json_object_get(obj, "name")));
    json_array_foreach (json_object_get(obj, "influences"), j, inf) {
      if (j >= TOP_INFLUENCES)
        break;
      fprintf(out, "%s %s (%s, %.2f)", j ? "," : "",
              json_string_value(json_object_get(inf, "option")),
              json_string_value(json_object_get(inf, "direction")),
              json_number_value(json_object_get(inf, "strength")));
    }
    fputc('\n', out);
  }
}

/* Focus entries, strongest first (at most TOP_FOCUS). */
static void strategy(const json_t *doc, FILE *out)
{
  const json_t *focus = json_object_get(doc, "focus");
  size_t n = json_array_size(focus);
  bool *shown = calloc(n + 1, sizeof *shown);
  fprintf(out, "  strategy: explore %.2f",
          json_number_value(json_object_get(doc, "explore")));
  for (size_t t = 0; shown && t < TOP_FOCUS && t < n; t++) {
    size_t best = n;
    for (size_t k = 0; k < n; k++)
      if (!shown[k] &&
          (best == n || json_number_value(json_object_get(
                            json_array_get(focus, k), "weight")) >
                            json_number_value(json_object_get(
                                json_array_get(focus, best), "weight"))))
        best = k;
    shown[best] = true;
    const json_t *f = json_array_get(focus, best);
    fprintf(out, "%s %s=", t ? "," : "; focus",
            json_string_value(json_object_get(f, "option")));
    put_value(json_object_get(f, "values"), out);
    fprintf(out, " (%.2f)", json_number_value(json_object_get(f, "weight")));
  }
  if (n > TOP_FOCUS)
    fprintf(out, ", %zu more", n - TOP_FOCUS);
  size_t k;
  const json_t *a;
  json_array_foreach (json_object_get(doc, "avoid"), k, a) {
    fprintf(out, "%s %s=", k ? "," : "; avoid",
            json_string_value(json_object_get(a, "option")));
    put_value(json_object_get(a, "values"), out);
  }
  fprintf(out, "\n    ");
  put_text(json_string_value(json_object_get(doc, "rationale")), out);
  fputc('\n', out);
  free(shown);
}

static void proposals(const json_t *doc, FILE *out)
{
  size_t k;
  const json_t *r;
  json_array_foreach (json_object_get(doc, "rounds"), k, r) {
    fprintf(out, "  generator %lld", (long long)num(doc, "generator"));
    if (num(r, "round"))
      fprintf(out, " (top-up %lld)", (long long)num(r, "round"));
    const char *error = json_string_value(json_object_get(r, "error"));
    if (!json_object_get(r, "proposed")) {
      fprintf(out, ": failed: %s\n", error ? error : "?");
      continue;
    }
    const json_t *dup = json_object_get(r, "duplicates");
    fprintf(out,
            ": %lld proposed, %lld valid as written, %lld repaired, "
            "%lld invalid, %lld duplicates\n",
            (long long)num(r, "proposed"), (long long)num(r, "ok"),
            (long long)num(r, "repaired"), (long long)num(r, "invalid"),
            (long long)(num(dup, "tried") + num(dup, "repeated")));
  }
}

static void votes(const json_t *doc, FILE *out)
{
  size_t k, j;
  const json_t *r, *c;
  json_array_foreach (json_object_get(doc, "rounds"), k, r) {
    const char *method = json_string_value(json_object_get(r, "method"));
    bool voted = method && strncmp(method, "agreement", 9) == 0;
    size_t agreed = 0;
    json_array_foreach (json_object_get(r, "candidates"), j, c)
      agreed += num(c, "agreement") >= 2;
    fprintf(out, "  %s (%s%s): %lld proposals, %zu distinct new, ",
            voted ? "votes" : "choice", method ? method : "?",
            num(r, "round") ? ", top-up" : "", (long long)num(r, "proposals"),
            json_array_size(json_object_get(r, "candidates")));
    if (voted)
      fprintf(out, "%zu with 2+ generators agreeing, ", agreed);
    fprintf(out, "%lld chosen\n", (long long)num(r, "chosen"));
    for (long rank = 0; rank < num(r, "chosen"); rank++)
      json_array_foreach (json_object_get(r, "candidates"), j, c) {
        if (!json_is_integer(json_object_get(c, "rank")) ||
            num(c, "rank") != rank)
          continue;
        const json_t *dist = json_object_get(c, "distance");
        fprintf(out, "    %2ld. ", rank + 1);
        if (voted)
          fprintf(out, "agreement %lld, ", (long long)num(c, "agreement"));
        fprintf(out, "distance ");
        if (json_is_number(dist))
          fprintf(out, "%.3f  ", json_number_value(dist));
        else
          fprintf(out, "-      ");
        put_value(json_object_get(c, "config"), out);
        fputc('\n', out);
      }
  }
}

static void batch(const json_t *doc, FILE *out)
{
  const json_t *from = json_object_get(doc, "from");
  fprintf(out,
          "  batch: %zu (%lld from the proposals, %lld from top-up "
          "rounds, %lld uniform draws)\n",
          json_array_size(json_object_get(doc, "keys")),
          (long long)num(from, "vote"), (long long)num(from, "topup"),
          (long long)num(from, "uniform"));
}

static void diagnostics(const json_t *doc, FILE *out)
{
  const char *from = json_string_value(json_object_get(doc, "strategy_from"));
  if (from && strcmp(from, "design") && strcmp(from, "initial"))
    fprintf(out, "  strategy source: %s\n",
            strcmp(from, "kept") == 0
                ? "kept from the first analysis (no feedback)"
                : "the previous iteration's (fallback)");
  size_t k;
  const json_t *f;
  json_array_foreach (json_object_get(doc, "fallbacks"), k, f) {
    fprintf(out, "  fallback: ");
    put_text(json_string_value(f), out);
    fputc('\n', out);
  }
}

/* The artefacts in store order, one section per iteration, each ending
 * with its diagnostics line. */
void show_artifacts_text(const struct l4p_artifact *list, size_t n,
                         const struct l4p_llm4perf_diag *diag, FILE *out)
{
  long iteration = -1;
  for (size_t k = 0; k < n; k++) {
    const struct l4p_artifact *a = &list[k];
    json_t *doc = json_loads(a->json, 0, NULL);
    if (!doc)
      continue;
    if (strcmp(a->kind, "decisions") == 0) {
      decisions(doc, out);
      json_decref(doc);
      continue;
    }
    if (a->iteration != iteration) {
      if (iteration >= 0)
        show_diag_iteration(diag, iteration, out);
      iteration = a->iteration;
      fprintf(out, "\niteration %ld%s\n", iteration,
              iteration == 0 ? " (initial batch)" : "");
    }
    if (strcmp(a->kind, "analysis") == 0)
      analysis(doc, out);
    else if (strcmp(a->kind, "strategy") == 0)
      strategy(doc, out);
    else if (strcmp(a->kind, "proposals") == 0)
      proposals(doc, out);
    else if (strcmp(a->kind, "votes") == 0)
      votes(doc, out);
    else if (strcmp(a->kind, "batch") == 0)
      batch(doc, out);
    else if (strcmp(a->kind, "diagnostics") == 0)
      diagnostics(doc, out);
    json_decref(doc);
  }
  if (iteration >= 0)
    show_diag_iteration(diag, iteration, out);
}
