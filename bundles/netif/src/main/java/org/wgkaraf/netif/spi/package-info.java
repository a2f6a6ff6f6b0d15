/** Internal seams of the netif bundle: how the registry reaches the IPv4 layer and the TUN backend. */
package org.wgkaraf.netif.spi;
