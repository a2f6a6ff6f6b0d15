package org.wgkaraf.netif.ping;

import static org.wgkaraf.testsupport.packet.PacketBuilder.address;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u16;
import static org.wgkaraf.testsupport.packet.PacketBuilder.u8;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/**
 * A fake tunnel with a peer behind it: echo requests come back as replies with TTL 61 after
 * {@code delayMillis}, from another thread as a real tunnel's would, except for the sequence
 * numbers it is told to drop.
 */
final class EchoingTunnel implements PacketSink, AutoCloseable {
    static final int PEER_TTL = 61;
    private final long delayMillis;
    private final Set<Integer> dropped;
    private final ScheduledExecutorService peer = Executors.newSingleThreadScheduledExecutor();
    private final CopyOnWriteArrayList<Integer> requests = new CopyOnWriteArrayList<>();
    private volatile VirtualBackend.Attachment attachment;

    EchoingTunnel(long delayMillis, Set<Integer> dropped) {
        this.delayMillis = delayMillis;
        this.dropped = dropped;
    }

    void connect(VirtualBackend.Attachment a) {
        attachment = a;
    }

    /** The sequence numbers of the echo requests that went into the tunnel. */
    CopyOnWriteArrayList<Integer> requests() {
        return requests;
    }

    @Override
    public void deliver(byte[] packet, int offset, int length) {
        byte[] p = Arrays.copyOfRange(packet, offset, offset + length);
        if (u8(p, 9) != 1 || u8(p, 20) != 8) {
            return;
        }
        int seq = u16(p, 26);
        requests.add(seq);
        if (dropped.contains(seq)) {
            return;
        }
        byte[] reply = PacketBuilder.ipv4(address(p, 16), address(p, 12)).ttl(PEER_TTL)
                .echoReply(u16(p, 24), seq, Arrays.copyOfRange(p, 28, p.length)).build();
        peer.schedule(() -> attachment.input(reply, 0, reply.length), delayMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        peer.shutdownNow();
    }
}
