package org.wgkaraf.api.wireguard;

import org.osgi.annotation.versioning.ProviderType;

/** The original's WireguardClient: start, stop, restart, status of the configured tunnel. */
@ProviderType
public interface WireGuardControl {
    WireGuardStatus status();

    /** Starts (and clears a previous {@code wireguard stop}); the tunnel comes up once the network is ready. */
    void start();

    /** Stops, and stays stopped across network events and restarts until {@link #start()}. */
    void stop();

    void restart();
}
