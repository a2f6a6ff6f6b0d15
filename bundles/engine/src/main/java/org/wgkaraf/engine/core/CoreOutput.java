package org.wgkaraf.engine.core;

import java.net.InetSocketAddress;

/**
 * What the core asks its caller to do on the network side. The buffers are the core's own and
 * valid only during the call: the caller sends or copies them before returning. The core calls
 * this under its caller's lock, so an implementation does only this: send on the tunnel's own
 * socket, or note a request. Packets for the host are not here: {@link Device#receive} returns
 * them, so that they are delivered outside that lock.
 */
public interface CoreOutput {
    /** Send this datagram to the peer's endpoint. */
    void sendDatagram(InetSocketAddress to, byte[] buf, int off, int len);

    /**
     * Handshakes to this peer go unanswered: if its endpoint came from a host name, resolve it
     * again (dynamic DNS) and call {@link Device#setEndpoint} when it changed.
     */
    default void endpointStale(Peer peer) {
    }
}
