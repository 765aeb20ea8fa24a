/* The builtin filter's rule set: families of words that mark an option as
 * impactful (effort, algorithm, parallelism, memory, I/O, integrity,
 * format) or not (help, logging, progress, display, output naming, file
 * handling, operation mode), each with the objective kinds it can move,
 * and the words that classify an objective (time, size, memory, energy,
 * quality). builtin_filter.c applies them. A word ending in '*' matches
 * as a prefix; others match whole words, plural 's' included. Some words
 * are listed whole on purpose: "report" and "reporting" describe an
 * option that prints a report, while "reported" mostly describes data
 * ("'None' means not reported" in a dataset's documentation).
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <string.h>

#include "filter-int.h"
#include "util/banned.h"

#define W(...)          \
  (const char *const[]) \
  {                     \
    __VA_ARGS__, NULL   \
  }

const struct l4p__filter_rule l4p__filter_rules[] = {
    /* not impactful: they change what is printed or where files go */
    {"help", false, 0, "only prints documentation",
     W("help", "usage", "version", "license", "licence", "manual")},
    {"logging", false, 0, "only changes what is logged or printed",
     W("verbose", "verbos*", "quiet", "silent", "log", "logging", "logfile",
       "debug*", "trace", "tracing", "message", "warning", "warn")},
    {"progress", false, 0, "only shows progress",
     W("progress*", "spinner", "eta")},
    {"display", false, 0, "only changes the display of information",
     W("color", "colour*", "colored", "ansi", "gui", "interactive", "banner",
       "display*", "show*", "print*", "info", "information", "report",
       "reporting", "summary", "stat", "stats", "statistic*", "psnr", "ssim",
       "pretty")},
    {"output naming", false, 0, "only names or places the output",
     W("output", "outfile", "outdir", "suffix*", "extension*", "filename*",
       "prefix", "directory", "dir", "path", "mirror", "flat", "name")},
    {"file handling", false, 0,
     "only decides which files are kept, "
     "overwritten or read",
     W("keep", "force", "overwrite", "delete", "remove", "rm", "recursive",
       "recursively", "stdout", "stdin", "link", "symlink*", "filelist",
       "exclude*", "broken")},
    {"operation mode", false, 0,
     "selects another operation (not a setting "
     "of the measured one)",
     W("decompress*", "uncompress*", "extract", "test", "list", "benchmark",
       "bench", "train*", "dry", "simulate", "pretend", "noop")},
    /* impactful: they change the work done */
    {"effort", true, L4P__OBJ_ALL, "trades effort against results",
     W("level", "preset", "quality", "effort", "compression", "compress",
       "ratio", "speed", "fast*", "slow*", "extreme", "ultra", "best", "tune",
       "optimi*", "crf", "qp", "quant*", "bitrate", "rate", "precision",
       "accuracy", "lossless")},
    {"algorithm", true, L4P__OBJ_ALL, "changes the algorithm",
     W("algorithm*", "method*", "strategy", "mode", "search*", "match*",
       "estimat*", "filter*", "transform*", "heuristic*", "partition*",
       "reference*", "ref", "frame*", "lookahead", "predict*", "analys*",
       "decision*", "trellis", "deblock*", "motion", "subpixel", "subme",
       "entropy", "cabac", "dictionar*", "window*", "lzma", "bzip2", "gzip",
       "zlib", "lzo", "zpaq", "lz4", "zstd", "xz", "backend", "encoder",
       "codec", "weight*", "adaptive", "pyramid", "scenecut")},
    {"parallelism", true, L4P__OBJ_ALL, "changes how work is split and run",
     W("thread*", "parallel*", "core*", "job*", "worker*", "cpu*", "affinity",
       "processor*", "concurren*", "multithread*", "nice")},
    {"memory", true, L4P__OBJ_ALL, "changes memory use and what fits in it",
     W("memory", "mem", "memlimit*", "ram", "maxram", "cache*", "buffer*",
       "pool*", "heap", "block*", "chunk*", "unlimited")},
    {"io", true, L4P__OBJ_TIME | L4P__OBJ_ENERGY | L4P__OBJ_MEMORY,
     "changes how data is read and written",
     W("sync*", "fsync", "flush*", "async*", "asyncio", "sparse", "direct",
       "mmap", "io", "prefetch*")},
    {"integrity", true, L4P__OBJ_TIME | L4P__OBJ_ENERGY | L4P__OBJ_SIZE,
     "adds checking work or check data",
     W("check", "checks", "checksum*", "verify", "verif*", "crc*", "integrity",
       "validat*", "xxh64", "sha256", "md5")},
    {"format", true, L4P__OBJ_ALL, "changes the output format",
     W("format", "container", "header*", "dictid", "rsyncable")},
    {NULL, false, 0, NULL, NULL}};

static const struct {
  unsigned kind;
  const char *const *words;
} objective_words[] = {
    {L4P__OBJ_TIME,
     W("time", "latency", "duration", "runtime", "speed", "throughput", "fps",
       "elapsed", "wall", "seconds", "s", "ms", "second*", "perf*", "cpu")},
    {L4P__OBJ_SIZE, W("size", "ratio", "bytes", "byte", "compression", "kb",
                      "mb", "footprint", "bitrate")},
    {L4P__OBJ_MEMORY, W("memory", "mem", "rss", "ram", "heap")},
    {L4P__OBJ_ENERGY, W("energy", "power", "watt*", "joule*", "j")},
    {L4P__OBJ_QUALITY,
     W("psnr", "ssim", "vmaf", "quality", "accuracy", "error", "db")},
};

bool l4p__filter_word_matches(const char *word, const char *keyword)
{
  size_t n = strlen(keyword);
  if (n && keyword[n - 1] == '*')
    return strncmp(word, keyword, n - 1) == 0;
  if (strcmp(word, keyword) == 0)
    return true;
  size_t w = strlen(word);
  return w == n + 1 && word[n] == 's' && strncmp(word, keyword, n) == 0;
}

size_t l4p__filter_words(const char *text, char words[][32], size_t max)
{
  size_t n = 0;
  for (const char *p = text ? text : ""; *p && n < max;) {
    while (*p && !isalnum((unsigned char)*p))
      p++;
    size_t len = 0;
    while (isalnum((unsigned char)p[len]))
      len++;
    if (!len)
      break;
    size_t keep = len < 31 ? len : 31;
    for (size_t k = 0; k < keep; k++)
      words[n][k] = (char)tolower((unsigned char)p[k]);
    words[n++][keep] = '\0';
    p += len;
  }
  return n;
}

unsigned l4p__filter_objective_kind(const char *name, const char *unit,
                                    const char *doc)
{
  char words[64][32];
  unsigned kind = 0;
  const char *texts[] = {name, unit, doc};
  for (size_t t = 0; t < 3; t++) {
    size_t n = l4p__filter_words(texts[t], words, 64);
    for (size_t w = 0; w < n; w++)
      for (size_t k = 0; k < sizeof objective_words / sizeof objective_words[0];
           k++)
        for (const char *const *kw = objective_words[k].words; *kw; kw++)
          if (l4p__filter_word_matches(words[w], *kw))
            kind |= objective_words[k].kind;
    if (kind)
      return kind; /* the name decides when it can; then unit, then doc */
  }
  return L4P__OBJ_ALL;
}
