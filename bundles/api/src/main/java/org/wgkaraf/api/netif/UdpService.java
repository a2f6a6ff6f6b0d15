package org.wgkaraf.api.netif;

import java.io.IOException;

/** UDP over the userspace IPv4 layer of the virtual interfaces. */
public interface UdpService {
    /** Binds a port (0 = any free one). @throws IOException when the port is taken */
    UdpSocket bind(int port) throws IOException;
}
