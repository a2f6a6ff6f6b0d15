package org.wgkaraf.engine.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns an endpoint's host name into an address; the system resolver unless a test gives its own. */
@FunctionalInterface
public interface HostResolver {
    InetAddress resolve(String host) throws UnknownHostException;

    HostResolver SYSTEM = InetAddress::getByName;
}
