package org.wgkaraf.netif.registry;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 addresses as ints (network order, most significant byte first), for masks and prefix matches. */
final class Ipv4 {
    static final Inet4Address ANY = of(0);

    private Ipv4() {
    }

    static int toInt(Inet4Address address) {
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    static Inet4Address of(int address) {
        byte[] b = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    /** The mask of a prefix length: 24 is 255.255.255.0. */
    static int mask(int prefixLength) {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("an IPv4 prefix length is 0 to 32, not " + prefixLength);
        }
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    static Inet4Address netmask(int prefixLength) {
        return of(mask(prefixLength));
    }

    /** True when the mask's one bits all come before its zero bits (0.0.0.0 included). */
    static boolean isContiguous(int mask) {
        int host = ~mask;
        return (host & (host + 1)) == 0;
    }
}
