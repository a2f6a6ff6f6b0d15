package org.wgkaraf.access.socks;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Name resolution on the module, for requests that carry a host name. */
@FunctionalInterface
interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;

    Resolver SYSTEM = InetAddress::getAllByName;
}
