package org.wgkaraf.engine.core;

import java.util.Arrays;
import org.wgkaraf.engine.crypto.Blake2s;
import org.wgkaraf.engine.crypto.Blake2sHasher;
import org.wgkaraf.engine.crypto.XChaChaPoly;

/**
 * The peer's side of the cookie mechanism, kept per peer: puts MAC1 (and MAC2 while we hold a
 * fresh cookie) on the handshake messages we send to it, and takes the cookie replies it sends.
 */
final class CookieGenerator {
    private final byte[] mac1Key = new byte[32];
    private final byte[] cookieKey = new byte[32];
    private final byte[] lastMac1 = new byte[16];
    private final byte[] cookie = new byte[16];
    private boolean hasLastMac1;
    private boolean hasCookie;
    private long cookieReceivedAt;
    /** Computes the MACs without allocating: MAC1 is checked on every handshake datagram, a flood's too. */
    private final Blake2sHasher hasher = new Blake2sHasher();

    CookieGenerator(byte[] peerPublic) {
        Blake2s.hash(mac1Key, Constants.LABEL_MAC1, peerPublic);
        Blake2s.hash(cookieKey, Constants.LABEL_COOKIE, peerPublic);
    }

    /** Fills the mac1 and mac2 fields of a message of {@code size} bytes at {@code msg[0]}. */
    void addMacs(byte[] msg, int size, long now) {
        int at1 = Messages.mac1Offset(size);
        hasher.mac(mac1Key, msg, 0, at1, msg, at1);
        System.arraycopy(msg, at1, lastMac1, 0, 16);
        hasLastMac1 = true;
        int at2 = Messages.mac2Offset(size);
        if (hasCookie && now - cookieReceivedAt < Constants.COOKIE_MAX_AGE) {
            hasher.mac(cookie, msg, 0, at2, msg, at2);
        } else {
            Arrays.fill(msg, at2, at2 + 16, (byte) 0);
        }
    }

    /** Takes a cookie reply; false when it does not answer our last message or fails to decrypt. */
    boolean consumeReply(byte[] msg, int off, long now) {
        if (!hasLastMac1) {
            return false;
        }
        byte[] nonce = Arrays.copyOfRange(msg, off + Messages.COOKIE_REPLY_NONCE, off + Messages.COOKIE_REPLY_COOKIE);
        byte[] plain = new byte[16];
        if (!XChaChaPoly.open(cookieKey, nonce, msg, off + Messages.COOKIE_REPLY_COOKIE, 32, lastMac1, plain, 0)) {
            return false;
        }
        System.arraycopy(plain, 0, cookie, 0, 16);
        Arrays.fill(plain, (byte) 0);
        hasCookie = true;
        cookieReceivedAt = now;
        return true;
    }

    boolean hasFreshCookie(long now) {
        return hasCookie && now - cookieReceivedAt < Constants.COOKIE_MAX_AGE;
    }

    void destroy() {
        Arrays.fill(cookie, (byte) 0);
        hasCookie = false;
    }
}
