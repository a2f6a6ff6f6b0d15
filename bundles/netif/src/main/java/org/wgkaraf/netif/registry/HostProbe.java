package org.wgkaraf.netif.registry;

import java.io.IOException;

/** Reads the host's network state: what the registry polls. Never reports loopback. */
public interface HostProbe {

    /** The host as it is now. */
    HostSnapshot read() throws IOException;
}
