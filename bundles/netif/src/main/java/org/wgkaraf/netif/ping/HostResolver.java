package org.wgkaraf.netif.ping;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Name resolution, the system's by default ({@link InetAddress#getAllByName}). */
@FunctionalInterface
interface HostResolver {
    HostResolver SYSTEM = InetAddress::getAllByName;

    InetAddress[] resolve(String host) throws UnknownHostException;
}
