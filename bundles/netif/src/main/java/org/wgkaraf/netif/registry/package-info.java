/**
 * The netif registry: the host's interfaces read from the OS, the virtual interfaces (tunnels)
 * registered by other bundles, numbering as the original's {@code network status}, routing by
 * longest prefix and the network events that start and stop tunnels.
 */
package org.wgkaraf.netif.registry;
