package org.wgkaraf.api.engine;

/** Why the engine dropped a datagram or a packet. Each one is counted, none is thrown. */
public enum DropReason {
    /** Datagram too short or of the wrong size for its message type. */
    MALFORMED,
    /** First byte is not a WireGuard message type (or reserved bytes not zero). */
    UNKNOWN_TYPE,
    /** Handshake message whose MAC1 does not match our public key. */
    BAD_MAC1,
    /** Under load and without a valid MAC2: answered with a cookie reply instead. */
    COOKIE_REQUIRED,
    /** Too many handshake messages from one source address. */
    RATE_LIMITED,
    /** Handshake that fails to decrypt, names an unknown peer, or arrives in the wrong state. */
    HANDSHAKE_INVALID,
    /** Handshake initiation whose timestamp is not newer than the last one seen, or too frequent. */
    HANDSHAKE_REPLAYED,
    /** Cookie reply that is unexpected or fails to decrypt. */
    COOKIE_INVALID,
    /** Transport data for an unknown receiver index. */
    UNKNOWN_RECEIVER,
    /** Transport data that fails authentication. */
    DECRYPT_FAILED,
    /** Transport data whose counter was seen already or is too old. */
    REPLAYED,
    /** Transport data for a keypair that is past its rejection time or counter. */
    KEY_EXPIRED,
    /** Decrypted packet that is not a well-formed IP packet. */
    INNER_MALFORMED,
    /** Decrypted packet whose source address is not in the sending peer's allowed IPs. */
    SOURCE_NOT_ALLOWED,
    /** Outbound packet with no peer whose allowed IPs cover its destination. */
    NO_ROUTE,
    /** Outbound packet that found the handshake queue full. */
    QUEUE_FULL,
    /** Outbound packet for a peer whose endpoint is not known yet. */
    NO_ENDPOINT,
    /** Datagram or packet larger than the engine accepts. */
    OVERSIZE
}
