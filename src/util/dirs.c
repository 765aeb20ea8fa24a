/* Directory helpers for live measurement (dirs.h): every run of a program
 * gets a scratch directory of its own, removed afterwards, so runs never
 * see each other's files.
 * SPDX-License-Identifier: MIT */
#define _XOPEN_SOURCE 700 /* nftw */
#include <errno.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dirs.h"
#include "failf.h"
#include "banned.h"

/* See dirs.h. Walks the path forward, creating each missing component. */
l4p_status l4px_make_dirs(const char *path)
{
  char *copy = strdup(path);
  if (!copy)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  l4p_status st = L4P_OK;
  for (char *p = copy + 1; !st; p++) {
    bool end = *p == '\0';
    if (*p != '/' && !end)
      continue;
    *p = '\0';
    if (mkdir(copy, 0755) != 0 && errno != EEXIST)
      st = l4p_failf(L4P_EIO, "cannot create directory '%s': %s", copy,
                     strerror(errno));
    if (end)
      break;
    *p = '/';
  }
  free(copy);
  return st;
}

/* See dirs.h. */
l4p_status l4px_make_temp_dir(const char *parent, const char *prefix,
                              char **path)
{
  if (!parent) {
    const char *tmp = getenv("TMPDIR");
    parent = tmp && *tmp ? tmp : "/tmp";
  }
  size_t size = strlen(parent) + strlen(prefix) + 8;
  char *name = malloc(size);
  if (!name)
    return l4p_failf(L4P_ENOMEM, "out of memory");
  snprintf(name, size, "%s/%sXXXXXX", parent, prefix);
  if (!mkdtemp(name)) {
    l4p_status st = l4p_failf(L4P_EIO,
                              "cannot create a directory in "
                              "'%s': %s",
                              parent, strerror(errno));
    free(name);
    return st;
  }
  *path = name;
  return L4P_OK;
}

/* The first failure of the walk below (nftw passes no user pointer). */
static _Thread_local char remove_failed[512];

static int remove_entry(const char *path, const struct stat *sb, int flag,
                        struct FTW *ftw)
{
  if (remove(path) != 0 && errno != ENOENT) {
    snprintf(remove_failed, sizeof remove_failed, "cannot remove '%s': %s",
             path, strerror(errno));
    return 1;
  }
  return 0;
}

/* See dirs.h. Children first (FTW_DEPTH), links as themselves (FTW_PHYS),
 * never leaving the file system the tree is on (FTW_MOUNT). */
l4p_status l4px_remove_tree(const char *path)
{
  struct stat sb;
  if (lstat(path, &sb) != 0 && errno == ENOENT)
    return L4P_OK;
  remove_failed[0] = '\0';
  if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) != 0)
    return l4p_failf(L4P_EIO, "%s",
                     remove_failed[0] ? remove_failed
                                      : "cannot remove a directory tree");
  return L4P_OK;
}
