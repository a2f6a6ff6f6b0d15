package org.wgkaraf.netif.ip;

/**
 * Why the IPv4 layer dropped a packet that came from a tunnel, or did not send an answer. Each is
 * counted ({@link Ipv4Layer#drops()}); a peer's packet never makes the layer throw.
 */
public enum DropReason {
    /** The version field is not 4. */
    NOT_IPV4,
    /** Fewer bytes than an IPv4 header. */
    TRUNCATED,
    /** Header length under 20 bytes or beyond the bytes received. */
    BAD_HEADER_LENGTH,
    /**
     * Total length differs from the bytes received. The engine hands over exactly the packet (it
     * strips WireGuard's padding by this very field), so any difference means a malformed packet.
     */
    BAD_TOTAL_LENGTH,
    BAD_HEADER_CHECKSUM,
    /**
     * The header carries options. Nothing we do needs them (source routes and timestamps are what
     * they mostly carry, and hosts are right to refuse source routes), so parsing them is all risk.
     */
    IP_OPTIONS,
    /**
     * A fragment (more-fragments set or an offset). Not reassembled: reassembly buffers are a
     * classic attack surface (overlaps, memory exhaustion), and nothing needs it here. Peers send
     * inner packets that fit the tunnel MTU of 1420, our ICMP and UDP answers are never larger than
     * what was asked, and large UDP datagrams are sent whole (DF set) by this layer.
     */
    FRAGMENT,
    /** Time to live 0: no sender may emit that (RFC 1122 3.2.1.7). */
    TTL_ZERO,
    /** Destination is neither the interface's address, its subnet broadcast, nor 255.255.255.255. */
    NOT_FOR_US,
    /**
     * Source that no host can have: 0.0.0.0/8, 127.0.0.0/8, multicast 224.0.0.0/4, 255.255.255.255,
     * the interface's subnet broadcast, or our own address. Answering it would go nowhere or to us.
     */
    MARTIAN_SOURCE,
    /** Fewer bytes than an ICMP header. */
    ICMP_TRUNCATED,
    ICMP_BAD_CHECKSUM,
    /** Echo request to a broadcast address: never answered (smurf amplification). */
    ECHO_TO_BROADCAST,
    /** Echo reply that matches no outstanding request (unknown identifier or source, late, or duplicate). */
    ECHO_REPLY_UNMATCHED,
    /** An ICMP error (unreachable, time exceeded, ...): counted and ignored, nothing acts on it yet. */
    ICMP_ERROR_RECEIVED,
    /** Another ICMP message type (timestamp, router advertisement, ...). */
    ICMP_UNSUPPORTED,
    /** UDP header incomplete, or a UDP length under 8 or beyond the packet. */
    UDP_TRUNCATED,
    UDP_BAD_CHECKSUM,
    /** No socket on the destination port: answered with ICMP port unreachable (unless to broadcast). */
    UDP_PORT_CLOSED,
    /** The socket's queue was full: the receiver does not keep up. */
    UDP_QUEUE_FULL,
    /** TCP header incomplete, or a data offset under 5 words or beyond the segment. */
    TCP_TRUNCATED,
    TCP_BAD_CHECKSUM,
    /** SYN together with RST, or SYN with FIN to a listening port: no genuine segment carries that. */
    TCP_BAD_FLAGS,
    /** Port 0 as source or destination. */
    TCP_BAD_PORT,
    /** An option whose length is below 2 or runs past the header. */
    TCP_BAD_OPTION,
    /** A reset for no connection: never answered (RFC 9293 3.10.7.1). */
    TCP_RESET_RECEIVED,
    /** A segment for a port nobody listens on: answered with a reset at once (unless to broadcast). */
    TCP_NO_LISTENER,
    /** A segment other than SYN for a listening port, with no connection (e.g. from before a restart): answered with a reset. */
    TCP_NO_CONNECTION,
    /** A segment for a connection that has just ended. */
    TCP_CONNECTION_CLOSED,
    /** A SYN to a listener whose half-open connections are at their limit (SYN flood): the oldest was dropped for it. */
    TCP_SYN_QUEUE_FULL,
    /** A SYN to a listener whose accept queue is full: refused with a reset. */
    TCP_BACKLOG_FULL,
    /** A SYN while the layer holds as many connections as it may: refused with a reset. */
    TCP_CONNECTION_LIMIT,
    /** A segment outside the window we offered: answered with an ACK (rate limited unless it has data) and dropped. */
    TCP_OUT_OF_WINDOW,
    /** Data received twice (a retransmission whose ACK was lost): ACKed at once, with a D-SACK block. */
    TCP_DUPLICATE,
    /** Data sent into our zero window (a window probe): its ACK is used, the data is not. */
    TCP_ZERO_WINDOW,
    /** An old duplicate by its timestamp (PAWS, RFC 7323 5): ACKed and dropped. */
    TCP_PAWS,
    /** No timestamp option once both sides agreed on timestamps (RFC 7323 3.2). */
    TCP_NO_TIMESTAMP,
    /** A reset outside the window: ignored (RFC 5961 3.2). */
    TCP_RST_OUT_OF_WINDOW,
    /** A reset in the window but not at exactly RCV.NXT: answered with a challenge ACK (RFC 5961 3.2). */
    TCP_RST_CHALLENGED,
    /** A SYN on an open connection: answered with a challenge ACK (RFC 5961 4.2). */
    TCP_SYN_CHALLENGED,
    /** A reset without ACK in SYN-SENT: it cannot be about our SYN (RFC 5961 3.2). */
    TCP_RESET_IGNORED,
    /** Neither SYN nor RST while our SYN waits for an answer. */
    TCP_NO_SYN,
    /** No ACK flag on a synchronized connection. */
    TCP_NO_ACK,
    /** An ACK outside what we sent during the handshake: answered with a reset. */
    TCP_ACK_UNACCEPTABLE,
    /** An ACK of data never sent (RFC 9293, RFC 5961 5.2 "ACK injection"): answered with an ACK. */
    TCP_ACK_UNSENT,
    /** An ACK older than SND.UNA - MAX.SND.WND (RFC 5961 5.2): answered with an ACK. */
    TCP_ACK_TOO_OLD,
    /** Data after the peer's own FIN. */
    TCP_DATA_AFTER_FIN,
    /** Data after the application closed the connection: answered with a reset (RFC 1122 4.2.2.13). */
    TCP_DATA_AFTER_CLOSE,
    /** Data the layer's buffer budget had no room for: the peer will resend it. */
    TCP_MEMORY_LIMIT,
    /** Data beyond a gap when the connection already tracks as many gaps as it may. */
    TCP_OUT_OF_ORDER_LIMIT,
    /** A protocol other than ICMP, UDP, TCP: answered with ICMP protocol unreachable (unless to broadcast). */
    PROTOCOL_UNSUPPORTED,
    /** An ICMP error we would have sent, suppressed by the rate limit. */
    UNREACHABLE_RATE_LIMITED,
    /** An answer not sent because the interface's link is down. */
    LINK_DOWN,
    /** A packet of ours whose interface (the one holding its source address) is gone. */
    INTERFACE_GONE,
    /** A packet handed to an interface after it was closed. */
    INTERFACE_CLOSED,
    /**
     * A bug caught at the layer's edge (an exception, or a range outside the array handed in):
     * logged, and the packet dropped rather than thrown back at the tunnel.
     */
    INTERNAL_ERROR
}
