/*
 * Run by src/main/c/build.sh: the four-limb ladder of x25519_mulx.c against independent
 * references, on processors with BMI2 and ADX (elsewhere it is never called, and the test says
 * so and passes).
 *
 * 1. Each field operation (product, square, sum, difference, times a24, encoding) against a
 *    bit-serial reference that works on fully reduced values with nothing but additions and
 *    comparisons with p: for every pair of the whole values where the folds are decided (p - 1,
 *    p, 2^256 - 38, 2^256 - 1 and such), then 50,000 pairs whose limbs are drawn from the
 *    values where carries happen (0, 1, 37, 38, 2^63, 2^64 - 38, 2^64 - 1 and such) or random.
 * 2. Whole agreements against the portable radix-2^51 ladder (wgk_x25519_portable), for the
 *    u values RFC 7748 and the low-order points make special and for 20,000 random pairs.
 *
 * The file includes x25519_mulx.c to reach its static field operations. Exit 0 when all agree;
 * 1 and the first difference otherwise.
 */
#include "../../main/c/x25519_mulx.c"

#include <stdio.h>

#include "x25519.h"

#if defined(__x86_64__)

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t next64(void) { /* xorshift64*: a fixed sequence, so a failure repeats */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static const uint64_t P[4] = {0xffffffffffffffedULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL,
                              0x7fffffffffffffffULL};

/* Limb values where carries, borrows and the folds by 38 and 19 are decided. */
static const uint64_t EDGE[] = {0,
                                1,
                                2,
                                18,
                                19,
                                37,
                                38,
                                39,
                                0x7fffffffffffffffULL,
                                0x8000000000000000ULL,
                                0xffffffffffffffd9ULL,
                                0xffffffffffffffdaULL,
                                0xffffffffffffffedULL,
                                0xfffffffffffffffeULL,
                                0xffffffffffffffffULL};

static void draw(f4 x) {
    int kind = (int)(next64() % 3);
    for (int i = 0; i < 4; i++) {
        uint64_t r = next64();
        if (kind == 0 || (kind == 1 && (r & 1))) {
            x[i] = EDGE[(r >> 8) % (sizeof EDGE / sizeof EDGE[0])];
        } else {
            x[i] = next64();
        }
    }
}

/* 1 when a >= b, limbs compared from the top. */
static int ge(const uint64_t a[4], const uint64_t b[4]) {
    for (int i = 3; i >= 0; i--) {
        if (a[i] != b[i]) {
            return a[i] > b[i];
        }
    }
    return 1;
}

/* a -= b, returning the borrow. */
static uint64_t sub4(uint64_t a[4], const uint64_t b[4]) {
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        unsigned __int128 d = (unsigned __int128)a[i] - b[i] - borrow;
        a[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 64) & 1;
    }
    return borrow;
}

/* a mod p for any a < 2^256 (2^256 < 3 p), by subtraction. */
static void canon(uint64_t r[4], const uint64_t a[4]) {
    memcpy(r, a, 32);
    while (ge(r, P)) {
        sub4(r, P);
    }
}

/* r = a + b mod p for a, b < p: r is below 2^256 before the subtraction, as 2 p < 2^256. */
static void ref_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t carry = 0;
    for (int i = 0; i < 4; i++) {
        unsigned __int128 s = (unsigned __int128)a[i] + b[i] + carry;
        r[i] = (uint64_t)s;
        carry = (uint64_t)(s >> 64);
    }
    if (ge(r, P)) {
        sub4(r, P);
    }
}

/* r = a - b mod p for a, b < p. */
static void ref_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t t[4];
    memcpy(t, a, 32);
    if (sub4(t, b)) {
        uint64_t carry = 0; /* t + p wraps back into [0, p) */
        for (int i = 0; i < 4; i++) {
            unsigned __int128 s = (unsigned __int128)t[i] + P[i] + carry;
            t[i] = (uint64_t)s;
            carry = (uint64_t)(s >> 64);
        }
    }
    memcpy(r, t, 32);
}

/* r = a b mod p, a and b any 256-bit values: double and add over b's bits from the top. */
static void ref_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    uint64_t ca[4], acc[4] = {0, 0, 0, 0};
    canon(ca, a);
    for (int bit = 255; bit >= 0; bit--) {
        ref_add(acc, acc, acc);
        if (b[bit >> 6] >> (bit & 63) & 1) {
            ref_add(acc, acc, ca);
        }
    }
    memcpy(r, acc, 32);
}

static int report(const char *op, int n, const uint64_t *a, const uint64_t *b, const uint64_t got[4],
                  const uint64_t want[4]) {
    fprintf(stderr, "x25519_mulx_test: %s differs at case %d\n  a    %016lx %016lx %016lx %016lx\n", op, n,
            a[3], a[2], a[1], a[0]);
    if (b) {
        fprintf(stderr, "  b    %016lx %016lx %016lx %016lx\n", b[3], b[2], b[1], b[0]);
    }
    fprintf(stderr, "  got  %016lx %016lx %016lx %016lx (mod p)\n  want %016lx %016lx %016lx %016lx\n", got[3],
            got[2], got[1], got[0], want[3], want[2], want[1], want[0]);
    return 1;
}

/*
 * Whole values where the folds are decided: base + delta for base 0, 2^255 and 2^256 (as
 * 2^256 - x), such as p - 1, p, 2 p - 1 = 2^256 - 39, 2 p and 2^256 - 1. A sum of two of the
 * largest carries twice; a difference of a small one and a large one borrows twice.
 */
static void special_value(f4 x, int n) {
    static const struct {
        int base; /* 0: 0 + delta; 1: 2^255 + delta; 2: 2^256 + delta */
        int delta;
    } S[] = {{0, 0}, {0, 1}, {0, 2}, {0, 19}, {0, 37}, {0, 38}, {0, 39}, {1, -20}, {1, -19}, {1, -18},
             {1, -1}, {1, 0}, {2, -39}, {2, -38}, {2, -37}, {2, -20}, {2, -19}, {2, -2}, {2, -1}};
    int k = n % (int)(sizeof S / sizeof S[0]);
    uint64_t top = S[k].base == 1 ? 0x8000000000000000ULL : 0;
    memset(x, 0, 32);
    x[3] = top;
    if (S[k].delta < 0) { /* on 2^256 this wraps: 0 - |delta| is 2^256 - |delta| */
        uint64_t d[4] = {(uint64_t)(-(int64_t)S[k].delta), 0, 0, 0};
        sub4(x, d);
    } else {
        x[0] = (uint64_t)S[k].delta;
    }
}

#define SPECIAL_VALUES 19

static int field_operations(int cases) {
    for (int n = 0; n < SPECIAL_VALUES * SPECIAL_VALUES + cases; n++) {
        f4 a, b, got;
        uint64_t want[4], g[4], ca[4], cb[4];
        if (n < SPECIAL_VALUES * SPECIAL_VALUES) {
            special_value(a, n / SPECIAL_VALUES);
            special_value(b, n % SPECIAL_VALUES);
        } else if (n == SPECIAL_VALUES * SPECIAL_VALUES) {
            /* The one carry of times a24 that random limbs never reach: a3 121665 = 2^64 - 1
             * (mod 2^64), so the high half of a2 121665 carries out of the fourth limb. */
            uint64_t inv = 1;
            for (int i = 0; i < 6; i++) {
                inv *= 2 - 121665 * inv; /* Newton: correct to twice as many bits each step */
            }
            a[0] = a[1] = a[2] = b[0] = b[1] = b[2] = b[3] = 0xffffffffffffffffULL;
            a[3] = 0 - inv;
        } else {
            draw(a);
            draw(b);
        }
        canon(ca, a);
        canon(cb, b);

        f4_mul(got, a, b);
        ref_mul(want, a, b);
        canon(g, got);
        if (memcmp(g, want, 32) != 0) {
            return report("product", n, a, b, g, want);
        }
        f4_sq(got, a);
        ref_mul(want, a, a);
        canon(g, got);
        if (memcmp(g, want, 32) != 0) {
            return report("square", n, a, NULL, g, want);
        }
        f4_add(got, a, b);
        ref_add(want, ca, cb);
        canon(g, got);
        if (memcmp(g, want, 32) != 0) {
            return report("sum", n, a, b, g, want);
        }
        f4_sub(got, a, b);
        ref_sub(want, ca, cb);
        canon(g, got);
        if (memcmp(g, want, 32) != 0) {
            return report("difference", n, a, b, g, want);
        }
        static const uint64_t A24[4] = {121665, 0, 0, 0};
        f4_mul_a24(got, a);
        ref_mul(want, a, A24);
        canon(g, got);
        if (memcmp(g, want, 32) != 0) {
            return report("times a24", n, a, NULL, g, want);
        }
        uint8_t bytes[32];
        f4_tobytes(bytes, a);
        memcpy(g, bytes, 32);
        if (memcmp(g, ca, 32) != 0) {
            return report("encoding", n, a, NULL, g, ca);
        }
    }
    return 0;
}

static void print_bytes(const char *what, const uint8_t b[32]) {
    fprintf(stderr, "  %s ", what);
    for (int i = 0; i < 32; i++) {
        fprintf(stderr, "%02x", b[i]);
    }
    fprintf(stderr, "\n");
}

static int agreement(const uint8_t scalar[32], const uint8_t u[32], const char *what) {
    uint8_t mulx[32], portable[32];
    int zero_mulx = wgk_x25519(mulx, scalar, u);
    int zero_portable = wgk_x25519_portable(portable, scalar, u);
    if (zero_mulx != zero_portable || memcmp(mulx, portable, 32) != 0) {
        fprintf(stderr, "x25519_mulx_test: the ladders differ for %s\n", what);
        print_bytes("u       ", u);
        print_bytes("mulx    ", mulx);
        print_bytes("portable", portable);
        return 1;
    }
    return 0;
}

static void from_hex(const char *s, uint8_t out[32]) {
    for (int i = 0; i < 32; i++) {
        unsigned v;
        sscanf(s + 2 * i, "%2x", &v);
        out[i] = (uint8_t)v;
    }
}

static int agreements(int pairs) {
    /* Little-endian u values: 0, 1, the points of order 8 and their sums with p, p - 1, p,
     * p + 1, 2^255 - 1 (bit 255 clear) and 2^256 - 1 (bit 255 set, dropped). */
    static const char *special[] = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bc3ba2a8bc08e9bf04a5fec7d0f45c5f8cd0f54b9f7b7d8fd4a2f0b557",
        "cdeb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880",
        "4c9c95bc3ba2a8bc08e9bf04a5fec7d0f45c5f8cd0f54b9f7b7d8fd4a2f0b5d7",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "0900000000000000000000000000000000000000000000000000000000000000",
    };
    uint8_t scalar[32], u[32];
    for (unsigned s = 0; s < sizeof special / sizeof special[0]; s++) {
        from_hex(special[s], u);
        for (int n = 0; n < 8; n++) {
            for (int i = 0; i < 32; i += 8) {
                uint64_t r = next64();
                memcpy(scalar + i, &r, 8);
            }
            if (agreement(scalar, u, special[s])) {
                return 1;
            }
        }
    }
    for (int n = 0; n < pairs; n++) {
        for (int i = 0; i < 32; i += 8) {
            uint64_t r = next64(), v = next64();
            memcpy(scalar + i, &r, 8);
            memcpy(u + i, &v, 8);
        }
        if (agreement(scalar, u, "a random pair")) {
            return 1;
        }
    }
    return 0;
}

int main(void) {
    if (!wgk_x25519_mulx_usable()) {
        fprintf(stderr, "x25519_mulx_test: this processor has no BMI2/ADX; the portable ladder is used, nothing to compare\n");
        return 0;
    }
    if (field_operations(50000) || agreements(20000)) {
        return 1;
    }
    return 0;
}

#else

int main(void) {
    return 0;
}

#endif
