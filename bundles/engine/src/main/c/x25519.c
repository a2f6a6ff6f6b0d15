/*
 * X25519 as RFC 7748 specifies it (section 5): the Montgomery ladder over GF(2^255 - 19).
 *
 * Field elements are five unsigned 64-bit limbs of 51 bits each (radix 2^51), value
 * f0 + f1 2^51 + f2 2^102 + f3 2^153 + f4 2^204. Limbs are allowed to grow past 51 bits between
 * reductions; the bounds each function needs and gives are written beside it. Products are
 * formed in unsigned __int128, and 2^255 = 19 (mod p) folds the high half of a product back.
 *
 * Constant time: no branch and no memory index depends on the scalar, the point or anything
 * derived from them; the only data-dependent choice, the ladder's swap, is done with a mask.
 *
 * Wiping: every buffer that holds the scalar or a value computed from it is cleared with
 * explicit_bzero (which the compiler may not remove) before its function returns, and
 * wgk_x25519 then clears the stack area its callees used (burn_stack), which also covers
 * whatever the compiler spilled there.
 */
#define _DEFAULT_SOURCE /* explicit_bzero */
#include <string.h>

#include "x25519.h"
#include "x25519_internal.h"

typedef uint64_t fe[5];

/* The field operations are forced inline into the ladder and the inversion (gcc -O2 calls
 * fe_mul out of line otherwise), and the small loops below are written out: together an
 * agreement took a sixth less time here. */
#define INLINE static inline __attribute__((always_inline))
typedef unsigned __int128 u128;

#define MASK51 ((uint64_t)0x7ffffffffffff) /* 2^51 - 1 */

/* Bytes of stack wiped after a computation; the build checks (-fstack-usage) that this is more
 * than the deepest frame of the computation. */
#define BURN_BYTES 8192

static void wipe(void *p, size_t n) {
    explicit_bzero(p, n);
}

static inline uint64_t load64_le(const uint8_t *p) {
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24
           | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline void store64_le(uint8_t *p, uint64_t v) {
    for (int i = 0; i < 8; i++) {
        p[i] = (uint8_t)(v >> (8 * i));
    }
}

/* decodeUCoordinate: the top bit (bit 255) is ignored; values from p to 2^255 - 1 are kept as
 * they are (the arithmetic is mod p, so they act as u - p). Limbs < 2^51. */
static void fe_frombytes(fe h, const uint8_t s[32]) {
    uint64_t w0 = load64_le(s), w1 = load64_le(s + 8), w2 = load64_le(s + 16), w3 = load64_le(s + 24);
    h[0] = w0 & MASK51;
    h[1] = (w0 >> 51 | w1 << 13) & MASK51;
    h[2] = (w1 >> 38 | w2 << 26) & MASK51;
    h[3] = (w2 >> 25 | w3 << 39) & MASK51;
    h[4] = (w3 >> 12) & MASK51; /* bits 204..254: bit 255 dropped */
}

/* Carries each limb's bits above 51 into the next. The carry out of h4 is worth 2^255: with
 * fold, 19 times it goes back into h0 (2^255 = 19 mod p); without, it is dropped. (fold is a
 * constant at every call, never data.) */
static inline void fe_carry(uint64_t h[5], int fold) {
    h[1] += h[0] >> 51;
    h[0] &= MASK51;
    h[2] += h[1] >> 51;
    h[1] &= MASK51;
    h[3] += h[2] >> 51;
    h[2] &= MASK51;
    h[4] += h[3] >> 51;
    h[3] &= MASK51;
    if (fold) {
        h[0] += 19 * (h[4] >> 51);
    }
    h[4] &= MASK51;
}

/* The canonical 32-byte encoding: the value fully reduced into [0, p). Input limbs < 2^54. */
static void fe_tobytes(uint8_t s[32], const fe f) {
    uint64_t h[5] = {f[0], f[1], f[2], f[3], f[4]};
    /* Two carry passes: after the first, h1..h4 < 2^51 and h0 < 2^51 + 19 * 8; after the second
     * every limb is below 2^51, so the value is below 2^255 (but may still be p or more). */
    fe_carry(h, 1);
    fe_carry(h, 1);
    /* q = 1 exactly when the value v >= p, that is when v + 19 reaches 2^255. */
    uint64_t q = (h[0] + 19) >> 51;
    q = (h[1] + q) >> 51;
    q = (h[2] + q) >> 51;
    q = (h[3] + q) >> 51;
    q = (h[4] + q) >> 51;
    /* v - q p = v + 19 q - q 2^255: add 19 q, carry, drop bit 255. */
    h[0] += 19 * q;
    fe_carry(h, 0);
    store64_le(s, h[0] | h[1] << 51);
    store64_le(s + 8, h[1] >> 13 | h[2] << 38);
    store64_le(s + 16, h[2] >> 26 | h[3] << 25);
    store64_le(s + 24, h[3] >> 39 | h[4] << 12);
    wipe(h, sizeof h);
}

/* h = f + g. Inputs < 2^53 give limbs < 2^54. */
static inline void fe_add(fe h, const fe f, const fe g) {
    h[0] = f[0] + g[0];
    h[1] = f[1] + g[1];
    h[2] = f[2] + g[2];
    h[3] = f[3] + g[3];
    h[4] = f[4] + g[4];
}

/* h = f - g, computed as f + 2p - g so that no limb goes below zero. Needs g's limbs at most
 * 2^52 - 38 (true of every product and square below, whose limbs are < 2^51 + 2^18, and of
 * fe_frombytes' output); gives limbs < f's + 2^52. */
static inline void fe_sub(fe h, const fe f, const fe g) {
    h[0] = f[0] + 0xfffffffffffdaULL - g[0]; /* 2 (2^51 - 19) */
    h[1] = f[1] + 0xffffffffffffeULL - g[1]; /* 2 (2^51 - 1) */
    h[2] = f[2] + 0xffffffffffffeULL - g[2];
    h[3] = f[3] + 0xffffffffffffeULL - g[3];
    h[4] = f[4] + 0xffffffffffffeULL - g[4];
}

/* Carries five column sums t0..t4 (each < 2^115) into limbs: h0, h2, h3, h4 < 2^51 and
 * h1 < 2^51 + 2^18. The carry out of t4 is worth 2^255 = 19 (mod p), so it comes back into h0
 * times 19. */
INLINE void fe_carry_wide(fe h, u128 t0, u128 t1, u128 t2, u128 t3, u128 t4) {
    uint64_t r0 = (uint64_t)t0 & MASK51;
    t1 += (uint64_t)(t0 >> 51); /* < 2^64 because t0 < 2^115 */
    uint64_t r1 = (uint64_t)t1 & MASK51;
    t2 += (uint64_t)(t1 >> 51);
    uint64_t r2 = (uint64_t)t2 & MASK51;
    t3 += (uint64_t)(t2 >> 51);
    uint64_t r3 = (uint64_t)t3 & MASK51;
    t4 += (uint64_t)(t3 >> 51);
    uint64_t r4 = (uint64_t)t4 & MASK51;
    u128 c = (u128)(uint64_t)(t4 >> 51) * 19 + r0; /* < 2^68 */
    r0 = (uint64_t)c & MASK51;
    r1 += (uint64_t)(c >> 51); /* adds < 2^17 */
    h[0] = r0;
    h[1] = r1;
    h[2] = r2;
    h[3] = r3;
    h[4] = r4;
}

/* h = f g. Limbs of f and g < 2^54: each column is five products of at most 2^54 * 19 * 2^54,
 * below 2^115. h may be f or g. */
INLINE void fe_mul(fe h, const fe f, const fe g) {
    uint64_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
    uint64_t g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3], g4 = g[4];
    /* f_i g_j with i + j >= 5 stands at 2^(51 (i + j)) = 2^255 2^(51 (i + j - 5)): 19 times
     * lower. */
    uint64_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4;
    u128 t0 = (u128)f0 * g0 + (u128)f1 * g4_19 + (u128)f2 * g3_19 + (u128)f3 * g2_19 + (u128)f4 * g1_19;
    u128 t1 = (u128)f0 * g1 + (u128)f1 * g0 + (u128)f2 * g4_19 + (u128)f3 * g3_19 + (u128)f4 * g2_19;
    u128 t2 = (u128)f0 * g2 + (u128)f1 * g1 + (u128)f2 * g0 + (u128)f3 * g4_19 + (u128)f4 * g3_19;
    u128 t3 = (u128)f0 * g3 + (u128)f1 * g2 + (u128)f2 * g1 + (u128)f3 * g0 + (u128)f4 * g4_19;
    u128 t4 = (u128)f0 * g4 + (u128)f1 * g3 + (u128)f2 * g2 + (u128)f3 * g1 + (u128)f4 * g0;
    fe_carry_wide(h, t0, t1, t2, t3, t4);
}

/* h = f^2: fe_mul with the symmetric products f_i f_j (i != j) taken once, doubled. Limbs of
 * f < 2^54 (each column < 77 * 2^108 < 2^115). h may be f. */
INLINE void fe_sq(fe h, const fe f) {
    uint64_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
    uint64_t f0_2 = 2 * f0, f1_2 = 2 * f1, f2_2 = 2 * f2, f3_2 = 2 * f3;
    uint64_t f3_19 = 19 * f3, f4_19 = 19 * f4;
    u128 t0 = (u128)f0 * f0 + (u128)f1_2 * f4_19 + (u128)f2_2 * f3_19;
    u128 t1 = (u128)f0_2 * f1 + (u128)f2_2 * f4_19 + (u128)f3 * f3_19;
    u128 t2 = (u128)f0_2 * f2 + (u128)f1 * f1 + (u128)f3_2 * f4_19;
    u128 t3 = (u128)f0_2 * f3 + (u128)f1_2 * f2 + (u128)f4 * f4_19;
    u128 t4 = (u128)f0_2 * f4 + (u128)f1_2 * f3 + (u128)f2 * f2;
    fe_carry_wide(h, t0, t1, t2, t3, t4);
}

/* h = f^(2^n), n >= 1. */
static void fe_sq_n(fe h, const fe f, int n) {
    fe_sq(h, f);
    for (int i = 1; i < n; i++) {
        fe_sq(h, h);
    }
}

/* h = f a24, a24 = (486662 - 2) / 4 = 121665. Limbs of f < 2^54. */
static inline void fe_mul_a24(fe h, const fe f) {
    const uint64_t a24 = 121665;
    fe_carry_wide(h, (u128)f[0] * a24, (u128)f[1] * a24, (u128)f[2] * a24, (u128)f[3] * a24, (u128)f[4] * a24);
}

/* Swaps f and g when bit is 1, leaves them when 0, with the same instructions either way. */
static inline void fe_cswap(fe f, fe g, uint64_t bit) {
    uint64_t mask = 0 - bit;
    uint64_t x0 = mask & (f[0] ^ g[0]), x1 = mask & (f[1] ^ g[1]), x2 = mask & (f[2] ^ g[2]);
    uint64_t x3 = mask & (f[3] ^ g[3]), x4 = mask & (f[4] ^ g[4]);
    f[0] ^= x0;
    g[0] ^= x0;
    f[1] ^= x1;
    g[1] ^= x1;
    f[2] ^= x2;
    g[2] ^= x2;
    f[3] ^= x3;
    g[3] ^= x3;
    f[4] ^= x4;
    g[4] ^= x4;
}

/* out = z^(p - 2) = z^(2^255 - 21), which is 1/z for z != 0 (Fermat) and 0 for z = 0. The
 * exponent's binary form is 250 ones then 01011, so it is built from runs of ones: z^(2^k - 1)
 * for k = 5, 10, 20, 40, 50, 100, 200, 250, then shifted by 5 bits and times z^11. */
static void fe_invert(fe out, const fe z) {
    fe z2, z9, z11, z_5, z_10, z_20, z_50, z_100, t;
    fe_sq(z2, z);             /* z^2 */
    fe_sq_n(t, z2, 2);        /* z^8 */
    fe_mul(z9, t, z);         /* z^9 */
    fe_mul(z11, z9, z2);      /* z^11 */
    fe_sq(t, z11);            /* z^22 */
    fe_mul(z_5, t, z9);       /* z^31 = z^(2^5 - 1) */
    fe_sq_n(t, z_5, 5);
    fe_mul(z_10, t, z_5);     /* z^(2^10 - 1) */
    fe_sq_n(t, z_10, 10);
    fe_mul(z_20, t, z_10);    /* z^(2^20 - 1) */
    fe_sq_n(t, z_20, 20);
    fe_mul(t, t, z_20);       /* z^(2^40 - 1) */
    fe_sq_n(t, t, 10);
    fe_mul(z_50, t, z_10);    /* z^(2^50 - 1) */
    fe_sq_n(t, z_50, 50);
    fe_mul(z_100, t, z_50);   /* z^(2^100 - 1) */
    fe_sq_n(t, z_100, 100);
    fe_mul(t, t, z_100);      /* z^(2^200 - 1) */
    fe_sq_n(t, t, 50);
    fe_mul(t, t, z_50);       /* z^(2^250 - 1) */
    fe_sq_n(t, t, 5);         /* z^(2^255 - 32) */
    fe_mul(out, t, z11);      /* z^(2^255 - 21) */
    wipe(z2, sizeof z2);
    wipe(z9, sizeof z9);
    wipe(z11, sizeof z11);
    wipe(z_5, sizeof z_5);
    wipe(z_10, sizeof z_10);
    wipe(z_20, sizeof z_20);
    wipe(z_50, sizeof z_50);
    wipe(z_100, sizeof z_100);
    wipe(t, sizeof t);
}

/* The Montgomery ladder of RFC 7748 section 5 over the 255 bits of the clamped scalar k, from
 * the top: (x2 : z2) = k (x1 : 1). */
static void ladder(fe x2, fe z2, const uint8_t k[32], const fe x1) {
    fe x3, z3, a, aa, b, bb, e, c, d, da, cb, t;
    for (int i = 0; i < 5; i++) {
        x2[i] = 0;
        z2[i] = 0;
        x3[i] = x1[i];
        z3[i] = 0;
    }
    x2[0] = 1;
    z3[0] = 1;
    uint64_t swap = 0;
    for (int pos = 254; pos >= 0; pos--) {
        uint64_t bit = (k[pos >> 3] >> (pos & 7)) & 1;
        swap ^= bit;
        fe_cswap(x2, x3, swap);
        fe_cswap(z2, z3, swap);
        swap = bit;

        fe_add(a, x2, z2);     /* A = x2 + z2 */
        fe_sq(aa, a);          /* AA = A^2 */
        fe_sub(b, x2, z2);     /* B = x2 - z2 */
        fe_sq(bb, b);          /* BB = B^2 */
        fe_sub(e, aa, bb);     /* E = AA - BB */
        fe_add(c, x3, z3);     /* C = x3 + z3 */
        fe_sub(d, x3, z3);     /* D = x3 - z3 */
        fe_mul(da, d, a);      /* DA = D * A */
        fe_mul(cb, c, b);      /* CB = C * B */
        fe_add(t, da, cb);
        fe_sq(x3, t);          /* x3 = (DA + CB)^2 */
        fe_sub(t, da, cb);
        fe_sq(t, t);
        fe_mul(z3, x1, t);     /* z3 = x1 * (DA - CB)^2 */
        fe_mul(x2, aa, bb);    /* x2 = AA * BB */
        fe_mul_a24(t, e);
        fe_add(t, aa, t);
        fe_mul(z2, e, t);      /* z2 = E * (AA + a24 * E) */
    }
    fe_cswap(x2, x3, swap);
    fe_cswap(z2, z3, swap);
    wipe(x3, sizeof x3);
    wipe(z3, sizeof z3);
    wipe(a, sizeof a);
    wipe(aa, sizeof aa);
    wipe(b, sizeof b);
    wipe(bb, sizeof bb);
    wipe(e, sizeof e);
    wipe(c, sizeof c);
    wipe(d, sizeof d);
    wipe(da, sizeof da);
    wipe(cb, sizeof cb);
    wipe(t, sizeof t);
}

/* r = X25519(k, u) for a clamped k, by the radix-2^51 ladder above. */
static void x25519_portable(uint8_t r[32], const uint8_t k[32], const uint8_t u[32]) {
    fe x1, x2, z2, zinv;
    fe_frombytes(x1, u);
    ladder(x2, z2, k, x1);
    fe_invert(zinv, z2);
    fe_mul(x2, x2, zinv);
    fe_tobytes(r, x2);
    wipe(x1, sizeof x1);
    wipe(x2, sizeof x2);
    wipe(z2, sizeof z2);
    wipe(zinv, sizeof zinv);
}

/* Whether wgk_x25519 uses x25519_mulx.c's ladder: decided once, when the library loads. */
static int use_mulx;

static __attribute__((constructor)) void choose_ladder(void) {
    use_mulx = wgk_x25519_mulx_usable();
}

int wgk_x25519_ladder(void) {
    return use_mulx;
}

static __attribute__((noinline)) int x25519_compute(uint8_t out[32], const uint8_t scalar[32], const uint8_t u[32],
                                                    int mulx) {
    uint8_t k[32], r[32];
    /* Both inputs are read before out is written, so out may be scalar or u. */
    memcpy(k, scalar, 32);
    k[0] &= 248; /* decodeScalar25519 */
    k[31] &= 127;
    k[31] |= 64;
    if (mulx) {
        wgk_x25519_mulx(r, k, u);
    } else {
        x25519_portable(r, k, u);
    }
    uint32_t any = 0;
    for (int i = 0; i < 32; i++) {
        any |= r[i];
    }
    memcpy(out, r, 32);
    wipe(k, sizeof k);
    wipe(r, sizeof r);
    /* any is 0..255; any - 1 wraps to 2^32 - 1 only when it is 0. */
    return (int)((any - 1) >> 31);
}

/*
 * The fixed-base multiplication for public keys, k B with B the base point (u = 9), done on
 * edwards25519 (-x^2 + y^2 = 1 + d x^2 y^2, birationally equivalent to Curve25519, RFC 7748
 * section 4.1), where two points can be added, so multiples of B can be computed in advance.
 * The result goes back to Curve25519 as u = (1 + y) / (1 - y).
 *
 * The clamped scalar is written with 64 signed digits in base 16, k = sum e_i 16^i, e_i in
 * [-8, 8]. TABLE[j][m - 1] = m 256^j B for m = 1..8, j = 0..31, is built once when the library
 * loads. Then k B = 16 (sum over odd i of e_i 256^((i - 1) / 2) B) + sum over even i of
 * e_i 256^(i / 2) B: 64 additions of a table entry and 4 doublings, against the ladder's 255
 * steps.
 *
 * Points are kept in extended coordinates (X : Y : Z : T): x = X / Z, y = Y / Z, x y = T / Z.
 * Table entries are affine, as (y + x, y - x, 2 d x y), the form the addition uses. Addition and
 * doubling are the a = -1 formulas of Hisil, Wong, Carter and Dawson (2008); the addition is
 * complete on this curve (a square, d not), so it is also right for equal points and the
 * identity.
 *
 * Constant time: the table row is fixed by the digit's position; within it every entry is read
 * for every digit and the right one kept by mask, and the sign is applied by mask too. The
 * table holds multiples of the public base point only. The scalar, its digits and the running
 * point are wiped by wgk_x25519_base's stack wipe (burn_stack) and, at the top level, one by one.
 */

typedef struct {
    fe X, Y, Z, T;
} ge;

typedef struct {
    fe ypx, ymx, xy2d;
} ge_affine;

/* 2 d, d = -121665 / 121666 (RFC 7748 section 4.1, RFC 8032 section 5.1). */
static const fe ED_2D = {0x69b9426b2f159ULL, 0x35050762add7aULL, 0x3cf44c0038052ULL, 0x6738cc7407977ULL, 0x2406d9dc56dffULL};
/* B, the base point (RFC 8032 section 5.1: y = 4/5, x the even root); its u is 9. */
static const fe BASE_X = {0x62d608f25d51aULL, 0x412a4b4f6592aULL, 0x75b7171a4b31dULL, 0x1ff60527118feULL, 0x216936d3cd6e5ULL};
static const fe BASE_Y = {0x6666666666658ULL, 0x4ccccccccccccULL, 0x1999999999999ULL, 0x3333333333333ULL, 0x6666666666666ULL};
static const fe FE_ZERO = {0, 0, 0, 0, 0};

static ge_affine TABLE[32][8];

/* The last step of both the addition and the doubling: (E F : G H : F G : E H). */
INLINE void ge_from_efgh(ge *r, const fe e, const fe f, const fe g, const fe h) {
    fe_mul(r->X, e, f);
    fe_mul(r->Y, g, h);
    fe_mul(r->T, e, h);
    fe_mul(r->Z, f, g);
}

/* r = p + q. r may be p. Limbs of p's coordinates: outputs of fe_mul (or the identity's). */
INLINE void ge_add_affine(ge *r, const ge *p, const ge_affine *q) {
    fe a, b, c, d, e, f, g, h;
    fe_sub(a, p->Y, p->X);
    fe_mul(a, a, q->ymx);    /* A = (Y1 - X1)(y2 - x2) */
    fe_add(b, p->Y, p->X);
    fe_mul(b, b, q->ypx);    /* B = (Y1 + X1)(y2 + x2) */
    fe_mul(c, p->T, q->xy2d); /* C = T1 2 d x2 y2 */
    fe_add(d, p->Z, p->Z);   /* D = 2 Z1 */
    fe_sub(e, b, a);
    fe_sub(f, d, c);
    fe_add(g, d, c);
    fe_add(h, b, a);
    ge_from_efgh(r, e, f, g, h);
}

/* r = 2 p. r may be p. With A = X^2, B = Y^2: E = 2 X Y, G = B - A, H = A + B, F = 2 Z^2 + A - B;
 * (E F : G H : F G : E H), every coordinate the negative of the textbook one's, the same point. */
static void ge_double(ge *r, const ge *p) {
    fe a, b, c, e, f, g, h;
    fe_sq(a, p->X);
    fe_sq(b, p->Y);
    fe_sq(c, p->Z);
    fe_add(e, p->X, p->Y);
    fe_sq(e, e);
    fe_sub(e, e, a);
    fe_sub(e, e, b);         /* E = (X + Y)^2 - A - B */
    fe_sub(g, b, a);
    fe_add(h, a, b);
    fe_add(f, c, c);
    fe_add(f, f, a);
    fe_sub(f, f, b);         /* F = 2 Z^2 + A - B */
    ge_from_efgh(r, e, f, g, h);
}

static void ge_to_affine(ge_affine *r, const ge *p) {
    fe zi, x, y;
    fe_invert(zi, p->Z);
    fe_mul(x, p->X, zi);
    fe_mul(y, p->Y, zi);
    fe_add(r->ypx, y, x);
    fe_sub(r->ymx, y, x);
    fe_mul(r->xy2d, x, y);
    fe_mul(r->xy2d, r->xy2d, ED_2D);
}

/* The table, once, as the library loads (public values: nothing to wipe). About a millisecond. */
static __attribute__((constructor)) void build_table(void) {
    ge row, acc;
    memcpy(row.X, BASE_X, sizeof(fe));
    memcpy(row.Y, BASE_Y, sizeof(fe));
    memset(row.Z, 0, sizeof(fe));
    row.Z[0] = 1;
    fe_mul(row.T, BASE_X, BASE_Y);
    for (int j = 0; j < 32; j++) { /* row = 256^j B */
        ge_to_affine(&TABLE[j][0], &row);
        acc = row;
        for (int m = 2; m <= 8; m++) {
            ge_add_affine(&acc, &acc, &TABLE[j][0]);
            ge_to_affine(&TABLE[j][m - 1], &acc);
        }
        for (int i = 0; i < 8; i++) {
            ge_double(&row, &row);
        }
    }
}

/* t = e TABLE[j] (e 256^j B), e in [-8, 8], reading all eight entries of the row. */
INLINE void table_select(ge_affine *t, int j, int8_t e) {
    uint64_t negative = (uint64_t)(uint8_t)e >> 7;
    uint64_t nmask = 0 - negative;
    uint64_t magnitude = (((uint64_t)(int64_t)e) ^ nmask) - nmask; /* |e|, 0..8 */
    for (int i = 0; i < 5; i++) { /* the identity: (1, 1, 0) */
        t->ypx[i] = i == 0;
        t->ymx[i] = i == 0;
        t->xy2d[i] = 0;
    }
    for (uint64_t m = 1; m <= 8; m++) {
        uint64_t take = 0 - (((magnitude ^ m) - 1) >> 63); /* all ones when magnitude == m */
        const ge_affine *q = &TABLE[j][m - 1];
        /* One loop over the limbs for all three fields: a masked-move helper per field measured
         * 7% slower for the whole multiplication (gcc 12, -O2). */
        for (int i = 0; i < 5; i++) {
            t->ypx[i] ^= take & (t->ypx[i] ^ q->ypx[i]);
            t->ymx[i] ^= take & (t->ymx[i] ^ q->ymx[i]);
            t->xy2d[i] ^= take & (t->xy2d[i] ^ q->xy2d[i]);
        }
    }
    /* -(x, y) = (-x, y): y + x and y - x trade places, 2 d x y changes sign. */
    fe minus;
    fe_cswap(t->ypx, t->ymx, negative);
    fe_sub(minus, FE_ZERO, t->xy2d);
    for (int i = 0; i < 5; i++) {
        t->xy2d[i] ^= nmask & (t->xy2d[i] ^ minus[i]);
    }
}

static __attribute__((noinline)) void x25519_base_compute(uint8_t out[32], const uint8_t scalar[32]) {
    uint8_t k[32];
    int8_t e[64];
    ge h;
    ge_affine t;
    fe num, den, inv, u;
    memcpy(k, scalar, 32);
    k[0] &= 248; /* decodeScalar25519 */
    k[31] &= 127;
    k[31] |= 64;
    for (int i = 0; i < 32; i++) {
        e[2 * i] = (int8_t)(k[i] & 15);
        e[2 * i + 1] = (int8_t)(k[i] >> 4);
    }
    int8_t carry = 0; /* digits 0..15 become -8..7; the last takes the carry, 0..8 as k < 2^255 */
    for (int i = 0; i < 63; i++) {
        e[i] = (int8_t)(e[i] + carry);
        carry = (int8_t)((e[i] + 8) >> 4);
        e[i] = (int8_t)(e[i] - carry * 16);
    }
    e[63] = (int8_t)(e[63] + carry);

    memset(&h, 0, sizeof h); /* the identity (0 : 1 : 1 : 0) */
    h.Y[0] = 1;
    h.Z[0] = 1;
    for (int i = 1; i < 64; i += 2) {
        table_select(&t, i / 2, e[i]);
        ge_add_affine(&h, &h, &t);
    }
    ge_double(&h, &h);
    ge_double(&h, &h);
    ge_double(&h, &h);
    ge_double(&h, &h);
    for (int i = 0; i < 64; i += 2) {
        table_select(&t, i / 2, e[i]);
        ge_add_affine(&h, &h, &t);
    }
    fe_add(num, h.Z, h.Y); /* u = (1 + y) / (1 - y) = (Z + Y) / (Z - Y) */
    fe_sub(den, h.Z, h.Y);
    fe_invert(inv, den);
    fe_mul(u, num, inv);
    fe_tobytes(out, u);
    wipe(k, sizeof k);
    wipe(e, sizeof e);
    wipe(&h, sizeof h);
    wipe(&t, sizeof t);
    wipe(num, sizeof num);
    wipe(den, sizeof den);
    wipe(inv, sizeof inv);
    wipe(u, sizeof u);
}

/* Clears the stack below the caller's frame, where x25519_compute and its callees kept their
 * frames (and the compiler its spills). */
static __attribute__((noinline)) void burn_stack(void) {
    uint8_t area[BURN_BYTES];
    explicit_bzero(area, sizeof area);
}

int wgk_x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t u[32]) {
    int zero = x25519_compute(out, scalar, u, use_mulx);
    burn_stack();
    return zero;
}

int wgk_x25519_portable(uint8_t out[32], const uint8_t scalar[32], const uint8_t u[32]) {
    int zero = x25519_compute(out, scalar, u, 0);
    burn_stack();
    return zero;
}

void wgk_x25519_base(uint8_t out[32], const uint8_t scalar[32]) {
    x25519_base_compute(out, scalar);
    burn_stack();
}
