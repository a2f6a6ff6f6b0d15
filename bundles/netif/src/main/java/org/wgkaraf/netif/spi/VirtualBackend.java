package org.wgkaraf.netif.spi;

import java.io.IOException;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.netif.NetifInfo;

/**
 * Carries the packets of one kind of virtual interface: the userspace IPv4 layer, or a TUN device.
 * The registry attaches each registered interface to the backend its owner asked for.
 */
public interface VirtualBackend {

    /**
     * Attaches an interface.
     *
     * @param info     the interface as registered (number, name, address, netmask)
     * @param toTunnel where the packets this backend sends out through the interface go
     * @throws IOException when it cannot (a TUN device without privilege); nothing is left behind
     */
    Attachment attach(NetifInfo info, PacketSink toTunnel) throws IOException;

    /** One interface's connection to the backend. */
    interface Attachment extends AutoCloseable {
        /** A packet that arrived through the tunnel, for the module. Bytes valid only during the call. */
        void input(byte[] packet, int offset, int length);

        /**
         * The tunnel has no more packets waiting for now: what {@link #input} held back to join
         * with what would follow goes out. Called on the thread that calls {@link #input}.
         */
        default void flush() {
        }

        /** The tunnel's peer went up or down; while down, nothing is sent through this interface. */
        void setLinkUp(boolean up);

        @Override
        void close();
    }
}
