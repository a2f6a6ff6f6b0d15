package org.wgkaraf.api.netif;

import java.io.IOException;
import org.osgi.annotation.versioning.ProviderType;

/** UDP over the userspace IPv4 layer of the virtual interfaces. */
@ProviderType
public interface UdpService {
    /** Binds a port (0 = any free one). @throws IOException when the port is taken */
    UdpSocket bind(int port) throws IOException;
}
