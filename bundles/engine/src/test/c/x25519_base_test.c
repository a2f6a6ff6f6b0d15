/*
 * Run by src/main/c/build.sh after linking: the fixed-base multiplication (wgk_x25519_base)
 * against RFC 7748's public keys and against the ladder from u = 9 (wgk_x25519), for edge
 * scalars and 20,000 pseudo-random ones. Exit 0 when all agree; 1, and the first difference,
 * otherwise.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "x25519.h"

static void hex(const char *s, uint8_t out[32]) {
    for (int i = 0; i < 32; i++) {
        unsigned v;
        sscanf(s + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

static void print(const char *what, const uint8_t b[32]) {
    fprintf(stderr, "%s ", what);
    for (int i = 0; i < 32; i++) {
        fprintf(stderr, "%02x", b[i]);
    }
    fprintf(stderr, "\n");
}

static int check(const uint8_t scalar[32]) {
    static const uint8_t nine[32] = {9};
    uint8_t fixed[32], ladder[32];
    wgk_x25519_base(fixed, scalar);
    wgk_x25519(ladder, scalar, nine);
    if (memcmp(fixed, ladder, 32) != 0) {
        print("x25519_base_test: scalar", scalar);
        print("  fixed base", fixed);
        print("  ladder    ", ladder);
        return 1;
    }
    return 0;
}

int main(void) {
    /* RFC 7748 section 6.1: Alice's and Bob's private and public keys. */
    static const char *vectors[][2] = {
        {"77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
            "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"},
        {"5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
            "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"}};
    for (int v = 0; v < 2; v++) {
        uint8_t scalar[32], expected[32], out[32];
        hex(vectors[v][0], scalar);
        hex(vectors[v][1], expected);
        wgk_x25519_base(out, scalar);
        if (memcmp(out, expected, 32) != 0) {
            print("x25519_base_test: RFC 7748 public key of", scalar);
            print("  gave    ", out);
            print("  expected", expected);
            return 1;
        }
    }
    uint8_t scalar[32];
    /* Edge scalars: clamping makes all-zeros 2^254 and all-ones the largest clamped scalar. */
    for (int fill = 0; fill < 256; fill += 255) {
        memset(scalar, fill, 32);
        if (check(scalar)) {
            return 1;
        }
    }
    /* Every nibble value at every digit position, and the recoding's carries: runs of 8s and 15s. */
    for (int n = 0; n < 16; n++) {
        memset(scalar, n * 17, 32);
        if (check(scalar)) {
            return 1;
        }
    }
    uint64_t x = 0x9e3779b97f4a7c15ULL; /* xorshift64* */
    for (int round = 0; round < 20000; round++) {
        for (int i = 0; i < 32; i += 8) {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            uint64_t r = x * 0x2545f4914f6cdd1dULL;
            memcpy(scalar + i, &r, 8);
        }
        if (check(scalar)) {
            return 1;
        }
    }
    return 0;
}
