package org.wgkaraf.api.netif;

import org.wgkaraf.api.engine.PacketSink;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A virtual interface registered with the {@link NetifRegistry}, e.g. a tunnel {@code wg<n>}.
 * Its owner feeds it the packets that arrive from the tunnel and tells it when the link is up.
 */
@ProviderType
public interface VirtualNetif extends AutoCloseable {
    NetifInfo info();

    /** Link up exactly while the tunnel's peer is up. */
    void setLinkUp(boolean up);

    /**
     * An inner IP packet that arrived through the tunnel, for this module: the userspace IPv4
     * layer (or the TUN device) takes it. Bytes are valid only during the call.
     */
    void receive(byte[] packet, int offset, int length);

    /**
     * The tunnel has nothing more waiting for now ({@link PacketSink#flush()}): what the backend
     * held back of the packets received goes to the module. Called on the thread that calls
     * {@link #receive}.
     */
    default void flush() {
    }

    /** Unregisters the interface; it disappears from {@code network status}. */
    @Override
    void close();
}
