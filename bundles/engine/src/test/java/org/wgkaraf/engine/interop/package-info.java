/**
 * Interop tests of the Java engine against wireguard-go, and the harness they run on.
 *
 * <p>The harness builds, per test, network namespaces joined to the root namespace by veth pairs
 * (10.213.N.0/24; tunnel addresses in 10.214.N.0/24), starts wireguard-go in them, and removes
 * everything afterwards; every name carries a per-run prefix "wgk" + 4 hex digits. Needs root,
 * /dev/net/tun and {@code apt-get install -y wireguard-go wireguard-tools iproute2 iputils-ping};
 * without them the tests fail and say so.
 *
 * <p>Other modules use it through the engine's test-jar: {@link org.wgkaraf.engine.interop.IsolatedNetns}
 * for namespaces joined to nothing (a topology the test builds itself), {@link
 * org.wgkaraf.engine.interop.NamespaceJvm} for a Java program that must run inside a namespace, and
 * {@link org.wgkaraf.engine.interop.Prerequisites#checkRoot} / {@code checkTun} for tests that need
 * less than wireguard-go.
 *
 * <pre>
 * mvn -B -ntp -pl bundles/engine -am verify -Dit.test=HarnessIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * mvn -B -ntp -pl bundles/engine -am verify -Dit.test=EngineInteropIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * {@code -Dwgk.interop.wglog=error} quiets wireguard-go's log (default: verbose, quoted in failures).
 */
package org.wgkaraf.engine.interop;
