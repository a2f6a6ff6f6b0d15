package org.wgkaraf.api.netif;

import java.net.Inet4Address;

/**
 * One interface as the original's {@code network status} shows it:
 * {@code Interface#<number>: <name> (ifup=<0|1> linkup=<0|1>)} and
 * {@code IPv4: <address>/<netmask> gateway <gateway>}. Unset addresses are 0.0.0.0.
 */
public record NetifInfo(int number, String name, Kind kind, boolean ifup, boolean linkup,
                        Inet4Address address, Inet4Address netmask, Inet4Address gateway) {

    /** Host interfaces are read from the OS; virtual ones are registered by bundles (tunnels). */
    public enum Kind { HOST, VIRTUAL }

    /** The netmask as a prefix length (255.240.0.0 is 12). */
    public int prefixLength() {
        byte[] m = netmask.getAddress();
        int bits = 0;
        for (byte b : m) {
            bits += Integer.bitCount(b & 0xff);
        }
        return bits;
    }
}
