package org.wgkaraf.access.ssh;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoServiceEventListener;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.util.closeable.AbstractCloseable;

/**
 * The MINA SSHD "acceptor" that the bridge's sessions belong to. SSHD asks a session for its
 * service to count a user's sessions (the server's per-user limit) and hands it to the server's
 * {@link IoServiceEventListener}; the bridge's own listener is a {@code TcpListener}, so binding
 * through this object is refused.
 */
final class TunnelIoService extends AbstractCloseable implements IoAcceptor {
    private final Map<Long, IoSession> sessions = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile Set<SocketAddress> bound = Set.of();
    private volatile IoServiceEventListener eventListener;

    long nextId() {
        return ids.incrementAndGet();
    }

    void register(TunnelIoSession session) {
        sessions.put(session.getId(), session);
    }

    void unregister(TunnelIoSession session) {
        sessions.remove(session.getId(), session);
    }

    void setBoundAddress(SocketAddress address) {
        bound = address == null ? Set.of() : Set.of(address);
    }

    @Override
    public Map<Long, IoSession> getManagedSessions() {
        return Map.copyOf(sessions);
    }

    @Override
    public IoServiceEventListener getIoServiceEventListener() {
        return eventListener;
    }

    @Override
    public void setIoServiceEventListener(IoServiceEventListener listener) {
        this.eventListener = listener;
    }

    @Override
    public void bind(Collection<? extends SocketAddress> addresses) throws IOException {
        throw new IOException("The SSH bridge listens on setting ssh_port of PID network.wireguard only");
    }

    @Override
    public void bind(SocketAddress address) throws IOException {
        throw new IOException("The SSH bridge listens on setting ssh_port of PID network.wireguard only");
    }

    @Override
    public void unbind(Collection<? extends SocketAddress> addresses) {
        // Nothing is bound through this object.
    }

    @Override
    public void unbind(SocketAddress address) {
        // Nothing is bound through this object.
    }

    @Override
    public void unbind() {
        // Nothing is bound through this object.
    }

    @Override
    public Set<SocketAddress> getBoundAddresses() {
        return bound;
    }

    @Override
    protected void doCloseImmediately() {
        for (IoSession s : sessions.values()) {
            s.close(true);
        }
        super.doCloseImmediately();
    }

    @Override
    public String toString() {
        return "TunnelIoService" + bound;
    }
}
