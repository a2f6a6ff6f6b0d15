package org.wgkaraf.engine.interop;

import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.testsupport.packet.Ipv4Icmp;

/**
 * The Java engine's end of a test tunnel, standing in for the netif layer: it is the tunnel's
 * {@link PacketSink}, answers ICMP echo requests addressed to its tunnel address (so {@code ping}
 * from the namespace works), and sends echo requests of its own and collects their replies.
 * Packets are handled on a thread of its own, never on the engine's receive thread.
 */
public final class EngineEnd implements PacketSink, AutoCloseable {
    private static final AtomicInteger IDS = new AtomicInteger(0x4a00);

    private final Inet4Address address;
    private final BlockingQueue<byte[]> delivered = new ArrayBlockingQueue<>(4096);
    private final BlockingQueue<Ipv4Icmp.Packet> replies = new LinkedBlockingQueue<>();
    private final AtomicLong deliveredCount = new AtomicLong();
    private final AtomicLong overflow = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong answerRefused = new AtomicLong();
    private final AtomicLong unexpected = new AtomicLong();
    private final AtomicInteger seq = new AtomicInteger();
    private final Thread worker;
    private volatile Tunnel tunnel;
    private volatile boolean running = true;

    public EngineEnd(Inet4Address tunnelAddress) {
        this.address = tunnelAddress;
        worker = new Thread(this::work, "engine-end-" + tunnelAddress.getHostAddress());
        worker.setDaemon(true);
        worker.start();
    }

    /** The tunnel this end answers through; packets that arrive earlier wait for it. */
    public void attach(Tunnel t) {
        this.tunnel = t;
    }

    public Inet4Address address() {
        return address;
    }

    @Override
    public void deliver(byte[] packet, int offset, int length) {
        deliveredCount.incrementAndGet();
        if (!delivered.offer(Arrays.copyOfRange(packet, offset, offset + length))) {
            overflow.incrementAndGet();
        }
    }

    private void work() {
        while (running) {
            byte[] p;
            try {
                p = delivered.poll(100, TimeUnit.MILLISECONDS);
                if (p == null) {
                    continue;
                }
                while (tunnel == null && running) {
                    Thread.sleep(10); // open() has not returned yet
                }
            } catch (InterruptedException e) {
                return;
            }
            Ipv4Icmp.Packet ip;
            try {
                ip = Ipv4Icmp.parse(p, 0, p.length);
            } catch (IllegalArgumentException e) {
                unexpected.incrementAndGet();
                continue;
            }
            if (ip.isEchoRequest() && ip.destination().equals(address)) {
                byte[] reply = Ipv4Icmp.echoReply(p, 0, p.length);
                Tunnel t = tunnel;
                if (t != null && t.send(reply, 0, reply.length)) {
                    answered.incrementAndGet();
                } else {
                    answerRefused.incrementAndGet();
                }
            } else if (ip.isEchoReply() && ip.destination().equals(address)) {
                replies.add(ip);
            } else {
                unexpected.incrementAndGet();
            }
        }
    }

    /**
     * Pings {@code dst} through the tunnel: sends an echo request every {@code interval} until a
     * reply to one of them comes back or {@code timeout} passes (the first requests may wait for
     * or trigger a handshake).
     *
     * @return whether a reply came
     */
    public boolean ping(Inet4Address dst, Duration timeout, Duration interval) {
        int id = IDS.incrementAndGet() & 0xffff;
        byte[] payload = ("wgkaraf interop " + id).getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            byte[] req = Ipv4Icmp.echoRequest(address, dst, id, seq.incrementAndGet() & 0xffff, payload);
            tunnel.send(req, 0, req.length);
            long waitUntil = Math.min(deadline, System.nanoTime() + interval.toNanos());
            try {
                for (long left = waitUntil - System.nanoTime(); left > 0; left = waitUntil - System.nanoTime()) {
                    Ipv4Icmp.Packet r = replies.poll(left, TimeUnit.NANOSECONDS);
                    if (r != null && r.icmpId() == id && r.source().equals(dst) && Arrays.equals(r.icmpData(), payload)) {
                        return true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** {@link #ping(Inet4Address, Duration, Duration)} with a request every 500 ms. */
    public boolean ping(Inet4Address dst, Duration timeout) {
        return ping(dst, timeout, Duration.ofMillis(500));
    }

    /** Echo requests from the peer that this end answered through the tunnel. */
    public long answered() {
        return answered.get();
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
        try {
            worker.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "EngineEnd[" + address.getHostAddress() + ": delivered " + deliveredCount + ", answered " + answered
                + ", answers refused by send() " + answerRefused + ", unexpected " + unexpected + ", overflow " + overflow + "]";
    }
}
