package org.wgkaraf.netif.tcp;

/** Why a connection ended other than by the two FINs. */
enum ConnectionError {
    /** The peer answered our SYN with a reset: nothing listens on that port. */
    REFUSED("connection refused"),
    /** The peer reset the connection. */
    RESET("connection reset by peer"),
    /** Our SYN, or data, or window probes went unanswered through every retransmission. */
    TIMED_OUT("connection timed out"),
    /** This side aborted it ({@code abort()}, a listener closed before accepting it, the layer closing). */
    ABORTED("connection aborted"),
    /** This side closed it while data was still arriving, and sent a reset (RFC 1122 4.2.2.13). */
    CLOSED_WITH_DATA_PENDING("connection closed with data not read");

    private final String message;

    ConnectionError(String message) {
        this.message = message;
    }

    String message() {
        return message;
    }
}
