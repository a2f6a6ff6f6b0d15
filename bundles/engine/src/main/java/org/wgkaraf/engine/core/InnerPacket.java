package org.wgkaraf.engine.core;

/** The little the engine needs to know of an inner IP packet: version, length, addresses. */
final class InnerPacket {
    private InnerPacket() {
    }

    /**
     * The packet's own length from its header (the decrypted plaintext carries padding), or -1
     * when the header is not a valid IPv4 or IPv6 one or claims more than {@code available}.
     */
    static int length(byte[] b, int off, int available) {
        if (available < 1) {
            return -1;
        }
        int version = (b[off] & 0xff) >>> 4;
        if (version == 4) {
            if (available < 20 || (b[off] & 0x0f) < 5) {
                return -1;
            }
            int total = (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
            return total < 20 || total > available || total < (b[off] & 0x0f) * 4 ? -1 : total;
        }
        if (version == 6) {
            if (available < 40) {
                return -1;
            }
            int total = 40 + ((b[off + 4] & 0xff) << 8 | (b[off + 5] & 0xff));
            return total > available ? -1 : total;
        }
        return -1;
    }

    static int sourceOffset(byte[] b, int off) {
        return (b[off] & 0xf0) == 0x40 ? 12 : 8;
    }

    static int destinationOffset(byte[] b, int off) {
        return (b[off] & 0xf0) == 0x40 ? 16 : 24;
    }

    static int addressLength(byte[] b, int off) {
        return (b[off] & 0xf0) == 0x40 ? 4 : 16;
    }
}
