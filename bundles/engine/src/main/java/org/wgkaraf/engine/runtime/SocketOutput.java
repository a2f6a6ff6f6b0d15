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
 */
final class SocketOutput implements CoreOutput {
    private final UdpSocket socket;
    private final EndpointResolver resolver;
    private final Consumer<String> errors;
    /* The device sends from one or two arrays (its transport and its handshake buffers): each is
       wrapped once and the wrapper reused, so sending allocates nothing. */
    private byte[] array1;
    private ByteBuffer buffer1;
    private byte[] array2;
    private ByteBuffer buffer2;

    SocketOutput(UdpSocket socket, EndpointResolver resolver, Consumer<String> errors) {
        this.socket = socket;
        this.resolver = resolver;
        this.errors = errors;
    }

    @Override
    public void sendDatagram(InetSocketAddress to, byte[] buf, int off, int len) {
        ByteBuffer bb = wrap(buf);
        bb.limit(off + len).position(off);
        try {
            socket.send(bb, to);
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

    @Override
    public void endpointStale(Peer peer) {
        Endpoint e = peer.config().endpoint();
        if (e != null && peer.handshakeAttempts() % 3 == 2) {
            resolver.request(peer.publicKey(), e); // every third unanswered attempt, look the name up again
        }
    }
}
