/**
 * The userspace IPv4 layer: a host on the address of every tunnel interface attached to it. It
 * answers ICMP echo, carries UDP for {@link org.wgkaraf.api.netif.UdpService} sockets, sends the
 * echo requests of the ping service, and hands TCP to the userspace TCP layer
 * ({@link org.wgkaraf.netif.tcp}).
 */
package org.wgkaraf.netif.ip;
