/* SHA-256 (FIPS 180-4) of a byte string, as lowercase hex. Used where a
 * stable identity of a text is stored and compared across runs and
 * machines, such as the request hash of an LLM exchange; not for
 * secrets (no constant-time guarantees are needed or given). */
#ifndef L4P_UTIL_SHA256_H
#define L4P_UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* Length of the hex digest plus its NUL. */
#define L4PX_SHA256_HEX_SIZE 65

struct l4px_sha256 {
  uint32_t h[8];
  uint64_t total; /* bytes hashed so far */
  unsigned char block[64];
  size_t used; /* bytes waiting in block */
};

void l4px_sha256_init(struct l4px_sha256 *ctx);
void l4px_sha256_update(struct l4px_sha256 *ctx, const void *data, size_t len);
/* Finish and write the 32-byte digest. The context must be initialised
 * again before reuse. */
void l4px_sha256_final(struct l4px_sha256 *ctx, unsigned char digest[32]);

/* Digest of len bytes of data as 64 lowercase hex digits plus NUL. */
void l4px_sha256_hex(const void *data, size_t len,
                     char hex[L4PX_SHA256_HEX_SIZE]);

#endif
