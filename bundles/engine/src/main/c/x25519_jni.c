/*
 * JNI entry of org.wgkaraf.engine.crypto.X25519Native: the arrays are used in place
 * (GetPrimitiveArrayCritical), nothing is allocated and nothing calls back into Java.
 */
#define _DEFAULT_SOURCE /* explicit_bzero */
#include <jni.h>
#include <string.h>

#include "x25519.h"
#include "x25519_internal.h"

/* Returned when the JVM handed out a copy instead of the array itself: out is left untouched
 * (the caller computes the result another way). HotSpot does not copy primitive arrays here. */
#define NOT_IN_PLACE (-1)
/* An array shorter than 32 bytes. */
#define TOO_SHORT (-2)
/* GetPrimitiveArrayCritical failed; an OutOfMemoryError is pending. */
#define NO_ARRAY (-3)

/*
 * out = X25519(scalar, u), or X25519(scalar, 9) when u is NULL (the fixed-base multiplication),
 * on the arrays pinned in place. Returns what agree returns.
 */
static jint compute(JNIEnv *env, jbyteArray out, jbyteArray scalar, jbyteArray u) {
    if ((*env)->GetArrayLength(env, out) < 32 || (*env)->GetArrayLength(env, scalar) < 32
        || (u != NULL && (*env)->GetArrayLength(env, u) < 32)) {
        return TOO_SHORT;
    }
    jboolean scalarCopied = JNI_FALSE, uCopied = JNI_FALSE, outCopied = JNI_FALSE;
    uint8_t *k = (*env)->GetPrimitiveArrayCritical(env, scalar, &scalarCopied);
    if (k == NULL) {
        return NO_ARRAY;
    }
    uint8_t *p = NULL;
    if (u != NULL) {
        p = (*env)->GetPrimitiveArrayCritical(env, u, &uCopied);
        if (p == NULL) {
            if (scalarCopied) {
                explicit_bzero(k, 32);
            }
            (*env)->ReleasePrimitiveArrayCritical(env, scalar, k, JNI_ABORT);
            return NO_ARRAY;
        }
    }
    uint8_t *r = (*env)->GetPrimitiveArrayCritical(env, out, &outCopied);
    if (r == NULL) {
        if (p != NULL) {
            (*env)->ReleasePrimitiveArrayCritical(env, u, p, JNI_ABORT);
        }
        if (scalarCopied) {
            explicit_bzero(k, 32);
        }
        (*env)->ReleasePrimitiveArrayCritical(env, scalar, k, JNI_ABORT);
        return NO_ARRAY;
    }
    jint result;
    if (scalarCopied || uCopied || outCopied) {
        /* A copy of the scalar would outlive this call in memory the JVM frees without clearing,
         * and a copy of out would carry the secret there: compute nothing, wipe the scalar's copy. */
        result = NOT_IN_PLACE;
    } else if (p != NULL) {
        result = wgk_x25519(r, k, p);
    } else {
        wgk_x25519_base(r, k);
        result = 0;
    }
    (*env)->ReleasePrimitiveArrayCritical(env, out, r, result == NOT_IN_PLACE ? JNI_ABORT : 0);
    if (p != NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, u, p, JNI_ABORT);
    }
    if (scalarCopied) {
        explicit_bzero(k, 32);
    }
    (*env)->ReleasePrimitiveArrayCritical(env, scalar, k, JNI_ABORT);
    return result;
}

/*
 * static native int agree(byte[] out, byte[] scalar, byte[] u): out = X25519(scalar, u).
 * Returns 1 when out is all zeros, 0 otherwise, or one of the negative codes above. The arrays
 * may be the same array.
 */
JNIEXPORT jint JNICALL Java_org_wgkaraf_engine_crypto_X25519Native_agree(JNIEnv *env, jclass cls, jbyteArray out,
                                                                        jbyteArray scalar, jbyteArray u) {
    (void)cls;
    return compute(env, out, scalar, u);
}

/*
 * static native int publicKey(byte[] out, byte[] scalar): out = X25519(scalar, 9) by the
 * fixed-base multiplication. Returns 0, or one of the negative codes above. The arrays may be
 * the same array.
 */
JNIEXPORT jint JNICALL Java_org_wgkaraf_engine_crypto_X25519Native_publicKey(JNIEnv *env, jclass cls, jbyteArray out,
                                                                            jbyteArray scalar) {
    (void)cls;
    return compute(env, out, scalar, NULL);
}

/*
 * static native int ladder(): 1 when agreements use the BMI2/ADX ladder (x25519_mulx.c), 0 when
 * the portable one; decided when the library loaded.
 */
JNIEXPORT jint JNICALL Java_org_wgkaraf_engine_crypto_X25519Native_ladder(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return wgk_x25519_ladder(); /* the load-time choice: cpuid again would trap to a hypervisor */
}
