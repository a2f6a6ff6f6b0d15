package org.wgkaraf.api.engine;

import java.util.Base64;

/** Shared parsing for 32-byte WireGuard keys, so every entry point refuses bad keys the same way. */
final class Keys {
    static final int LENGTH = 32;

    private Keys() {
    }

    static byte[] decode(String what, String base64) {
        if (base64 == null || base64.isBlank()) {
            throw new IllegalArgumentException(what + " is empty: expected 44 characters of base64, as printed by 'wg genkey'");
        }
        String s = base64.strip();
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " is not valid base64: expected 44 characters as printed by 'wg genkey'");
        }
        if (raw.length != LENGTH) {
            int n = raw.length;
            java.util.Arrays.fill(raw, (byte) 0);
            throw new IllegalArgumentException(what + " decodes to " + n + " bytes; a WireGuard key is exactly 32 bytes (44 characters of base64)");
        }
        return raw;
    }

    static byte[] checkLength(String what, byte[] raw) {
        if (raw == null || raw.length != LENGTH) {
            throw new IllegalArgumentException(what + " must be exactly 32 bytes");
        }
        return raw.clone();
    }
}
