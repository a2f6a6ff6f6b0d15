package org.wgkaraf.api.access;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The SOCKS5 proxy on 127.0.0.1, setting {@code socks_port} (default 0 = off): programs on the
 * module reach hosts of the tunnel's subnet through it, and nothing else.
 */
@ProviderType
public interface SocksProxy {
    SocksStatus status();
}
