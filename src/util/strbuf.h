/* A growable, always NUL-terminated byte string (after git's strbuf).
 * Invariant: buf is never NULL after l4px_sb_init; len excludes the NUL.
 * Allocation failure is reported by a sticky flag, checked once at the end
 * (l4px_sb_failed), so building code needs no check per append. */
#ifndef L4P_UTIL_STRBUF_H
#define L4P_UTIL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct l4px_sb {
  char *buf;
  size_t len, cap;
  bool oom;
};

void l4px_sb_init(struct l4px_sb *sb);
void l4px_sb_release(struct l4px_sb *sb);
void l4px_sb_reset(struct l4px_sb *sb);
void l4px_sb_add(struct l4px_sb *sb, const char *s, size_t n);
void l4px_sb_puts(struct l4px_sb *sb, const char *s);
void l4px_sb_putc(struct l4px_sb *sb, char c);
void l4px_sb_printf(struct l4px_sb *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append s quoted as one CSV field when it needs quoting. */
void l4px_sb_csv_field(struct l4px_sb *sb, const char *s, char delim);
/* Give the buffer to the caller (free() it); the strbuf is left empty.
 * Returns NULL if any append failed. */
char *l4px_sb_detach(struct l4px_sb *sb);
bool l4px_sb_failed(const struct l4px_sb *sb);

#endif
