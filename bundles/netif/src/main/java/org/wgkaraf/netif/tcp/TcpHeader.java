package org.wgkaraf.netif.tcp;

/** The TCP header (RFC 9293 3.1) and its options: field offsets, flags, option kinds and sizes. */
final class TcpHeader {
    static final int LENGTH = 20;
    /** 60 bytes at most: the data offset is 4 bits of 32-bit words. */
    static final int MAX_LENGTH = 60;

    static final int SOURCE_PORT = 0;
    static final int DESTINATION_PORT = 2;
    static final int SEQUENCE = 4;
    static final int ACKNOWLEDGMENT = 8;
    static final int DATA_OFFSET = 12;
    static final int FLAGS = 13;
    static final int WINDOW = 14;
    static final int CHECKSUM = 16;
    static final int URGENT = 18;

    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;
    static final int URG = 0x20;

    static final int OPT_END = 0;
    static final int OPT_NOP = 1;
    static final int OPT_MSS = 2;
    static final int OPT_WINDOW_SCALE = 3;
    static final int OPT_SACK_PERMITTED = 4;
    static final int OPT_SACK = 5;
    static final int OPT_TIMESTAMPS = 8;

    static final int OPT_MSS_LENGTH = 4;
    static final int OPT_WINDOW_SCALE_LENGTH = 3;
    static final int OPT_SACK_PERMITTED_LENGTH = 2;
    static final int OPT_TIMESTAMPS_LENGTH = 10;
    /** Timestamps as sent: two NOPs first, so the option ends on a word boundary (RFC 7323 appendix A). */
    static final int TIMESTAMPS_SPACE = 12;
    /** A SACK option holds at most 4 blocks (RFC 2018): 2 + 4 * 8 = 34 of the 40 option bytes. */
    static final int MAX_SACK_BLOCKS = 4;
    /** RFC 7323 2.3: a shift above 14 is used as 14. */
    static final int MAX_WINDOW_SCALE = 14;
    /** RFC 9293 3.7.1: the MSS assumed when the peer sends none (576-byte IPv4 datagrams). */
    static final int DEFAULT_MSS = 536;

    private TcpHeader() {
    }

    static String flags(int f) {
        StringBuilder s = new StringBuilder();
        if ((f & SYN) != 0) {
            s.append('S');
        }
        if ((f & FIN) != 0) {
            s.append('F');
        }
        if ((f & RST) != 0) {
            s.append('R');
        }
        if ((f & PSH) != 0) {
            s.append('P');
        }
        if ((f & ACK) != 0) {
            s.append('.');
        }
        return s.toString();
    }
}
