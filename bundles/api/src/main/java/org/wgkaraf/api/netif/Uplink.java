package org.wgkaraf.api.netif;

import java.net.Inet4Address;

/** The host interface that holds the default route: what the tunnel's UDP traffic leaves by. */
public record Uplink(String name, Inet4Address address, Inet4Address gateway) {
}
