package org.wgkaraf.netif.tcp;

/**
 * The states of a connection (RFC 9293 3.3.2). LISTEN is not among them: a listener is its own
 * object, and a connection begins in SYN-RECEIVED when a SYN reaches it.
 */
enum TcpState {
    SYN_SENT,
    SYN_RECEIVED,
    ESTABLISHED,
    FIN_WAIT_1,
    FIN_WAIT_2,
    CLOSE_WAIT,
    CLOSING,
    LAST_ACK,
    TIME_WAIT,
    CLOSED;

    /** Both SYNs were exchanged (RFC 9293 calls these the synchronized states). */
    boolean synchronizedState() {
        return this != SYN_SENT && this != SYN_RECEIVED && this != CLOSED;
    }

    /** Data from the peer is still accepted: it has not sent its FIN. */
    boolean receivesData() {
        return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }

    /** The application may still write: we have not sent (or queued) our FIN. */
    boolean sendsData() {
        return this == SYN_SENT || this == SYN_RECEIVED || this == ESTABLISHED || this == CLOSE_WAIT;
    }
}
