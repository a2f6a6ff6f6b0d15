package org.wgkaraf.netif.tcp;

import org.wgkaraf.netif.ip.Bytes;
import org.wgkaraf.netif.ip.Checksum;
import org.wgkaraf.netif.ip.DropReason;
import org.wgkaraf.netif.ip.Ipv4Header;

/**
 * Reads a TCP segment: a pure function of its bytes and addresses, which never throws for any
 * input (a fuzzer calls {@link #parse} directly). What it cannot use is reported as the
 * {@link DropReason} the layer counts.
 */
final class SegmentParser {
    private SegmentParser() {
    }

    /**
     * Checks and reads the segment {@code b[off, off + len)} that arrived from {@code source} for
     * {@code destination}, into {@code out}.
     *
     * @return null when the segment is usable, else why it must be dropped
     */
    static DropReason parse(int source, int destination, byte[] b, int off, int len, Segment out) {
        if (b == null || off < 0 || len < 0 || off > b.length - len) {
            return DropReason.INTERNAL_ERROR;
        }
        if (len < TcpHeader.LENGTH) {
            return DropReason.TCP_TRUNCATED;
        }
        int headerLength = ((b[off + TcpHeader.DATA_OFFSET] & 0xff) >>> 4) * 4;
        if (headerLength < TcpHeader.LENGTH || headerLength > len) {
            return DropReason.TCP_TRUNCATED;
        }
        if (Checksum.transport(source, destination, Ipv4Header.PROTOCOL_TCP, b, off, len) != 0) {
            return DropReason.TCP_BAD_CHECKSUM;
        }
        int flags = b[off + TcpHeader.FLAGS] & 0x3f;
        if ((flags & (TcpHeader.SYN | TcpHeader.RST)) == (TcpHeader.SYN | TcpHeader.RST)) {
            return DropReason.TCP_BAD_FLAGS; // no genuine segment both opens and resets
        }
        out.source = source;
        out.destination = destination;
        out.sourcePort = Bytes.get16(b, off + TcpHeader.SOURCE_PORT);
        out.destinationPort = Bytes.get16(b, off + TcpHeader.DESTINATION_PORT);
        if (out.sourcePort == 0 || out.destinationPort == 0) {
            return DropReason.TCP_BAD_PORT;
        }
        out.seq = Bytes.get32(b, off + TcpHeader.SEQUENCE);
        out.ack = Bytes.get32(b, off + TcpHeader.ACKNOWLEDGMENT);
        out.flags = flags;
        out.window = Bytes.get16(b, off + TcpHeader.WINDOW);
        out.data = b;
        out.dataOffset = off + headerLength;
        out.dataLength = len - headerLength;
        out.clearOptions();
        return options(b, off + TcpHeader.LENGTH, off + headerLength, (flags & TcpHeader.SYN) != 0, out);
    }

    /**
     * Reads the options between {@code at} and {@code end}. An option whose length runs past the
     * header or is below 2 makes the segment malformed (RFC 9293 3.1 asks only that it not crash
     * us; dropping it is the safe answer). A known option with the wrong length is ignored, as
     * Linux does. MSS, window scale and SACK-permitted count only on a SYN (RFC 9293, RFC 7323,
     * RFC 2018).
     */
    private static DropReason options(byte[] b, int at, int end, boolean syn, Segment out) {
        while (at < end) {
            int kind = b[at] & 0xff;
            if (kind == TcpHeader.OPT_END) {
                return null;
            }
            if (kind == TcpHeader.OPT_NOP) {
                at++;
                continue;
            }
            if (at + 1 >= end) {
                return DropReason.TCP_BAD_OPTION;
            }
            int length = b[at + 1] & 0xff;
            if (length < 2 || at + length > end) {
                return DropReason.TCP_BAD_OPTION;
            }
            switch (kind) {
                case TcpHeader.OPT_MSS -> {
                    if (syn && length == TcpHeader.OPT_MSS_LENGTH) {
                        out.mss = Bytes.get16(b, at + 2);
                    }
                }
                case TcpHeader.OPT_WINDOW_SCALE -> {
                    if (syn && length == TcpHeader.OPT_WINDOW_SCALE_LENGTH) {
                        out.windowScale = Math.min(b[at + 2] & 0xff, TcpHeader.MAX_WINDOW_SCALE);
                    }
                }
                case TcpHeader.OPT_SACK_PERMITTED -> {
                    if (syn && length == TcpHeader.OPT_SACK_PERMITTED_LENGTH) {
                        out.sackPermitted = true;
                    }
                }
                case TcpHeader.OPT_TIMESTAMPS -> {
                    if (length == TcpHeader.OPT_TIMESTAMPS_LENGTH) {
                        out.hasTimestamps = true;
                        out.tsVal = Bytes.get32(b, at + 2);
                        out.tsEcr = Bytes.get32(b, at + 6);
                    }
                }
                case TcpHeader.OPT_SACK -> {
                    int blocks = (length - 2) / 8;
                    if (!syn && (length - 2) % 8 == 0 && blocks >= 1 && blocks <= TcpHeader.MAX_SACK_BLOCKS) {
                        for (int i = 0; i < blocks; i++) {
                            out.sackStart[i] = Bytes.get32(b, at + 2 + 8 * i);
                            out.sackEnd[i] = Bytes.get32(b, at + 6 + 8 * i);
                        }
                        out.sackBlocks = blocks;
                    }
                }
                default -> {
                    // An option we do not know: skipped by its length (RFC 9293 3.1).
                }
            }
            at += length;
        }
        return null;
    }
}
