/**
 * The netif registry: every network interface of the module, host and virtual (tunnels), the
 * network events that drive the tunnel's lifecycle, the userspace IPv4 layer's UDP sockets and
 * the ping service, TCP through the tunnel.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.3.0")
package org.wgkaraf.api.netif;
