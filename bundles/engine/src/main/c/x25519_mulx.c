/*
 * The Montgomery ladder of X25519 (RFC 7748, section 5) for x86-64 processors with the BMI2
 * and ADX extensions (mulx, adcx, adox): Intel since Broadwell (2014), AMD since Zen (2017).
 * x25519.c calls it when the processor has them (checked once, with cpuid) and its portable
 * ladder otherwise; both give the same bytes (x25519_mulx_test, run by build.sh, compares them).
 *
 * Field elements are four 64-bit limbs, value f0 + f1 2^64 + f2 2^128 + f3 2^192, any value
 * below 2^256 that is congruent mod p = 2^255 - 19 (not reduced further until the result is
 * encoded). With 2^256 = 38 (mod p), a 512-bit product folds back as low + 38 high. A 4 x 4 limb
 * product runs two carry chains at once: adcx carries through CF, adox through OF, and mulx
 * touches neither flag. On the machine of the benchmark (AMD EPYC) an agreement takes 29.6 us
 * against 34.1 for the radix-2^51 ladder in C (docs/performance.md).
 *
 * Constant time: no branch and no memory index depends on a secret; carries are folded with
 * masks (sbb, and), the ladder's swap is masked. Every buffer is wiped before return, as in
 * x25519.c, and the caller's burn_stack covers this file's frames and spills too.
 */
#define _DEFAULT_SOURCE /* explicit_bzero */
#include <string.h>

#include "x25519_internal.h"

#if defined(__x86_64__)

typedef uint64_t f4[4];

#define INLINE static inline __attribute__((always_inline))

/*
 * After an addition into r8 (the low limb): carries it up through r11; a carry out of r11 is
 * worth 2^256 = 38, added to r8, which cannot carry again (after a wrap the low limb is small).
 * Then stores r8..r11 at r. Overwrites rcx.
 */
#define F4_CARRY_FOLD_STORE                                                                    \
    "adcq $0, %%r9\n\t"                                                                        \
    "adcq $0, %%r10\n\t"                                                                       \
    "adcq $0, %%r11\n\t"                                                                       \
    "sbbq %%rcx, %%rcx\n\t"                                                                    \
    "andq $38, %%rcx\n\t"                                                                      \
    "addq %%rcx, %%r8\n\t"                                                                     \
    "movq %%r8, 0(%[r])\n\t"                                                                   \
    "movq %%r9, 8(%[r])\n\t"                                                                   \
    "movq %%r10, 16(%[r])\n\t"                                                                 \
    "movq %%r11, 24(%[r])\n\t"

/*
 * The last step of a product or square: r8..r11 hold the low 256 bits, r12..r15 the high 256.
 * low + 38 high is below 2^256 + 38 2^256, a fifth limb c < 39 (rcx); c 2^256 = 38 c folds into
 * the low limb, and a carry out of that (the value wrapped once more) is worth 38 again, which
 * then cannot carry (the low limb is small after a wrap). Overwrites rbx, rcx and rdx.
 */
#define F4_REDUCE                                                                              \
    "movl $38, %%edx\n\t"                                                                      \
    "xorl %%ecx, %%ecx\n\t"                                                                    \
    "mulxq %%r12, %%rbx, %%rcx\n\t"                                                            \
    "adcxq %%rbx, %%r8\n\t"                                                                    \
    "adoxq %%rcx, %%r9\n\t"                                                                    \
    "mulxq %%r13, %%rbx, %%rcx\n\t"                                                            \
    "adcxq %%rbx, %%r9\n\t"                                                                    \
    "adoxq %%rcx, %%r10\n\t"                                                                   \
    "mulxq %%r14, %%rbx, %%rcx\n\t"                                                            \
    "adcxq %%rbx, %%r10\n\t"                                                                   \
    "adoxq %%rcx, %%r11\n\t"                                                                   \
    "mulxq %%r15, %%rbx, %%rcx\n\t"                                                            \
    "adcxq %%rbx, %%r11\n\t"                                                                   \
    "movl $0, %%ebx\n\t"                                                                      \
    "adoxq %%rbx, %%rcx\n\t"                                                                   \
    "adcxq %%rbx, %%rcx\n\t"                                                                   \
    "imulq $38, %%rcx, %%rcx\n\t"                                                              \
    "addq %%rcx, %%r8\n\t"                                                                     \
    F4_CARRY_FOLD_STORE

/*
 * One row of the schoolbook product after the first: t[i..i+4] += a_i (b0..b3), with rdx = a_i.
 * The low halves go into t[i..i+3] on the CF chain, the high halves into t[i+1..i+3] on the OF
 * chain, the last high half straight into the new limb t[i+4], which then takes both carries
 * (the partial product fits in i + 5 limbs, so that cannot overflow).
 */
#define F4_ROW(A, T0, T1, T2, T3, T4)                                                          \
    "movq " A ", %%rdx\n\t"                                                                    \
    "xorl %%ecx, %%ecx\n\t"                                                                    \
    "mulxq 0(%[b]), %%rbx, %%rcx\n\t"                                                          \
    "adcxq %%rbx, " T0 "\n\t"                                                                  \
    "adoxq %%rcx, " T1 "\n\t"                                                                  \
    "mulxq 8(%[b]), %%rbx, %%rcx\n\t"                                                          \
    "adcxq %%rbx, " T1 "\n\t"                                                                  \
    "adoxq %%rcx, " T2 "\n\t"                                                                  \
    "mulxq 16(%[b]), %%rbx, %%rcx\n\t"                                                         \
    "adcxq %%rbx, " T2 "\n\t"                                                                  \
    "adoxq %%rcx, " T3 "\n\t"                                                                  \
    "mulxq 24(%[b]), %%rbx, " T4 "\n\t"                                                        \
    "adcxq %%rbx, " T3 "\n\t"                                                                  \
    "movl $0, %%ecx\n\t"                                                                      \
    "adoxq %%rcx, " T4 "\n\t"                                                                  \
    "adcxq %%rcx, " T4 "\n\t"

/* r = a b (mod p), r < 2^256. r may be a or b. */
INLINE void f4_mul(f4 r, const f4 a, const f4 b) {
    __asm__ volatile(
        /* Row 0 needs one chain only: t0..t4 = a0 (b0..b3). */
        "movq 0(%[a]), %%rdx\n\t"
        "mulxq 0(%[b]), %%r8, %%r9\n\t"
        "mulxq 8(%[b]), %%rbx, %%r10\n\t"
        "addq %%rbx, %%r9\n\t"
        "mulxq 16(%[b]), %%rbx, %%r11\n\t"
        "adcq %%rbx, %%r10\n\t"
        "mulxq 24(%[b]), %%rbx, %%r12\n\t"
        "adcq %%rbx, %%r11\n\t"
        "adcq $0, %%r12\n\t"
        F4_ROW("8(%[a])", "%%r9", "%%r10", "%%r11", "%%r12", "%%r13")
        F4_ROW("16(%[a])", "%%r10", "%%r11", "%%r12", "%%r13", "%%r14")
        F4_ROW("24(%[a])", "%%r11", "%%r12", "%%r13", "%%r14", "%%r15")
        F4_REDUCE
        :
        : [r] "r"(r), [a] "r"(a), [b] "r"(b)
        : "rbx", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "cc", "memory");
}

/*
 * r = a^2 (mod p), r < 2^256. r may be a. The six products a_i a_j (i < j) once, doubled (CF
 * chain) while the four squares a_i^2 are added in (OF chain).
 */
INLINE void f4_sq(f4 r, const f4 a) {
    __asm__ volatile(
        /* t1..t6 = sum of a_i a_j 2^(64 (i + j)) over i < j. */
        "movq 0(%[a]), %%rdx\n\t"
        "xorl %%ecx, %%ecx\n\t"
        "mulxq 8(%[a]), %%r9, %%r10\n\t"
        "mulxq 16(%[a]), %%rbx, %%r11\n\t"
        "adcxq %%rbx, %%r10\n\t"
        "mulxq 24(%[a]), %%rbx, %%r12\n\t"
        "adcxq %%rbx, %%r11\n\t"
        "adcxq %%rcx, %%r12\n\t"
        "movq 8(%[a]), %%rdx\n\t"
        "xorl %%ecx, %%ecx\n\t"
        "mulxq 16(%[a]), %%rbx, %%rcx\n\t"
        "adcxq %%rbx, %%r11\n\t"
        "adoxq %%rcx, %%r12\n\t"
        "mulxq 24(%[a]), %%rbx, %%r13\n\t"
        "adcxq %%rbx, %%r12\n\t"
        "movl $0, %%ecx\n\t"
        "adoxq %%rcx, %%r13\n\t"
        "adcxq %%rcx, %%r13\n\t"
        "movq 16(%[a]), %%rdx\n\t"
        "mulxq 24(%[a]), %%rbx, %%r14\n\t"
        "addq %%rbx, %%r13\n\t"
        "adcq $0, %%r14\n\t"
        /* t0..t7 = 2 (t1..t6) + a0^2 + a1^2 2^128 + a2^2 2^256 + a3^2 2^384. */
        "xorl %%ecx, %%ecx\n\t"
        "movq 0(%[a]), %%rdx\n\t"
        "mulxq %%rdx, %%r8, %%rcx\n\t"
        "adcxq %%r9, %%r9\n\t"
        "adoxq %%rcx, %%r9\n\t"
        "movq 8(%[a]), %%rdx\n\t"
        "mulxq %%rdx, %%rbx, %%rcx\n\t"
        "adcxq %%r10, %%r10\n\t"
        "adoxq %%rbx, %%r10\n\t"
        "adcxq %%r11, %%r11\n\t"
        "adoxq %%rcx, %%r11\n\t"
        "movq 16(%[a]), %%rdx\n\t"
        "mulxq %%rdx, %%rbx, %%rcx\n\t"
        "adcxq %%r12, %%r12\n\t"
        "adoxq %%rbx, %%r12\n\t"
        "adcxq %%r13, %%r13\n\t"
        "adoxq %%rcx, %%r13\n\t"
        "movq 24(%[a]), %%rdx\n\t"
        "mulxq %%rdx, %%rbx, %%r15\n\t"
        "adcxq %%r14, %%r14\n\t"
        "adoxq %%rbx, %%r14\n\t"
        "movl $0, %%ecx\n\t" /* a zero that leaves the flags alone */
        "adcxq %%rcx, %%r15\n\t"
        "adoxq %%rcx, %%r15\n\t"
        F4_REDUCE
        :
        : [r] "r"(r), [a] "r"(a)
        : "rbx", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "cc", "memory");
}

/* r = a + b (mod p), r < 2^256: a carry out of bit 255 is worth 38, folded twice as above. */
INLINE void f4_add(f4 r, const f4 a, const f4 b) {
    __asm__ volatile(
        "movq 0(%[a]), %%r8\n\t"
        "addq 0(%[b]), %%r8\n\t"
        "movq 8(%[a]), %%r9\n\t"
        "adcq 8(%[b]), %%r9\n\t"
        "movq 16(%[a]), %%r10\n\t"
        "adcq 16(%[b]), %%r10\n\t"
        "movq 24(%[a]), %%r11\n\t"
        "adcq 24(%[b]), %%r11\n\t"
        "sbbq %%rcx, %%rcx\n\t"
        "andq $38, %%rcx\n\t"
        "addq %%rcx, %%r8\n\t"
        F4_CARRY_FOLD_STORE
        :
        : [r] "r"(r), [a] "r"(a), [b] "r"(b)
        : "rcx", "r8", "r9", "r10", "r11", "cc", "memory");
}

/*
 * r = a - b (mod p), r < 2^256: a borrow out of bit 255 took 2^256 = 38 too much, so 38 is
 * taken off, twice at most (after a second borrow the low limb is near 2^64 and cannot borrow).
 */
INLINE void f4_sub(f4 r, const f4 a, const f4 b) {
    __asm__ volatile(
        "movq 0(%[a]), %%r8\n\t"
        "subq 0(%[b]), %%r8\n\t"
        "movq 8(%[a]), %%r9\n\t"
        "sbbq 8(%[b]), %%r9\n\t"
        "movq 16(%[a]), %%r10\n\t"
        "sbbq 16(%[b]), %%r10\n\t"
        "movq 24(%[a]), %%r11\n\t"
        "sbbq 24(%[b]), %%r11\n\t"
        "sbbq %%rcx, %%rcx\n\t"
        "andq $38, %%rcx\n\t"
        "subq %%rcx, %%r8\n\t"
        "sbbq $0, %%r9\n\t"
        "sbbq $0, %%r10\n\t"
        "sbbq $0, %%r11\n\t"
        "sbbq %%rcx, %%rcx\n\t"
        "andq $38, %%rcx\n\t"
        "subq %%rcx, %%r8\n\t"
        "movq %%r8, 0(%[r])\n\t"
        "movq %%r9, 8(%[r])\n\t"
        "movq %%r10, 16(%[r])\n\t"
        "movq %%r11, 24(%[r])\n\t"
        :
        : [r] "r"(r), [a] "r"(a), [b] "r"(b)
        : "rcx", "r8", "r9", "r10", "r11", "cc", "memory");
}

/* r = a a24 (mod p), a24 = (486662 - 2) / 4 = 121665; the fifth limb is below 2^17. */
INLINE void f4_mul_a24(f4 r, const f4 a) {
    __asm__ volatile(
        "movl $121665, %%edx\n\t"
        "mulxq 0(%[a]), %%r8, %%rcx\n\t"
        "mulxq 8(%[a]), %%r9, %%rbx\n\t"
        "addq %%rcx, %%r9\n\t"
        "mulxq 16(%[a]), %%r10, %%rcx\n\t"
        "adcq %%rbx, %%r10\n\t"
        "mulxq 24(%[a]), %%r11, %%rbx\n\t"
        "adcq %%rcx, %%r11\n\t"
        "adcq $0, %%rbx\n\t"
        "imulq $38, %%rbx, %%rbx\n\t"
        "addq %%rbx, %%r8\n\t"
        F4_CARRY_FOLD_STORE
        :
        : [r] "r"(r), [a] "r"(a)
        : "rbx", "rcx", "rdx", "r8", "r9", "r10", "r11", "cc", "memory");
}

/*
 * Swaps f and g when bit is 1, leaves them when 0, with the same instructions either way. In
 * assembly, limb by limb: written in C, gcc moved pairs of limbs with 16-byte vector loads,
 * which cannot take their data from the two 8-byte stores the field operations just made (a
 * store-forwarding stall at the top of every ladder step; the agreement took a fifth longer).
 */
INLINE void f4_cswap(f4 f, f4 g, uint64_t bit) {
    uint64_t mask = 0 - bit;
    __asm__ volatile(
#define F4_CSWAP_LIMB(O)                                                                       \
        "movq " O "(%[f]), %%r8\n\t"                                                          \
        "movq " O "(%[g]), %%r9\n\t"                                                          \
        "movq %%r8, %%r10\n\t"                                                                \
        "xorq %%r9, %%r10\n\t"                                                                \
        "andq %[mask], %%r10\n\t"                                                             \
        "xorq %%r10, %%r8\n\t"                                                                \
        "xorq %%r10, %%r9\n\t"                                                                \
        "movq %%r8, " O "(%[f])\n\t"                                                          \
        "movq %%r9, " O "(%[g])\n\t"
        F4_CSWAP_LIMB("0") F4_CSWAP_LIMB("8") F4_CSWAP_LIMB("16") F4_CSWAP_LIMB("24")
#undef F4_CSWAP_LIMB
        :
        : [f] "r"(f), [g] "r"(g), [mask] "r"(mask)
        : "r8", "r9", "r10", "cc", "memory");
}

static void f4_sq_n(f4 r, const f4 a, int n) {
    f4_sq(r, a);
    for (int i = 1; i < n; i++) {
        f4_sq(r, r);
    }
}

static inline uint64_t load64_le(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8); /* x86-64 is little-endian */
    return v;
}

/* decodeUCoordinate: bit 255 dropped; p .. 2^255 - 1 kept as they are (they act as u - p). */
static void f4_frombytes(f4 h, const uint8_t s[32]) {
    h[0] = load64_le(s);
    h[1] = load64_le(s + 8);
    h[2] = load64_le(s + 16);
    h[3] = load64_le(s + 24) & 0x7fffffffffffffffULL;
}

/* The canonical encoding of f (< 2^256): reduced into [0, p). */
static void f4_tobytes(uint8_t s[32], const f4 f) {
    uint64_t h[4] = {f[0], f[1], f[2], f[3]}, t[4];
    unsigned __int128 c;
    /* Bit 255 is worth 19; folding it twice leaves a value below 2^255 (after the first fold
     * the value is below 2^255 + 19, so a second carry leaves a low limb below 19). */
    for (int pass = 0; pass < 2; pass++) {
        c = (unsigned __int128)h[0] + 19 * (h[3] >> 63);
        h[3] &= 0x7fffffffffffffffULL;
        h[0] = (uint64_t)c;
        for (int i = 1; i < 4; i++) {
            c = (unsigned __int128)h[i] + (uint64_t)(c >> 64);
            h[i] = (uint64_t)c;
        }
    }
    /* h >= p exactly when h + 19 reaches 2^255; then the result is h + 19 - 2^255. */
    c = (unsigned __int128)h[0] + 19;
    t[0] = (uint64_t)c;
    for (int i = 1; i < 4; i++) {
        c = (unsigned __int128)h[i] + (uint64_t)(c >> 64);
        t[i] = (uint64_t)c;
    }
    uint64_t mask = 0 - (t[3] >> 63);
    t[3] &= 0x7fffffffffffffffULL;
    for (int i = 0; i < 4; i++) {
        uint64_t v = (t[i] & mask) | (h[i] & ~mask);
        memcpy(s + 8 * i, &v, 8);
    }
    explicit_bzero(h, sizeof h);
    explicit_bzero(t, sizeof t);
}

/* out = z^(p - 2) = 1/z (0 for 0): the chain of x25519.c's fe_invert, on four limbs. */
static void f4_invert(f4 out, const f4 z) {
    struct { /* one block, so that one wipe clears every power */
        f4 z2, z9, z11, z_5, z_10, z_20, z_50, z_100, t;
    } v;
    f4_sq(v.z2, z);
    f4_sq_n(v.t, v.z2, 2);
    f4_mul(v.z9, v.t, z);
    f4_mul(v.z11, v.z9, v.z2);
    f4_sq(v.t, v.z11);
    f4_mul(v.z_5, v.t, v.z9);
    f4_sq_n(v.t, v.z_5, 5);
    f4_mul(v.z_10, v.t, v.z_5);
    f4_sq_n(v.t, v.z_10, 10);
    f4_mul(v.z_20, v.t, v.z_10);
    f4_sq_n(v.t, v.z_20, 20);
    f4_mul(v.t, v.t, v.z_20);
    f4_sq_n(v.t, v.t, 10);
    f4_mul(v.z_50, v.t, v.z_10);
    f4_sq_n(v.t, v.z_50, 50);
    f4_mul(v.z_100, v.t, v.z_50);
    f4_sq_n(v.t, v.z_100, 100);
    f4_mul(v.t, v.t, v.z_100);
    f4_sq_n(v.t, v.t, 50);
    f4_mul(v.t, v.t, v.z_50);
    f4_sq_n(v.t, v.t, 5);
    f4_mul(out, v.t, v.z11);
    explicit_bzero(&v, sizeof v);
}

void wgk_x25519_mulx(uint8_t r[32], const uint8_t k[32], const uint8_t u[32]) {
    /* One block, so that a single wipe clears every intermediate. */
    struct {
        f4 x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d, da, cb, t;
    } v;
    f4_frombytes(v.x1, u);
    memset(v.x2, 0, sizeof v.x2);
    memset(v.z2, 0, sizeof v.z2);
    memset(v.z3, 0, sizeof v.z3);
    memcpy(v.x3, v.x1, sizeof v.x3);
    v.x2[0] = 1;
    v.z3[0] = 1;
    uint64_t swap = 0;
    for (int pos = 254; pos >= 0; pos--) {
        uint64_t bit = (k[pos >> 3] >> (pos & 7)) & 1;
        swap ^= bit;
        f4_cswap(v.x2, v.x3, swap);
        f4_cswap(v.z2, v.z3, swap);
        swap = bit;

        f4_add(v.a, v.x2, v.z2);    /* A = x2 + z2 */
        f4_sq(v.aa, v.a);           /* AA = A^2 */
        f4_sub(v.b, v.x2, v.z2);    /* B = x2 - z2 */
        f4_sq(v.bb, v.b);           /* BB = B^2 */
        f4_sub(v.e, v.aa, v.bb);    /* E = AA - BB */
        f4_add(v.c, v.x3, v.z3);    /* C = x3 + z3 */
        f4_sub(v.d, v.x3, v.z3);    /* D = x3 - z3 */
        f4_mul(v.da, v.d, v.a);     /* DA = D * A */
        f4_mul(v.cb, v.c, v.b);     /* CB = C * B */
        f4_add(v.t, v.da, v.cb);
        f4_sq(v.x3, v.t);           /* x3 = (DA + CB)^2 */
        f4_sub(v.t, v.da, v.cb);
        f4_sq(v.t, v.t);
        f4_mul(v.z3, v.x1, v.t);    /* z3 = x1 * (DA - CB)^2 */
        f4_mul(v.x2, v.aa, v.bb);   /* x2 = AA * BB */
        f4_mul_a24(v.t, v.e);
        f4_add(v.t, v.aa, v.t);
        f4_mul(v.z2, v.e, v.t);     /* z2 = E * (AA + a24 * E) */
    }
    f4_cswap(v.x2, v.x3, swap);
    f4_cswap(v.z2, v.z3, swap);
    f4_invert(v.t, v.z2);
    f4_mul(v.x2, v.x2, v.t);
    f4_tobytes(r, v.x2);
    explicit_bzero(&v, sizeof v);
}

int wgk_x25519_mulx_usable(void) {
    unsigned a, b, c, d;
    /* cpuid leaf 7, subleaf 0: EBX bit 8 is BMI2 (mulx), bit 19 is ADX (adcx, adox). */
    __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(0), "c"(0));
    if (a < 7) {
        return 0;
    }
    __asm__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(7), "c"(0));
    return (b >> 8 & 1) && (b >> 19 & 1);
}

#else

void wgk_x25519_mulx(uint8_t r[32], const uint8_t k[32], const uint8_t u[32]) {
    (void)r;
    (void)k;
    (void)u;
}

int wgk_x25519_mulx_usable(void) {
    return 0;
}

#endif
