package org.wgkaraf.netif.tcp;

import java.io.IOException;
import org.wgkaraf.netif.ip.DropReason;

/** What the TCP layer needs of the IPv4 layer under it. Never called with a TCP lock held. */
public interface IpLink {

    /**
     * Sends a whole IPv4 packet whose source is {@code source}, through the open interface that
     * has that address.
     *
     * @return false when no such interface is there or its link is down (the packet is lost, as
     *         on a wire; retransmission takes care of it)
     */
    boolean send(int source, byte[] packet, int length);

    /**
     * As {@link #send}, one packet of a burst: the tunnel may hold it back, to send the burst's
     * datagrams together, until {@link #flush} for the same source, which the caller owes at the
     * burst's end. The bytes are consumed before return.
     */
    default boolean sendMore(int source, byte[] packet, int length) {
        return send(source, packet, length);
    }

    /** The end of a burst of {@link #sendMore} from {@code source}: what the tunnel held goes out. */
    default void flush(int source) {
    }

    /**
     * The address to send from to reach {@code destination}: that of the tunnel interface routing it.
     *
     * @throws java.net.NoRouteToHostException when no tunnel interface covers it or its link is down
     * @throws IOException when it is one of our own addresses
     */
    int sourceFor(int destination) throws IOException;

    /** Counts a segment dropped or refused. */
    void count(DropReason reason);
}
