package org.wgkaraf.api.netif;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Network events, delivered in order on one thread of the registry. Register as an OSGi service
 * (whiteboard) or through {@link NetifRegistry#addListener}. A new listener is told the current
 * state at once: {@code networkReady} if there is an uplink.
 */
@ConsumerType
public interface NetworkListener {
    /** An uplink with an address and a default route appeared. */
    void networkReady(Uplink uplink);

    /** No uplink is left. */
    void networkGone();

    /** The default interface or its address changed (WiFi to cellular and back). */
    void uplinkChanged(Uplink previous, Uplink current);
}
