package org.wgkaraf.api.netif;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/** A UDP socket of the userspace IPv4 layer, bound to a port on the virtual interfaces. */
@ProviderType
public interface UdpSocket extends AutoCloseable {
    int localPort();

    /** Sends a datagram; routed like every packet (a tunnel, or refused when its tunnel is down). */
    void send(Inet4Address destination, int port, byte[] data, int offset, int length) throws IOException;

    /** The next datagram, or {@code null} after {@code timeout}. */
    Datagram receive(Duration timeout) throws InterruptedException;

    @Override
    void close();

    record Datagram(Inet4Address source, int sourcePort, byte[] data) {
    }
}
