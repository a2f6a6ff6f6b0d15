package org.wgkaraf.netif.tun;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Run in a child JVM with fewer privileges: tries {@link TunDevice#open} and prints "OPENED" or
 * "FAILED: " and the exception's message, which the test then checks.
 */
final class TunOpenProbe {
    private TunOpenProbe() {
    }

    public static void main(String[] args) throws IOException {
        Inet4Address address = (Inet4Address) InetAddress.getByName(args[1]);
        try (TunDevice device = TunDevice.open(args[0], address, Integer.parseInt(args[2]), 1420)) {
            System.out.println("OPENED " + device.name());
        } catch (IOException e) {
            System.out.println("FAILED: " + e.getMessage());
        }
    }
}
