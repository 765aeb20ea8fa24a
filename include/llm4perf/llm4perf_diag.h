/* Diagnostics of an LLM4Perf campaign (docs/LLM4PERF.md "Diagnostics"),
 * computed after the fact from the artefacts the sampler stored and the
 * campaign's space, so any stored campaign can be judged: one of
 * 'llm4perf sample', an old one, or one inside a study's study.db.
 *
 * Per iteration (each one with a stored batch): the proposals and what
 * was wrong with them, how much the generators agreed, how spread the
 * batch is and how far it lies from the earlier batches; per campaign:
 * how many of each option's values the batches reached, whether the
 * batches stopped moving (stagnation), and the LLM usage per role.
 *
 * Invariants: distances are l4p_space_distance over the options the
 * campaign could vary (free options), divided by their number, so
 * diversity, novelty and the nearest-neighbour reference lie in [0, 1];
 * a number that is not defined is NAN (null in the JSON document), never
 * 0; nothing depends on timings, so the same artefacts give the same
 * diagnostics. */
#ifndef LLM4PERF_LLM4PERF_DIAG_H
#define LLM4PERF_LLM4PERF_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "llm4perf/space.h"
#include "llm4perf/status.h"
#include "llm4perf/store.h"

/* An iteration after the first batch is stagnant when its novelty is
 * below this fraction of the first batch's mean nearest-neighbour
 * distance (tag-diag-stagnation). */
#define L4P_LLM4PERF_DIAG_STAGNATION_FRACTION 0.25
/* The stagnation warning fires on this many consecutive stagnant
 * iterations. */
#define L4P_LLM4PERF_DIAG_STAGNATION_RUN 2
/* Numeric options with more values than this (or continuous ones) are
 * covered in this many equal-width bins of [min, max]. */
#define L4P_LLM4PERF_DIAG_BINS 10

/* One iteration of the campaign: one stored batch. */
struct l4p_llm4perf_diag_iter {
  long iteration;    /* 0: the initial batch */
  size_t generators; /* proposals documents (generators asked) */
  /* summed over generators and rounds (top-up rounds included) */
  size_t proposals;    /* configurations in the answers */
  size_t invalid;      /* never measured */
  size_t repaired;     /* valid only after repair */
  size_t dup_tried;    /* already measured, failed or in the batch */
  size_t dup_repeated; /* a generator's own proposal again */
  size_t duplicates;   /* dup_tried + dup_repeated */
  /* the first round's vote */
  size_t candidates;   /* distinct new proposals */
  size_t agreed;       /* of them, proposed by 2+ generators */
  double agreed_share; /* agreed / candidates; NAN: < 2 generators,
                          voting "none", or no candidate */
  double agreement;    /* mean over generator pairs of the Jaccard
                          overlap of their candidate sets (pairs where
                          both proposed nothing new left out); NAN as
                          agreed_share, or when every pair is left out */
  size_t batch;        /* configurations in the batch */
  double diversity;    /* mean normalised distance over the batch's
                          pairs; NAN with fewer than 2 */
  double novelty;      /* mean over the batch of the normalised distance
                          to the nearest configuration of the earlier
                          batches; NAN for the first batch */
  bool stagnant;       /* tag-diag-stagnation */
};

/* Whether the campaign could vary an option. */
enum l4p_llm4perf_diag_state {
  L4P_DIAG_FREE,   /* varied by the sampler */
  L4P_DIAG_PRUNED, /* held by pruning: the filter role's decisions, or
                      fixed in the space (external decisions) */
  L4P_DIAG_FIXED   /* a single value, or never varied in the batches */
};

/* How many of an option's values the campaign's batches reached. */
struct l4p_llm4perf_diag_option {
  char *name;
  enum l4p_llm4perf_diag_state state;
  bool binned;     /* levels are L4P_LLM4PERF_DIAG_BINS bins */
  size_t levels;   /* values (or bins holding an allowed value) */
  size_t seen;     /* of them, reached by a batch configuration */
  double coverage; /* seen / levels */
};

/* Everything, for one campaign. Release with l4p_llm4perf_diag_release. */
struct l4p_llm4perf_diag {
  size_t n_free; /* options the campaign could vary */
  size_t n_iterations;
  struct l4p_llm4perf_diag_iter *iterations; /* in iteration order */
  /* totals over the iterations, and means over those where defined */
  size_t proposals, invalid, repaired, duplicates;
  double mean_agreement, mean_agreed_share, mean_diversity, mean_novelty;
  /* tag-diag-stagnation */
  double reference; /* the first batch's mean normalised distance to its
                       nearest other configuration; NAN below 2 */
  double threshold; /* reference x L4P_LLM4PERF_DIAG_STAGNATION_FRACTION */
  size_t n_stagnant;
  bool stagnation_warning;
  char *warning; /* the warning's text naming the iterations, or NULL */
  /* coverage */
  size_t n_options;
  struct l4p_llm4perf_diag_option *options; /* in space order */
  double mean_coverage; /* over the free options; NAN when none */
  /* LLM usage per role (l4p_store_llm_usage); none without a store */
  size_t n_usage;
  struct l4p_llm_usage *usage;
};

/* An empty result (no iteration, every mean NAN). */
void l4p_llm4perf_diag_init(struct l4p_llm4perf_diag *d);
/* Free what d holds and empty it; safe on an initialised d. */
void l4p_llm4perf_diag_release(struct l4p_llm4perf_diag *d);

/* Compute the diagnostics from a campaign's artefacts (list, n: as
 * l4p_store_artifacts gives them, any order) over space, the space the
 * campaign was run on (the spec's, or one pruned by a decisions file).
 * Options are free when not fixed in space, not single-valued and named
 * in the batches' configurations (without a batch: not pruned by the
 * decisions artefact). d is initialised here (release it even on
 * failure). EPARSE naming the iteration for a batch key that does not fit
 * space; ENOMEM. A campaign without artefacts gives no iteration. */
l4p_status l4p_llm4perf_diag_compute(const struct l4p_space *space,
                                     const struct l4p_artifact *list, size_t n,
                                     struct l4p_llm4perf_diag *d);

/* The same for campaign of store, read whole from it: its spec (with the
 * options its parameters name as externally pruned held), its artefacts
 * and its LLM usage. ESTORE, EPARSE, ENOMEM. */
l4p_status l4p_llm4perf_diag_load(struct l4p_store *store, int64_t campaign,
                                  struct l4p_llm4perf_diag *d);

/* d as one JSON document (compact, keys sorted; NAN as null):
 * {"free_options", "iterations": [{...one per iteration...}],
 *  "totals": {...}, "means": {...}, "stagnation": {...},
 *  "coverage": {"mean", "options": [...]}, "llm_usage": [...]},
 * field by field in docs/LLM4PERF.md. Heap text (free() it); ENOMEM. */
l4p_status l4p_llm4perf_diag_json(const struct l4p_llm4perf_diag *d,
                                  char **json);

/* "free", "pruned", "fixed". */
const char *l4p_llm4perf_diag_state_name(enum l4p_llm4perf_diag_state state);

#endif
