/**
 * The interop harness: network namespaces, wireguard-go, and Java programs inside a namespace, for
 * tests that run the engine or the netif layer against the real thing.
 *
 * <p>{@link org.wgkaraf.testsupport.interop.Lab} builds, per test, network namespaces joined to the
 * root namespace by veth pairs (10.213.N.0/24; tunnel addresses in 10.214.N.0/24), starts
 * wireguard-go in them ({@link org.wgkaraf.testsupport.interop.WireGuardGoPeer}), and removes
 * everything afterwards; every name carries a per-run prefix "wgk" + 4 hex digits ({@link
 * org.wgkaraf.testsupport.interop.RunNames}). Needs root, /dev/net/tun and {@code apt-get install -y
 * wireguard-go wireguard-tools iproute2 iputils-ping}; without them the tests fail and say so
 * ({@link org.wgkaraf.testsupport.interop.Prerequisites}).
 *
 * <p>Also: {@link org.wgkaraf.testsupport.interop.IsolatedNetns} for namespaces joined to nothing (a
 * topology the test builds itself), {@link org.wgkaraf.testsupport.interop.NamespaceJvm} for a Java
 * program that must run inside a namespace, {@link org.wgkaraf.testsupport.interop.Prerequisites#checkRoot}
 * / {@code checkTun} for tests that need less than wireguard-go, {@link
 * org.wgkaraf.testsupport.interop.Shell} for commands, {@link org.wgkaraf.testsupport.interop.WgDump}
 * and {@link org.wgkaraf.testsupport.interop.WgKeys} for {@code wg}'s output and keys.
 *
 * <p>Nothing here knows the engine: the engine's own pieces (its end of a tunnel, the initiation
 * flood, a clock that jumps) stay in the engine's tests ({@code org.wgkaraf.engine.interop}).
 * {@code -Dwgk.interop.wglog=error} quiets wireguard-go's log (default: verbose, quoted in
 * failures).
 */
package org.wgkaraf.testsupport.interop;
