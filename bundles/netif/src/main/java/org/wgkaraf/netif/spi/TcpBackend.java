package org.wgkaraf.netif.spi;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpStatus;

/**
 * TCP on the interfaces of one kind of backend: the userspace layer's own TCP, or the OS's
 * sockets on TUN interfaces. The one {@link org.wgkaraf.api.netif.TcpService} of the bundle
 * spreads listeners over every backend and sends each connect to the backend that routes it.
 */
public interface TcpBackend {

    /**
     * Listens on {@code port} of every interface of this backend, present and attached later,
     * handing established connections to {@code queue}.
     *
     * @return closing it stops listening on this backend (the queue is the caller's)
     * @throws IOException when the port is taken on this backend
     */
    AutoCloseable listen(int port, AcceptQueue queue) throws IOException;

    /** The prefix length of this backend's interface that routes {@code address}, or -1 when none does. */
    int routePrefix(Inet4Address address);

    /** As {@link org.wgkaraf.api.netif.TcpService#connect}, from the interface that routes the address. */
    TcpConnection connect(Inet4Address address, int port, Duration timeout) throws IOException, InterruptedException;

    /** Connections, listening ports and drops of this backend. */
    TcpStatus status();
}
