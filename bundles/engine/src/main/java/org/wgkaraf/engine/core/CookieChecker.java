package org.wgkaraf.engine.core;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import org.wgkaraf.engine.crypto.Blake2s;
import org.wgkaraf.engine.crypto.Blake2sHasher;
import org.wgkaraf.engine.crypto.XChaChaPoly;

/**
 * Our side of the cookie mechanism (whitepaper 5.3 and 5.4.7): checks MAC1 and MAC2 of the
 * handshake messages we receive and, under load, answers with cookie replies. The cookie secret
 * changes every COOKIE_REFRESH_TIME.
 */
final class CookieChecker {
    private final byte[] mac1Key = new byte[32];
    private final byte[] cookieKey = new byte[32];
    private final byte[] secret = new byte[32];
    private final SecureRandom random;
    private long secretSetAt;
    private boolean hasSecret;
    private final byte[] mac = new byte[16];
    private final byte[] cookie = new byte[16];
    private final byte[] addr = new byte[18];
    /** Computes the MACs without allocating: MAC1 is checked on every handshake datagram, a flood's too. */
    private final Blake2sHasher hasher = new Blake2sHasher();

    CookieChecker(byte[] ourPublic, SecureRandom random) {
        this.random = random;
        Blake2s.hash(mac1Key, Constants.LABEL_MAC1, ourPublic);
        Blake2s.hash(cookieKey, Constants.LABEL_COOKIE, ourPublic);
    }

    boolean checkMac1(byte[] msg, int off, int size) {
        int at = Messages.mac1Offset(size);
        hasher.mac(mac1Key, msg, off, at, mac, 0);
        return constantTimeEquals(mac, msg, off + at);
    }

    /** MAC2 is valid only with a cookie made from our current secret for this source. */
    boolean checkMac2(byte[] msg, int off, int size, InetSocketAddress source, long now) {
        if (!hasSecret || now - secretSetAt >= Constants.COOKIE_REFRESH_TIME) {
            return false;
        }
        makeCookie(source);
        int at = Messages.mac2Offset(size);
        hasher.mac(cookie, msg, off, at, mac, 0);
        return constantTimeEquals(mac, msg, off + at);
    }

    /** Writes a cookie reply to the message at {@code msg} into {@code out}; returns its size. */
    int createReply(byte[] msg, int off, int size, int receiverIndex, InetSocketAddress source, long now, byte[] out) {
        if (!hasSecret || now - secretSetAt >= Constants.COOKIE_REFRESH_TIME) {
            random.nextBytes(secret);
            secretSetAt = now;
            hasSecret = true;
        }
        makeCookie(source);
        Messages.header(out, 0, Messages.TYPE_COOKIE_REPLY);
        Messages.putInt(out, Messages.COOKIE_REPLY_RECEIVER, receiverIndex);
        byte[] nonce = new byte[XChaChaPoly.NONCE_SIZE];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, Messages.COOKIE_REPLY_NONCE, nonce.length);
        byte[] mac1 = Arrays.copyOfRange(msg, off + Messages.mac1Offset(size), off + Messages.mac2Offset(size));
        XChaChaPoly.seal(cookieKey, nonce, cookie, mac1, out, Messages.COOKIE_REPLY_COOKIE);
        return Messages.COOKIE_REPLY_SIZE;
    }

    private void makeCookie(InetSocketAddress source) {
        byte[] ip = source.getAddress().getAddress();
        System.arraycopy(ip, 0, addr, 0, ip.length);
        addr[ip.length] = (byte) (source.getPort() >>> 8);
        addr[ip.length + 1] = (byte) source.getPort();
        hasher.mac(secret, addr, 0, ip.length + 2, cookie, 0);
    }

    /** Constant time, in place: runs for every handshake datagram, a flood included. */
    private static boolean constantTimeEquals(byte[] expected, byte[] msg, int at) {
        int diff = 0;
        for (int i = 0; i < 16; i++) {
            diff |= expected[i] ^ msg[at + i];
        }
        return diff == 0;
    }

    void destroy() {
        Arrays.fill(secret, (byte) 0);
        Arrays.fill(cookie, (byte) 0);
        hasSecret = false;
    }
}
