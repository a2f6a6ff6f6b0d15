package org.wgkaraf.api.netif;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import org.osgi.annotation.versioning.ProviderType;

/**
 * TCP through the tunnel: listen on, and connect from, the module's tunnel address. The same on
 * both backends: on {@code userspace} the Java TCP layer carries it, on {@code tun} the OS does,
 * so code inside Karaf never cares which backend runs.
 * <p>
 * Only tunnel interfaces are ever used: a listener is never reachable on a host (public)
 * interface, and a connection is never sent in clear on the uplink.
 */
@ProviderType
public interface TcpService {

    /**
     * Listens on {@code port} of every tunnel interface, those present and those registered
     * later, until the listener is closed.
     *
     * @param port    1-65535
     * @param backlog connections established but not yet accepted; beyond it a new SYN is refused
     * @throws IOException              when the port is listened on already
     * @throws IllegalArgumentException for a port outside 1-65535 or a backlog below 1
     */
    TcpListener listen(int port, int backlog) throws IOException;

    /**
     * Opens a connection from the tunnel address whose subnet covers {@code address}; returns
     * once it is established.
     *
     * @throws java.net.ConnectException        the peer refused it (answered with a reset)
     * @throws java.net.SocketTimeoutException  no answer within {@code timeout}
     * @throws java.net.NoRouteToHostException  no tunnel covers {@code address}, or its link is down
     * @throws IOException                      too many connections, or any other failure
     */
    TcpConnection connect(Inet4Address address, int port, Duration timeout) throws IOException, InterruptedException;

    /**
     * Connections by state, listening ports and drop counters, for the shell's status commands.
     * The product's service always answers; the default (nothing open, nothing counted) is there
     * so test doubles written against the first version of this interface keep compiling.
     */
    default TcpStatus status() {
        return TcpStatus.EMPTY;
    }
}
