/**
 * The ping service: echo requests through the userspace IPv4 layer for addresses behind a tunnel,
 * through the host's own {@code ping} for the others.
 */
package org.wgkaraf.netif.ping;
