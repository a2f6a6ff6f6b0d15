package org.wgkaraf.netif.ip;

import java.io.IOException;
import java.net.Inet4Address;

/** ICMP echo through the userspace layer, for the ping service. */
public interface EchoService {

    /**
     * Whether an attached interface's subnet covers {@code address}, its link up or not. Such an
     * address must be pinged through the tunnel, never through the host in clear.
     */
    boolean covers(Inet4Address address);

    /**
     * A session of echo requests to {@code destination} under an identifier of its own.
     *
     * @throws IOException when every identifier is in use
     */
    EchoSession openEcho(Inet4Address destination) throws IOException;
}
