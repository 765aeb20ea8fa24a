/* Scratch files and fixture paths for unit tests.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

static char tmpdir[256];

static void remove_tmpdir(void)
{
  if (!tmpdir[0] || getenv("L4P_KEEP_TMP"))
    return;
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
  if (system(cmd) != 0)
    fprintf(stderr, "could not remove %s\n", tmpdir);
}

const char *tu_tmpdir(void)
{
  if (!tmpdir[0]) {
    const char *base = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(tmpdir, sizeof tmpdir, "%s/l4p-test-XXXXXX", base);
    if (!mkdtemp(tmpdir)) {
      perror("mkdtemp");
      exit(1);
    }
    atexit(remove_tmpdir);
  }
  return tmpdir;
}

static const char *rotate(const char *a, const char *b)
{
  static char slots[8][512];
  static int next;
  char *out = slots[next++ % 8];
  snprintf(out, sizeof slots[0], "%s/%s", a, b);
  return out;
}

const char *tu_tmp(const char *name) { return rotate(tu_tmpdir(), name); }

const char *tu_src(const char *rel)
{
  const char *src = getenv("L4P_SRC");
  return rotate(src ? src : ".", rel);
}

const char *tu_shared(const char *rel)
{
  const char *dir = getenv("L4P_SHARED_DATA");
  if (!dir)
    return NULL;
  const char *path = rotate(dir, rel);
  struct stat st;
  return stat(path, &st) == 0 ? path : NULL;
}

void tu_write(const char *path, const char *text)
{
  FILE *f = fopen(path, "w");
  if (!f || fputs(text, f) == EOF || fclose(f) != 0) {
    perror(path);
    exit(1);
  }
}
