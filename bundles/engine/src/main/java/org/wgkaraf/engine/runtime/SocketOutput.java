package org.wgkaraf.engine.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.engine.core.CoreOutput;
import org.wgkaraf.engine.core.Peer;

/**
 * What the device asks of the network, done: datagrams go out of the tunnel's socket, and an
 * endpoint gone stale asks the resolver for a lookup. Called under the engine lock, by whichever
 * thread holds it; it calls nothing outside the engine.
 *
 * <p>Bursts: while a caller of {@link org.wgkaraf.api.engine.Tunnel#sendMore} holds the lock
 * ({@link #hold}), the datagrams the device sends are copied into a batch instead of sent, as long
 * as they go to the batch's destination and are no longer than its first (the segment size); a
 * shorter one ends the batch. The batch goes out in one system call ({@link UdpSocket#sendSegments})
 * when it is full (64 datagrams, or 64 KiB), when a datagram does not fit it, when a datagram comes
 * from anything else (a handshake, a keepalive, another thread's send: the batch goes first, so the
 * order on the wire is the order of sending), and at {@link #flush}. A socket that cannot send a
 * burst in one call gets the batch's datagrams one by one.
 *
 * <p>{@code -Dwgkaraf.udp.gso=false} turns batches off: every datagram is sent when the device
 * sends it, one system call each, as before batches existed.
 */
final class SocketOutput implements CoreOutput {
    /** Whether bursts are batched, from {@code wgkaraf.udp.gso} (default true). */
    static final boolean BATCHES = !"false".equalsIgnoreCase(System.getProperty("wgkaraf.udp.gso", "true"));

    private final UdpSocket socket;
    private final EndpointResolver resolver;
    private final Consumer<String> errors;
    private final boolean batches;
    /* The device sends from one or two arrays (its transport and its handshake buffers): each is
       wrapped once and the wrapper reused, so sending allocates nothing. */
    private byte[] array1;
    private ByteBuffer buffer1;
    private byte[] array2;
    private ByteBuffer buffer2;

    /** The batch: datagrams of {@link #segmentSize} bytes (the last may be shorter), back to back. Created at the first burst. */
    private ByteBuffer batch;
    private InetSocketAddress batchTo;
    private int segmentSize;
    private int segments;
    /** The batch's last datagram is shorter than the segment size: nothing more may join it. */
    private boolean batchEnded;
    /** A caller of sendMore holds the lock: what the device sends now may wait in the batch. */
    private boolean holding;
    /** Batches sent in one call, and the datagrams in them (tests, benchmarks). */
    private long batchesSent;
    private long datagramsBatched;

    SocketOutput(UdpSocket socket, EndpointResolver resolver, Consumer<String> errors) {
        this(socket, resolver, errors, BATCHES);
    }

    SocketOutput(UdpSocket socket, EndpointResolver resolver, Consumer<String> errors, boolean batches) {
        this.socket = socket;
        this.resolver = resolver;
        this.errors = errors;
        this.batches = batches;
    }

    /** Whether what the device sends next may wait in the batch; true only around a sendMore. */
    void hold(boolean hold) {
        holding = hold && batches && socket.maySendSegments();
    }

    @Override
    public void sendDatagram(InetSocketAddress to, byte[] buf, int off, int len) {
        if (segments > 0 && fits(to, len)) {
            append(buf, off, len);
            if (!holding || batchEnded || full()) {
                flush();
            }
            return;
        }
        flush();
        if (holding && len <= UdpGso.MAX_BYTES) {
            startBatch(to, buf, off, len);
            return;
        }
        send(to, wrap(buf).limit(off + len).position(off));
    }

    private boolean fits(InetSocketAddress to, int len) {
        return !batchEnded && to.equals(batchTo) && len <= segmentSize && batch.position() + len <= UdpGso.MAX_BYTES;
    }

    private boolean full() {
        return segments == UdpGso.MAX_SEGMENTS || batch.position() + segmentSize > UdpGso.MAX_BYTES;
    }

    private void startBatch(InetSocketAddress to, byte[] buf, int off, int len) {
        if (batch == null) {
            batch = ByteBuffer.allocateDirect(UdpGso.MAX_BYTES);
        }
        batch.clear();
        batchTo = to;
        segmentSize = len;
        batchEnded = false;
        append(buf, off, len);
    }

    private void append(byte[] buf, int off, int len) {
        batch.put(buf, off, len);
        segments++;
        batchEnded = len < segmentSize;
    }

    /** Sends the batch, if any: in one call when the socket can, else one datagram per call. */
    void flush() {
        if (segments == 0) {
            return;
        }
        int n = segments;
        int length = batch.position();
        segments = 0;
        if (n > 1) {
            try {
                if (socket.sendSegments(batch, length, segmentSize, batchTo)) {
                    batchesSent++;
                    datagramsBatched += n;
                    return;
                }
            } catch (IOException e) {
                errors.accept("send to " + batchTo + " failed: " + e.getMessage());
                return;
            }
        }
        for (int at = 0; at < length; at += segmentSize) {
            send(batchTo, batch.limit(Math.min(length, at + segmentSize)).position(at));
        }
    }

    /** Drops the batch unsent (the tunnel closes). */
    void discard() {
        segments = 0;
    }

    private void send(InetSocketAddress to, ByteBuffer datagram) {
        try {
            socket.send(datagram, to);
        } catch (IOException e) {
            // The uplink may be gone (roaming): the timers retry; note it, nothing else to do.
            errors.accept("send to " + to + " failed: " + e.getMessage());
        }
    }

    private ByteBuffer wrap(byte[] buf) {
        if (buf == array1) {
            return buffer1.clear();
        }
        if (buf == array2) {
            return buffer2.clear();
        }
        array2 = array1;
        buffer2 = buffer1;
        array1 = buf;
        buffer1 = ByteBuffer.wrap(buf);
        return buffer1;
    }

    /** Batches sent in one system call so far. */
    long batchesSent() {
        return batchesSent;
    }

    /** Datagrams sent inside those batches. */
    long datagramsBatched() {
        return datagramsBatched;
    }

    @Override
    public void endpointStale(Peer peer) {
        Endpoint e = peer.config().endpoint();
        if (e != null && peer.handshakeAttempts() % 3 == 2) {
            resolver.request(peer.publicKey(), e); // every third unanswered attempt, look the name up again
        }
    }
}
