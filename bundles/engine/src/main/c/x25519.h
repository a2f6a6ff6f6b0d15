/*
 * X25519 (RFC 7748, section 5) on 64-bit limbs, for the engine's handshakes.
 */
#ifndef WGK_X25519_H
#define WGK_X25519_H

#include <stdint.h>

/*
 * out = X25519(scalar, u). The scalar is clamped here (decodeScalar25519), the top bit of u is
 * ignored and a non-canonical u (p .. 2^255 - 1) is accepted, as RFC 7748 says; out is the
 * canonical encoding. Returns 1 when out is all zeros (u of low order), else 0, decided in
 * constant time. No secret is left on the stack: every buffer of the computation is wiped
 * before returning. out may not overlap scalar or u.
 */
int wgk_x25519(uint8_t out[32], const uint8_t scalar[32], const uint8_t u[32]);

/*
 * out = X25519(scalar, 9): the public key of a private one, by a fixed-base multiplication over
 * a table of multiples of the base point, built when the library loads. Same result as
 * wgk_x25519(out, scalar, u = 9), in less than half the time; the same wiping. out may be
 * scalar (the scalar is read first).
 */
void wgk_x25519_base(uint8_t out[32], const uint8_t scalar[32]);

#endif
