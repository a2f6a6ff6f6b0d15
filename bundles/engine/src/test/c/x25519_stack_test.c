/*
 * Run by src/main/c/build.sh after linking: after wgk_x25519 (then the portable ladder, then
 * wgk_x25519_base) returns, the stack area its call used must hold no 8 bytes in a row of the
 * clamped scalar or of the result. The area is read through a volatile array that is never
 * written (what an attacker reading freed stack sees).
 * Exit 0 when nothing was found; 1, and where, otherwise.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "x25519.h"
#include "x25519_internal.h"

#define AREA 16384

static __attribute__((noinline)) int scan(const uint8_t k[32], const uint8_t r[32]) {
    volatile uint8_t area[AREA];
    int found = 0;
    for (int i = 0; i + 8 <= AREA; i++) {
        uint8_t w[8];
        for (int j = 0; j < 8; j++) {
            w[j] = area[i + j];
        }
        for (int o = 0; o + 8 <= 32; o += 4) {
            if (memcmp(w, k + o, 8) == 0 || memcmp(w, r + o, 8) == 0) {
                fprintf(stderr, "x25519_stack_test: %s bytes %d..%d found %d bytes below the caller\n",
                        memcmp(w, k + o, 8) == 0 ? "scalar" : "result", o, o + 7, AREA - i);
                found = 1;
            }
        }
    }
    return found;
}

int main(void) {
    uint8_t scalar[32], u[32], out[32], k[32], r[32];
    for (int i = 0; i < 32; i++) {
        scalar[i] = (uint8_t)(i * 29 + 3);
        u[i] = (uint8_t)(i * 7 + 1);
    }
    memcpy(k, scalar, 32);
    k[0] &= 248;
    k[31] &= 127;
    k[31] |= 64;
    if (wgk_x25519(out, scalar, u) != 0) {
        fprintf(stderr, "x25519_stack_test: unexpected all-zero result\n");
        return 1;
    }
    memcpy(r, out, 32);
    memset(out, 0, 32);
    if (scan(k, r)) {
        return 1;
    }
    /* The portable ladder, which wgk_x25519 uses on processors without BMI2/ADX. */
    if (wgk_x25519_portable(out, scalar, u) != 0) {
        fprintf(stderr, "x25519_stack_test: unexpected all-zero result\n");
        return 1;
    }
    memset(out, 0, 32);
    if (scan(k, r)) {
        return 1;
    }
    /* The fixed-base multiplication: its result is a public key, but the scalar is secret. */
    wgk_x25519_base(out, scalar);
    memcpy(r, out, 32);
    memset(out, 0, 32);
    memset(scalar, 0, 32);
    return scan(k, r);
}
