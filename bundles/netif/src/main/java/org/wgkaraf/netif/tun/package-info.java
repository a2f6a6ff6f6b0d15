/**
 * The Linux TUN backend: a tunnel interface as a real OS interface, through JNA.
 *
 * <p>{@link org.wgkaraf.netif.tun.TunDevice} creates and configures the interface with ioctls (no
 * external command) and moves packets without allocating; {@link org.wgkaraf.netif.tun.TunBackend}
 * joins a device to a tunnel, and {@code TunTcp} gives the bundle's TcpService OS sockets bound to
 * the TUN interfaces' addresses. Needs CAP_NET_ADMIN and /dev/net/tun; the tests are *IT for that reason:
 * <pre>
 * mvn -B -ntp -pl bundles/netif verify -Dit.test='Tun*IT' -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
package org.wgkaraf.netif.tun;
