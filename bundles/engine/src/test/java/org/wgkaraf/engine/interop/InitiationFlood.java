package org.wgkaraf.engine.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.wgkaraf.engine.crypto.Blake2s;
import org.wgkaraf.engine.crypto.XChaChaPoly;

/**
 * Floods one WireGuard port with handshake initiations that pass the cheap check (a correct MAC1
 * for the target's public key) but carry random content, so every one costs the target a
 * Diffie-Hellman before it fails. That is the load that makes a WireGuard peer answer with cookie
 * replies. In {@link Mac2#FROM_COOKIE} mode the flood decrypts the cookie it is sent and adds a
 * valid MAC2 from then on, which moves the target to per-address rate limiting; every 8th of those
 * packets carries a deliberately broken MAC2 as a control.
 *
 * <p>The sender index of each initiation says how it was built, and the target echoes it in its
 * cookie reply, so replies are counted by kind: bits 31-30 = 00 MAC1 only, 10 valid MAC2, 11 broken MAC2.
 */
public final class InitiationFlood implements AutoCloseable {
    public enum Mac2 { NEVER, FROM_COOKIE }

    /**
     * The rate the tests flood at. On a 2-core machine wireguard-go answers with cookie replies
     * from about 20000 initiations per second on (not at 10000); 50000 loads it surely while
     * leaving the flooded socket room for the genuine handshake the tests wait for.
     */
    public static final int TEST_RATE = 50_000;
    public static final int INITIATION_SIZE = 148;
    public static final int COOKIE_REPLY_SIZE = 64;
    private static final int MAC1_OFFSET = 116;
    private static final int MAC2_OFFSET = 132;
    private static final int TAG_MASK = 0xC000_0000;
    private static final int TAG_MAC2 = 0x8000_0000;
    private static final int TAG_BAD_MAC2 = 0xC000_0000;
    private static final int RING = 1 << 16;

    private final InetSocketAddress target;
    private final Mac2 mode;
    private final int packetsPerSecond;
    private final DatagramChannel channel;
    private final byte[] mac1Key = new byte[32];
    private final byte[] cookieKey = new byte[32];
    /** The MAC1 of recent initiations by counter, needed as associated data to open a cookie reply. */
    private final byte[][] sentMac1 = new byte[RING][Blake2s.MAC_SIZE];
    private final int[] sentCounter = new int[RING];
    private volatile byte[] cookie;
    private volatile boolean running = true;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sentWithMac2 = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicLong repliesToMac1 = new AtomicLong();
    private final AtomicLong repliesToMac2 = new AtomicLong();
    private final AtomicLong repliesToBadMac2 = new AtomicLong();
    private final AtomicLong cookiesOpened = new AtomicLong();
    private final Thread sender;
    private final Thread receiver;

    private InitiationFlood(InetSocketAddress local, InetSocketAddress target, byte[] targetPublicKey, Mac2 mode, int packetsPerSecond) {
        this.target = target;
        this.mode = mode;
        this.packetsPerSecond = packetsPerSecond;
        Blake2s.hash(mac1Key, "mac1----".getBytes(StandardCharsets.US_ASCII), targetPublicKey);
        Blake2s.hash(cookieKey, "cookie--".getBytes(StandardCharsets.US_ASCII), targetPublicKey);
        try {
            channel = DatagramChannel.open();
            channel.bind(local);
            channel.connect(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the flood socket " + local + " -> " + target + ": " + e.getMessage(), e);
        }
        sender = new Thread(this::sendLoop, "flood-send-" + target);
        receiver = new Thread(this::receiveLoop, "flood-receive-" + target);
        sender.setDaemon(true);
        receiver.setDaemon(true);
    }

    /**
     * @param local            where to send from (address and port 0 for any)
     * @param targetPublicKey  the target's static public key (32 bytes), for MAC1 and the cookie key
     * @param packetsPerSecond 0 = as fast as the socket takes them
     */
    public static InitiationFlood start(InetSocketAddress local, InetSocketAddress target, byte[] targetPublicKey, Mac2 mode, int packetsPerSecond) {
        InitiationFlood f = new InitiationFlood(local, target, targetPublicKey, mode, packetsPerSecond);
        f.receiver.start();
        f.sender.start();
        return f;
    }

    private void sendLoop() {
        byte[] p = new byte[INITIATION_SIZE];
        new SecureRandom().nextBytes(p);
        p[0] = 1; // handshake initiation
        p[1] = 0;
        p[2] = 0;
        p[3] = 0;
        ByteBuffer buf = ByteBuffer.wrap(p);
        long start = System.nanoTime();
        int counter = 0;
        while (running) {
            counter = (counter + 1) & ~TAG_MASK;
            byte[] ck = cookie;
            int tag = mode == Mac2.FROM_COOKIE && ck != null ? (counter % 8 == 0 ? TAG_BAD_MAC2 : TAG_MAC2) : 0;
            putIntLe(p, 4, tag | counter);
            putIntLe(p, 8, counter); // a different ephemeral key each time
            Blake2s.mac(mac1Key, p, 0, MAC1_OFFSET, p, MAC1_OFFSET);
            int slot = counter & (RING - 1);
            System.arraycopy(p, MAC1_OFFSET, sentMac1[slot], 0, Blake2s.MAC_SIZE);
            sentCounter[slot] = counter;
            if (tag == 0) {
                java.util.Arrays.fill(p, MAC2_OFFSET, INITIATION_SIZE, (byte) 0);
            } else {
                Blake2s.mac(ck, p, 0, MAC2_OFFSET, p, MAC2_OFFSET);
                if (tag == TAG_BAD_MAC2) {
                    p[MAC2_OFFSET] ^= 1;
                }
            }
            buf.clear();
            try {
                channel.write(buf);
                sent.incrementAndGet();
                if (tag == TAG_MAC2) {
                    sentWithMac2.incrementAndGet();
                }
            } catch (PortUnreachableException e) {
                sendErrors.incrementAndGet(); // the target port is closed for now: keep going
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                sendErrors.incrementAndGet();
            }
            if (packetsPerSecond > 0) {
                long due = start + sent.get() * 1_000_000_000L / packetsPerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }
    }

    private void receiveLoop() {
        byte[] in = new byte[256];
        ByteBuffer buf = ByteBuffer.wrap(in);
        byte[] opened = new byte[16];
        byte[] nonce = new byte[XChaChaPoly.NONCE_SIZE];
        byte[] aad = new byte[Blake2s.MAC_SIZE];
        while (running) {
            buf.clear();
            int n;
            try {
                n = channel.read(buf);
            } catch (PortUnreachableException e) {
                continue;
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            if (n != COOKIE_REPLY_SIZE || in[0] != 3 || in[1] != 0 || in[2] != 0 || in[3] != 0) {
                continue;
            }
            int receiverIndex = getIntLe(in, 4);
            switch (receiverIndex & TAG_MASK) {
                case TAG_MAC2 -> repliesToMac2.incrementAndGet();
                case TAG_BAD_MAC2 -> repliesToBadMac2.incrementAndGet();
                default -> repliesToMac1.incrementAndGet();
            }
            if (mode != Mac2.FROM_COOKIE) {
                continue;
            }
            int counter = receiverIndex & ~TAG_MASK;
            int slot = counter & (RING - 1);
            if (sentCounter[slot] != counter) {
                continue; // overwritten by a later initiation: the next reply will do
            }
            System.arraycopy(sentMac1[slot], 0, aad, 0, aad.length);
            System.arraycopy(in, 8, nonce, 0, nonce.length);
            if (XChaChaPoly.open(cookieKey, nonce, in, 32, 32, aad, opened, 0)) {
                cookie = opened.clone();
                cookiesOpened.incrementAndGet();
            }
        }
    }

    public long sent() {
        return sent.get();
    }

    public long sentWithMac2() {
        return sentWithMac2.get();
    }

    public long sendErrors() {
        return sendErrors.get();
    }

    /** Cookie replies of every kind. */
    public long cookieReplies() {
        return repliesToMac1.get() + repliesToMac2.get() + repliesToBadMac2.get();
    }

    public long cookieRepliesToValidMac2() {
        return repliesToMac2.get();
    }

    public long cookieRepliesToBrokenMac2() {
        return repliesToBadMac2.get();
    }

    /** Cookie replies that decrypted with the target's cookie key (so MAC2 is being sent). */
    public long cookiesOpened() {
        return cookiesOpened.get();
    }

    public boolean hasCookie() {
        return cookie != null;
    }

    @Override
    public void close() {
        running = false;
        try {
            channel.close();
            sender.join(5000);
            receiver.join(5000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive() || receiver.isAlive()) {
            throw new IllegalStateException("flood threads to " + target + " did not stop");
        }
    }

    @Override
    public String toString() {
        return "InitiationFlood[" + target + ", " + mode + ", sent " + sent() + " (MAC2 " + sentWithMac2() + ", errors " + sendErrors()
                + "), cookie replies to MAC1-only " + repliesToMac1 + ", to valid MAC2 " + repliesToMac2
                + ", to broken MAC2 " + repliesToBadMac2 + ", cookies opened " + cookiesOpened + "]";
    }

    private static void putIntLe(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    private static int getIntLe(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }
}
