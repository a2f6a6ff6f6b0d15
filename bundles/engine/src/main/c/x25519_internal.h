/*
 * Between the files of the native X25519: not part of the library's interface (the symbols are
 * hidden in the shared library; the build's C tests link the objects and call them directly).
 */
#ifndef WGK_X25519_INTERNAL_H
#define WGK_X25519_INTERNAL_H

#include <stdint.h>

/*
 * r = X25519(k, u) by the ladder of x25519_mulx.c, for a scalar k already clamped; r is the
 * canonical encoding. Only to be called when wgk_x25519_mulx_usable() said 1. r may not
 * overlap k or u.
 */
void wgk_x25519_mulx(uint8_t r[32], const uint8_t k[32], const uint8_t u[32]);

/* 1 when this processor has BMI2 and ADX (x86-64 only), else 0. */
int wgk_x25519_mulx_usable(void);

/* 1 when wgk_x25519 uses wgk_x25519_mulx (decided once, as the library loaded), 0 when the
 * portable ladder. */
int wgk_x25519_ladder(void);

/*
 * The same as wgk_x25519 by the portable radix-2^51 ladder whatever the processor, wiping the
 * stack as wgk_x25519 does; for the build's test that compares the two ladders.
 */
int wgk_x25519_portable(uint8_t out[32], const uint8_t scalar[32], const uint8_t u[32]);

#endif
