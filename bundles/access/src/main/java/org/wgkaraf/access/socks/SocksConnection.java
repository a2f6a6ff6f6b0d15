package org.wgkaraf.access.socks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.access.socks.Reachability.Reach;
import org.wgkaraf.api.access.SocksRefusal;
import org.wgkaraf.api.netif.TcpConnection;
import org.wgkaraf.api.netif.TcpService;

/**
 * One client connection of the {@link SocksServer}, from its greeting to its close: the SOCKS5
 * handshake, the choice of the target (inside a tunnel's subnet, or refused with the reply that
 * says why), the connection through the tunnel, then the two pumps. {@code wgkaraf-socks-<n>} runs
 * the handshake and then client-to-tunnel; {@code wgkaraf-socks-<n>-down} tunnel-to-client. Each
 * blocks while the other side does not take its bytes, and passes the end of its stream on as a
 * half close.
 */
final class SocksConnection {
    private static final Logger LOG = LoggerFactory.getLogger(SocksConnection.class);
    private static final int BUFFER = 16 * 1024;

    private final SocksServer server;

    final Socket client;
    final long id;
    final Thread up;
    volatile Thread down;
    volatile TcpConnection target;
    volatile TcpService origin;
    volatile boolean aborted;

    SocksConnection(Socket client, long id, SocksServer server) {
        this.client = client;
        this.id = id;
        this.server = server;
        this.up = new Thread(this::run, "wgkaraf-socks-" + id);
        up.setDaemon(true);
    }

    void start() {
        up.start();
    }

    void run() {
        try {
            serve();
        } catch (RuntimeException e) {
            LOG.warn("SOCKS5 proxy: connection {} failed", id, e);
        } finally {
            SocksServer.closeQuietly(client);
            TcpConnection t = target;
            if (t != null) {
                if (aborted) {
                    t.abort();
                } else {
                    t.close();
                }
            }
            Thread d = down;
            if (d != null) {
                try {
                    d.join(SocksServer.STOP_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            server.ended(this);
        }
    }

    private void serve() {
        Socks5.Request request;
        try {
            request = Socks5.handshake(client, System.nanoTime() + server.settings().handshakeTimeout().toNanos());
            client.setSoTimeout(0);
        } catch (Socks5.Refused r) {
            refuse(r.reason, r.reply, r.getMessage());
            return;
        } catch (IOException e) {
            if (!aborted) {
                LOG.debug("SOCKS5 proxy: connection {} lost in the handshake", id, e);
                server.count(SocksRefusal.MALFORMED);
            }
            return;
        }
        SocksServer.Tunnel tunnel = server.tunnel();
        TcpService service = tunnel.service();
        Reachability routes = tunnel.routes();
        if (routes == null) {
            refuse(SocksRefusal.NETWORK_UNREACHABLE, true, request.target() + ": no tunnel");
            return;
        }
        Inet4Address address;
        try {
            address = choose(request, routes);
        } catch (Socks5.Refused r) {
            refuse(r.reason, true, r.getMessage());
            return;
        }
        if (service == null) {
            refuse(SocksRefusal.NETWORK_UNREACHABLE, true, request.target() + ": no TCP through the tunnel");
            return;
        }
        TcpConnection connection;
        try {
            origin = service;
            connection = service.connect(address, request.port(), server.settings().connectTimeout());
        } catch (ConnectException e) {
            refuse(SocksRefusal.CONNECTION_REFUSED, true, request.target() + " refused the connection");
            return;
        } catch (SocketTimeoutException e) {
            refuse(SocksRefusal.TIMEOUT, true, request.target() + " did not answer");
            return;
        } catch (NoRouteToHostException e) {
            SocksRefusal why = routes.of(address) == Reach.INSIDE ? SocksRefusal.HOST_UNREACHABLE
                    : SocksRefusal.NETWORK_UNREACHABLE;
            refuse(why, true, request.target() + ": " + e.getMessage());
            return;
        } catch (IOException e) {
            refuse(SocksRefusal.FAILURE, true, request.target() + ": " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            refuse(SocksRefusal.FAILURE, true, request.target() + ": the proxy is stopping");
            return;
        }
        target = connection;
        if (aborted) {
            return;
        }
        server.proxiedOne();
        try {
            Socks5.reply(client.getOutputStream(), Socks5.SUCCEEDED, connection.local());
        } catch (IOException e) {
            LOG.debug("SOCKS5 proxy: client {} went before the reply", id, e);
            return;
        }
        LOG.debug("SOCKS5 proxy: connection {} to {}", id, request.target());
        Thread d = new Thread(this::downstream, "wgkaraf-socks-" + id + "-down");
        d.setDaemon(true);
        down = d;
        d.start();
        upstream(connection);
    }

    /** The address to connect to: the request's, or the first of the name's that lies in a tunnel's subnet. */
    private Inet4Address choose(Socks5.Request request, Reachability routes) throws Socks5.Refused {
        if (request.address() != null) {
            return check(request.address(), routes.of(request.address()), request);
        }
        InetAddress[] all;
        try {
            all = server.resolver().resolve(request.host());
        } catch (UnknownHostException e) {
            throw new Socks5.Refused(SocksRefusal.HOST_UNREACHABLE, true, request.host() + " does not resolve");
        }
        Inet4Address tunnelDown = null;
        Inet4Address outside = null;
        for (InetAddress a : all) {
            if (a instanceof Inet4Address v4) {
                Reach r = routes.of(v4);
                if (r == Reach.INSIDE) {
                    return v4;
                }
                if (r == Reach.TUNNEL_DOWN && tunnelDown == null) {
                    tunnelDown = v4;
                } else if (r == Reach.OUTSIDE && outside == null) {
                    outside = v4;
                }
            }
        }
        if (tunnelDown != null) {
            return check(tunnelDown, Reach.TUNNEL_DOWN, request);
        }
        if (outside != null) {
            return check(outside, Reach.OUTSIDE, request);
        }
        throw new Socks5.Refused(SocksRefusal.HOST_UNREACHABLE, true, request.host() + " has no IPv4 address");
    }

    private Inet4Address check(Inet4Address a, Reach r, Socks5.Request request) throws Socks5.Refused {
        return switch (r) {
            case INSIDE -> a;
            case TUNNEL_DOWN -> throw new Socks5.Refused(SocksRefusal.NETWORK_UNREACHABLE, true,
                    request.target() + " (" + a.getHostAddress() + "): the tunnel is down");
            case OUTSIDE -> throw new Socks5.Refused(SocksRefusal.NOT_ALLOWED, true,
                    request.target() + " (" + a.getHostAddress() + ") is outside the tunnel's subnet");
        };
    }

    private void refuse(SocksRefusal reason, boolean reply, String why) {
        server.count(reason);
        LOG.debug("SOCKS5 proxy refused connection {}: {} ({})", id, reason.description(), why);
        if (reply) {
            try {
                Socks5.reply(client.getOutputStream(), reason.reply(), null);
            } catch (IOException e) {
                // The client went: nothing to tell.
            }
        }
        SocksServer.finish(client);
    }

    /** Client to tunnel, on the connection's first thread; the client's EOF becomes a FIN to the target. */
    private void upstream(TcpConnection connection) {
        byte[] buf = new byte[BUFFER];
        try {
            InputStream in = client.getInputStream();
            OutputStream out = connection.output();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            connection.shutdownOutput();
        } catch (IOException e) {
            if (!aborted) {
                LOG.debug("SOCKS5 proxy: connection {} client side ended", id, e);
            }
            abort();
        }
        Thread d = down;
        try {
            d.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
        }
    }

    /** Tunnel to client; the target's EOF becomes a FIN to the client. */
    private void downstream() {
        byte[] buf = new byte[BUFFER];
        try {
            InputStream in = target.input();
            OutputStream out = client.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            client.shutdownOutput();
        } catch (IOException e) {
            if (!aborted) {
                LOG.debug("SOCKS5 proxy: connection {} tunnel side ended", id, e);
            }
            abort();
        }
    }

    /** Both sides at once: blocked reads, writes and a pending connect wake. */
    void abort() {
        aborted = true;
        SocksServer.closeQuietly(client);
        TcpConnection t = target;
        if (t != null) {
            t.abort();
        }
        up.interrupt();
    }

    void join() {
        try {
            up.join(SocksServer.STOP_MILLIS);
            Thread d = down;
            if (d != null) {
                d.join(SocksServer.STOP_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (up.isAlive() || down != null && down.isAlive()) {
            LOG.warn("SOCKS5 proxy: the threads of connection {} did not end", id);
        }
    }
}
