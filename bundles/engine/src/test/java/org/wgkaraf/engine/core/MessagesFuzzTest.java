package org.wgkaraf.engine.core;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzz target: the parsers that read a peer's bytes before any authentication, the datagram
 * classifier ({@link Messages#classify}) and the inner packet header ({@link InnerPacket}).
 * Checked against the whitepaper's layouts, and for reading only inside the bytes they are given:
 * the same bytes between random neighbours must give the same answers.
 */
class MessagesFuzzTest {
    @FuzzTest
    void parse(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int lead = input[0] & 0x1f;
        byte fill = input[1];
        byte[] datagram = Arrays.copyOfRange(input, 2, input.length);
        int len = datagram.length;

        byte type = Messages.classify(datagram, 0, len);
        if (type != expectedType(datagram)) {
            throw new AssertionError("classify gave " + type + " for " + len + " bytes starting " + (len > 0 ? datagram[0] : -1));
        }
        int inner = InnerPacket.length(datagram, 0, len);
        if (inner < -1 || inner > len) {
            throw new AssertionError("inner length " + inner + " of " + len + " bytes");
        }
        if (inner >= 0) {
            int addr = InnerPacket.addressLength(datagram, 0);
            if (InnerPacket.sourceOffset(datagram, 0) + addr > inner || InnerPacket.destinationOffset(datagram, 0) + addr > inner) {
                throw new AssertionError("addresses beyond the " + inner + "-byte header");
            }
        }

        // The same bytes at an offset, with other bytes around them: nothing may change.
        byte[] framed = new byte[lead + len + lead];
        Arrays.fill(framed, fill);
        System.arraycopy(datagram, 0, framed, lead, len);
        if (Messages.classify(framed, lead, len) != type || InnerPacket.length(framed, lead, len) != inner) {
            throw new AssertionError("the answer depends on bytes outside the datagram");
        }
    }

    /** The whitepaper's rule: a type byte, three zero bytes, and the type's exact size (transport: at least header and tag). */
    private static byte expectedType(byte[] d) {
        if (d.length < 4 || d[1] != 0 || d[2] != 0 || d[3] != 0) {
            return 0;
        }
        return switch (d[0]) {
            case 1 -> d.length == 148 ? (byte) 1 : -1;
            case 2 -> d.length == 92 ? (byte) 2 : -1;
            case 3 -> d.length == 64 ? (byte) 3 : -1;
            case 4 -> d.length >= 32 ? (byte) 4 : -1;
            default -> 0;
        };
    }
}
