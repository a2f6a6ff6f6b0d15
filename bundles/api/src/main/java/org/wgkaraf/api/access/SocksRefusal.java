package org.wgkaraf.api.access;

/** Why the SOCKS5 proxy refused a connection, with the RFC 1928 reply it sent. */
public enum SocksRefusal {
    /** The target is outside every tunnel's subnet: the proxy carries nothing else. */
    NOT_ALLOWED(0x02, "outside the tunnel's subnet"),
    /** The target is in a tunnel's subnet but that tunnel is down or its TCP layer is not running; or no routes are known. */
    NETWORK_UNREACHABLE(0x03, "tunnel down"),
    /** The name did not resolve to an IPv4 address, or the host could not be reached through the tunnel. */
    HOST_UNREACHABLE(0x04, "host unreachable"),
    /** The target answered with a reset. */
    CONNECTION_REFUSED(0x05, "connection refused"),
    /** The target did not answer within the connect timeout. */
    TIMEOUT(0x06, "no answer in time"),
    /** BIND or UDP ASSOCIATE, or an unknown command. */
    COMMAND_NOT_SUPPORTED(0x07, "command not supported"),
    /** An IPv6 or unknown address type. */
    ADDRESS_TYPE_NOT_SUPPORTED(0x08, "address type not supported"),
    /** The client offered no method the proxy accepts (it accepts only 'no authentication'). */
    NO_ACCEPTABLE_METHOD(0xFF, "no acceptable authentication method"),
    /**
     * A request that does not follow RFC 1928 (answered 0x01), or a greeting that is not SOCKS5
     * or ends early (closed without a reply: there is nothing such a peer could read).
     */
    MALFORMED(0x01, "malformed greeting or request"),
    /** The greeting and request did not arrive within the handshake timeout. */
    HANDSHAKE_TIMEOUT(-1, "handshake timeout"),
    /** As many connections were open as the limit allows. */
    LIMIT(0x01, "too many connections"),
    /** Anything else that went wrong on the module's side. */
    FAILURE(0x01, "general failure");

    private final int reply;
    private final String description;

    SocksRefusal(int reply, String description) {
        this.reply = reply;
        this.description = description;
    }

    /**
     * The reply code sent: the REP field of the reply (0x01-0x08), 0xFF for the method selection
     * message, or -1 when the connection was closed without a reply.
     */
    public int reply() {
        return reply;
    }

    /** A few words for a status line. */
    public String description() {
        return description;
    }
}
