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
    /** A reset: never answered (RFC 793). */
    TCP_RESET_RECEIVED,
    /** Any other segment: no TCP layer yet, so every port is closed; answered with a reset (unless to broadcast). */
    TCP_NO_LISTENER,
    /** A protocol other than ICMP, UDP, TCP: answered with ICMP protocol unreachable (unless to broadcast). */
    PROTOCOL_UNSUPPORTED,
    /** An ICMP error we would have sent, suppressed by the rate limit. */
    UNREACHABLE_RATE_LIMITED,
    /** An answer not sent because the interface's link is down. */
    LINK_DOWN,
    /** A packet handed to an interface after it was closed. */
    INTERFACE_CLOSED,
    /**
     * A bug caught at the layer's edge (an exception, or a range outside the array handed in):
     * logged, and the packet dropped rather than thrown back at the tunnel.
     */
    INTERNAL_ERROR
}
