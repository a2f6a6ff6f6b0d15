package org.wgkaraf.netif.tun;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.netif.spi.VirtualBackend;

/**
 * One interface attached to a TUN device. A reader thread passes every packet the OS sends through
 * the interface to the tunnel, from one reused buffer; packets from the tunnel are written to the
 * device. While the link is down, what the OS sends is dropped and counted: it has nowhere safe to go.
 *
 * <p>On a device with offloads, what is read is split into MTU-sized packets first
 * ({@link TsoSplitter}), and what comes from the tunnel is joined into TCP super-segments
 * ({@link TcpCoalescer}) until the tunnel says its burst ended ({@link #flush()}). The split
 * segments go to the tunnel as one burst ({@link PacketSink#deliverMore}), ended by a
 * {@link PacketSink#flush()} after each read, so the tunnel may send their datagrams together.
 */
final class TunAttachment implements VirtualBackend.Attachment {
    private static final Logger LOG = LoggerFactory.getLogger(TunAttachment.class);
    private static final long JOIN_MILLIS = TimeUnit.SECONDS.toMillis(5);

    private final TunDevice device;
    private final PacketSink toTunnel;
    private final Runnable onClose;
    private final Thread reader;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong droppedLinkDown = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong writeFailures = new AtomicLong();
    private final AtomicLong deliverFailures = new AtomicLong();
    private final TsoSplitter splitter;
    /** Null without offloads. Its monitor serialises input and flush; what it holds at the close is dropped. */
    private final TcpCoalescer coalescer;
    private volatile boolean linkUp = true;
    private volatile boolean closed;

    private TunAttachment(TunDevice device, PacketSink toTunnel, Runnable onClose) {
        this.device = device;
        this.toTunnel = toTunnel;
        this.onClose = onClose;
        this.splitter = device.offloads() ? new TsoSplitter() : null;
        this.coalescer = device.offloads() ? new TcpCoalescer(this::write) : null;
        this.reader = new Thread(this::readLoop, "wgk-tun-" + device.name());
        reader.setDaemon(true);
    }

    static TunAttachment start(TunDevice device, PacketSink toTunnel) {
        return start(device, toTunnel, () -> { });
    }

    /** @param onClose runs first when the attachment closes (the TCP side lets go of the interface's address) */
    static TunAttachment start(TunDevice device, PacketSink toTunnel, Runnable onClose) {
        TunAttachment a = new TunAttachment(device, toTunnel, onClose);
        a.reader.start();
        return a;
    }

    private void readLoop() {
        byte[] buf = new byte[TunDevice.MAX_READ];
        try {
            int n;
            while ((n = device.read(buf, 0, buf.length)) >= 0) {
                if (!linkUp) {
                    droppedLinkDown.incrementAndGet();
                    continue;
                }
                try {
                    if (splitter == null) {
                        sent.incrementAndGet();
                        toTunnel.deliver(buf, 0, n);
                    } else {
                        sent.addAndGet(splitter.split(buf, 0, n, toTunnel));
                    }
                } catch (RuntimeException e) {
                    if (deliverFailures.incrementAndGet() == 1) {
                        LOG.warn("the tunnel failed on a packet from {} (later failures are only counted)", device.name(), e);
                    }
                } finally {
                    if (splitter != null) {
                        flushToTunnel();
                    }
                }
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.error("reading TUN interface {} failed; it carries no more packets to the tunnel", device.name(), e);
            }
        }
    }

    /** The end of a read's burst: the tunnel sends what the splitter's segments left held back. */
    private void flushToTunnel() {
        try {
            toTunnel.flush();
        } catch (RuntimeException e) {
            if (deliverFailures.incrementAndGet() == 1) {
                LOG.warn("the tunnel failed to flush packets from {} (later failures are only counted)", device.name(), e);
            }
        }
    }

    @Override
    public void input(byte[] packet, int offset, int length) {
        if (closed) {
            return;
        }
        if (coalescer != null) {
            synchronized (coalescer) {
                coalescer.add(packet, offset, length);
            }
            return;
        }
        try {
            device.write(packet, offset, length);
            received.incrementAndGet();
        } catch (IOException e) {
            // A packet the kernel refuses (not IP, interface set down by hand) is the peer's or the
            // admin's doing: count it, never throw at the tunnel's receive thread.
            if (writeFailures.incrementAndGet() == 1 && !closed) {
                LOG.warn("TUN interface {} refused a packet from the tunnel (later refusals are only counted): {}", device.name(), e.getMessage());
            }
        }
    }

    @Override
    public void flush() {
        if (coalescer != null) {
            synchronized (coalescer) {
                coalescer.flush();
            }
        }
    }

    /** The coalescer's output: one write, a failure counted. */
    private void write(byte[] vnetHeader, byte[] packet, int offset, int length, int segments) {
        try {
            device.write(vnetHeader, packet, offset, length);
            received.addAndGet(segments);
        } catch (IOException e) {
            if (writeFailures.incrementAndGet() == 1 && !closed) {
                LOG.warn("TUN interface {} refused a packet from the tunnel (later refusals are only counted): {}", device.name(), e.getMessage());
            }
        }
    }

    @Override
    public void setLinkUp(boolean up) {
        linkUp = up;
    }

    /** Packets read from the device and passed to the tunnel. */
    long sent() {
        return sent.get();
    }

    /** Packets read from the device while the link was down, and dropped. */
    long droppedLinkDown() {
        return droppedLinkDown.get();
    }

    /** Packets from the tunnel written to the device (each segment of a super-segment counts). */
    long received() {
        return received.get();
    }

    /** Packets from the tunnel the device refused. */
    long writeFailures() {
        return writeFailures.get();
    }

    /** Whether the device has offloads: super-segments are split and segments joined. */
    boolean offloads() {
        return splitter != null;
    }

    /** Super-segments read and split (0 without offloads). */
    long superSegmentsSplit() {
        return splitter == null ? 0 : splitter.superSegments();
    }

    /** Reads the splitter dropped as malformed (0 without offloads). */
    long splitDrops() {
        return splitter == null ? 0 : splitter.drops();
    }

    /** Segments from the tunnel written inside super-segments (0 without offloads). */
    long segmentsJoined() {
        if (coalescer == null) {
            return 0;
        }
        synchronized (coalescer) {
            return coalescer.coalesced();
        }
    }

    boolean readerAlive() {
        return reader.isAlive();
    }

    @Override
    public void close() {
        if (!closed) {
            onClose.run();
        }
        closed = true;
        device.close();
        if (Thread.currentThread() != reader) {
            try {
                reader.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (reader.isAlive()) {
                LOG.warn("the reader of TUN interface {} did not stop within {} ms", device.name(), JOIN_MILLIS);
            }
        }
    }

    @Override
    public String toString() {
        return "TunAttachment[" + device.name() + ", link " + (linkUp ? "up" : "down") + ", sent " + sent + ", dropped (link down) "
                + droppedLinkDown + ", received " + received + ", refused " + writeFailures + ", tunnel failures " + deliverFailures
                + (splitter == null ? "" : ", " + splitter + ", joined " + coalescer.coalesced() + " segments into "
                + coalescer.superSegments() + " super-segments") + "]";
    }
}
