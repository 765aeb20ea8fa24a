/* Unit tests for base64 (src/util/base64.c): the RFC 4648 test vectors,
 * a round trip of every byte value at every length modulo 3, and strict
 * rejection of malformed text with the offset named.
 * SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "util/base64.h"

/* RFC 4648, section 10. */
static void test_rfc_vectors(void **state)
{
  (void)state;
  const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
  const char *coded[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
                         "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
  for (size_t k = 0; k < 7; k++) {
    char *text = l4px_base64_encode(plain[k], strlen(plain[k]));
    assert_non_null(text);
    assert_string_equal(text, coded[k]);
    free(text);
    unsigned char *back;
    size_t len;
    assert_int_equal(
        l4px_base64_decode(coded[k], strlen(coded[k]), &back, &len), L4P_OK);
    assert_int_equal(len, strlen(plain[k]));
    assert_memory_equal(back, plain[k], len + 1); /* with the NUL */
    free(back);
  }
}

/* All 256 byte values, including NUL and 0xff, at lengths 254..256. */
static void test_round_trip(void **state)
{
  (void)state;
  unsigned char bytes[256];
  for (size_t k = 0; k < 256; k++)
    bytes[k] = (unsigned char)(255 - k);
  for (size_t n = 254; n <= 256; n++) {
    char *text = l4px_base64_encode(bytes, n);
    assert_non_null(text);
    assert_int_equal(strlen(text), (n + 2) / 3 * 4);
    unsigned char *back;
    size_t len;
    assert_int_equal(l4px_base64_decode(text, strlen(text), &back, &len),
                     L4P_OK);
    assert_int_equal(len, n);
    assert_memory_equal(back, bytes, n);
    free(back);
    free(text);
  }
}

static void decode_fails(const char *text, const char *message)
{
  unsigned char *out = (unsigned char *)"untouched";
  size_t len = 7;
  assert_int_equal(l4px_base64_decode(text, strlen(text), &out, &len),
                   L4P_EPARSE);
  assert_null(out);
  assert_int_equal(len, 0);
  if (!strstr(l4p_last_error(), message))
    fail_msg("error '%s' lacks '%s'", l4p_last_error(), message);
}

static void test_malformed(void **state)
{
  (void)state;
  decode_fails("Zm9", "length 3 is not a multiple of 4");
  decode_fails("Zm9v\nYg==", "length 9");
  decode_fails("Zm9vY!==", "bad character at offset 5");
  decode_fails("Zg==Zg==", "bad character at offset 2"); /* inner padding */
  decode_fails("Z===", "bad character at offset 1");
  decode_fails("Zh==", "non-zero padding bits at offset 0");
  decode_fails("Zm9=", "non-zero padding bits at offset 0");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rfc_vectors),
      cmocka_unit_test(test_round_trip),
      cmocka_unit_test(test_malformed),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
