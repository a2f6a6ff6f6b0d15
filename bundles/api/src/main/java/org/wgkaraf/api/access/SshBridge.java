package org.wgkaraf.api.access;

import org.osgi.annotation.versioning.ProviderType;

/**
 * SSH to the module's console through the tunnel: connections to setting {@code ssh_port} of the
 * tunnel address (default 22, 0 = off) are served by Karaf's own SSH server, with the owner's
 * real address.
 */
@ProviderType
public interface SshBridge {
    SshBridgeStatus status();
}
