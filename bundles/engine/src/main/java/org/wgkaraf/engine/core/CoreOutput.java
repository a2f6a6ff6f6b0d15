package org.wgkaraf.engine.core;

import java.net.InetSocketAddress;

/**
 * What the core asks its caller to do. The buffers are the core's own and valid only during the
 * call: the caller sends or copies them before returning.
 */
public interface CoreOutput {
    /** Send this datagram to the peer's endpoint. */
    void sendDatagram(InetSocketAddress to, byte[] buf, int off, int len);

    /** Hand this decrypted inner IP packet of {@code from} to the host. */
    void deliver(Peer from, byte[] buf, int off, int len);

    /**
     * Handshakes to this peer go unanswered: if its endpoint came from a host name, resolve it
     * again (dynamic DNS) and call {@link Device#setEndpoint} when it changed.
     */
    default void endpointStale(Peer peer) {
    }
}
