package org.wgkaraf.netif;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A bad path for the outer UDP datagrams between the Java engine and wireguard-go, since this
 * kernel has no netem: the engine sends to the relay's front socket, the relay forwards to
 * wireguard-go from its back socket, and back again. Each datagram, either way, is dropped with
 * probability {@code loss}, else held for {@code delay}, and a share of them for a random extra
 * time, so later ones overtake it (reordering). Settings can change while it runs.
 */
public final class LossyRelay implements AutoCloseable {
    /**
     * @param loss         share of datagrams dropped, each way
     * @param delay        one-way delay added to every datagram
     * @param reorderShare share of datagrams held longer
     * @param reorderExtra the most extra time such a datagram is held (uniform up to it)
     */
    public record Settings(double loss, Duration delay, double reorderShare, Duration reorderExtra) {
        public static final Settings CLEAN = new Settings(0, Duration.ZERO, 0, Duration.ZERO);
        /** 1% loss, 50 ms each way, 1% held up to 20 ms more. */
        public static final Settings LOSSY = new Settings(0.01, Duration.ofMillis(50), 0.01, Duration.ofMillis(20));

        @Override
        public String toString() {
            return String.format("%.1f%% loss, %d ms delay each way, %.1f%% reordered by up to %d ms", loss * 100,
                    delay.toMillis(), reorderShare * 100, reorderExtra.toMillis());
        }
    }

    private record Pending(long due, long order, DatagramChannel via, SocketAddress to, byte[] data) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Pending p = (Pending) o;
            return due != p.due ? Long.compare(due, p.due) : Long.compare(order, p.order);
        }
    }

    private final DatagramChannel front;
    private final DatagramChannel back;
    private final InetSocketAddress server;
    private final DelayQueue<Pending> pending = new DelayQueue<>();
    private final Random random = new Random(20261125);
    private final Thread[] threads;
    private final AtomicLong order = new AtomicLong();
    private volatile SocketAddress client;
    private volatile Settings settings;
    private volatile boolean open = true;
    public final AtomicLong forwarded = new AtomicLong();
    public final AtomicLong dropped = new AtomicLong();
    public final AtomicLong reordered = new AtomicLong();
    /**
     * Datagrams from the engine that this drops on top of the random loss (a test's chosen loss:
     * the first transport packet, say); counted in {@link #dropped} and {@link #droppedByRule}.
     */
    public volatile Predicate<byte[]> dropFromEngine = d -> false;
    public final AtomicLong droppedByRule = new AtomicLong();

    /**
     * @param backAddress the local address to reach {@code server} from (the root end of the namespace's veth)
     * @param server      wireguard-go's address and port
     */
    public LossyRelay(String backAddress, InetSocketAddress server, Settings settings) throws IOException {
        this("127.0.0.1", backAddress, server, settings);
    }

    /** @param frontAddress where the client (the side that starts) sends to */
    public LossyRelay(String frontAddress, String backAddress, InetSocketAddress server, Settings settings) throws IOException {
        this.server = server;
        this.settings = settings;
        this.front = bound(frontAddress);
        this.back = bound(backAddress);
        this.threads = new Thread[] {
            new Thread(() -> receive(front, true), "relay-from-engine"),
            new Thread(() -> receive(back, false), "relay-from-wireguard-go"),
            new Thread(this::deliver, "relay-deliver")};
        for (Thread t : threads) {
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * A socket on {@code address} with room for a sender's burst: with the kernel's default
     * buffer (208 KiB) the relay itself dropped datagrams when the kernel's TCP burst, and the
     * path lost several times the loss it was set to.
     */
    private static DatagramChannel bound(String address) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        return ch.bind(new InetSocketAddress(address, 0));
    }

    /** Where the engine must send: its peer's endpoint. */
    public InetSocketAddress frontAddress() throws IOException {
        return (InetSocketAddress) front.getLocalAddress();
    }

    public void settings(Settings s) {
        settings = s;
    }

    public Settings settings() {
        return settings;
    }

    private void receive(DatagramChannel ch, boolean fromEngine) {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        while (open) {
            try {
                buf.clear();
                SocketAddress from = ch.receive(buf);
                if (fromEngine) {
                    client = from;
                }
                SocketAddress to = fromEngine ? server : client;
                if (to == null) {
                    continue;
                }
                buf.flip();
                byte[] data = new byte[buf.remaining()];
                buf.get(data);
                if (fromEngine && dropFromEngine.test(data)) {
                    droppedByRule.incrementAndGet();
                    dropped.incrementAndGet();
                    continue;
                }
                schedule(fromEngine ? back : front, to, data);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (open) {
                    System.err.println("relay receive failed: " + e);
                }
            }
        }
    }

    private void schedule(DatagramChannel via, SocketAddress to, byte[] data) {
        Settings s = settings;
        double r;
        long extra = 0;
        synchronized (random) {
            r = random.nextDouble();
            if (r >= s.loss() && random.nextDouble() < s.reorderShare()) {
                extra = (long) (random.nextDouble() * s.reorderExtra().toNanos());
                reordered.incrementAndGet();
            }
        }
        if (r < s.loss()) {
            dropped.incrementAndGet();
            return;
        }
        pending.add(new Pending(System.nanoTime() + s.delay().toNanos() + extra, order.incrementAndGet(), via, to, data));
    }

    private void deliver() {
        while (open) {
            try {
                Pending p = pending.poll(100, TimeUnit.MILLISECONDS);
                if (p != null) {
                    p.via.send(ByteBuffer.wrap(p.data), p.to);
                    forwarded.incrementAndGet();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                if (open) {
                    System.err.println("relay send failed: " + e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        front.close();
        back.close();
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String toString() {
        return "relay[" + settings + ": forwarded " + forwarded + ", dropped " + dropped + ", reordered " + reordered + "]";
    }
}
