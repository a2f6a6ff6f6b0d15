package org.wgkaraf.netif;

import java.util.Arrays;

/**
 * A fuzz input read as a harness's operations and their arguments: reads past its end give zeros
 * (and {@link #more()} says false), so every input, however short, is a valid program.
 */
public final class FuzzInput {
    private final byte[] data;
    private int pos;

    public FuzzInput(byte[] data) {
        this.data = data;
    }

    public boolean more() {
        return pos < data.length;
    }

    public int u8() {
        return pos < data.length ? data[pos++] & 0xff : 0;
    }

    public int u16() {
        return u8() << 8 | u8();
    }

    /** Two bytes as a signed number: small steps either way from a reference point. */
    public int s16() {
        return (short) u16();
    }

    public int u32() {
        return u16() << 16 | u16();
    }

    /** Up to {@code n} bytes: fewer when the input ends. */
    public byte[] bytes(int n) {
        int k = Math.max(0, Math.min(n, data.length - pos));
        byte[] out = Arrays.copyOfRange(data, pos, pos + k);
        pos += k;
        return out;
    }
}
