/**
 * Interop tests of the Java engine against wireguard-go, in network namespaces.
 *
 * <p>The harness they run on (namespaces, wireguard-go, {@code wg show}) is the shared one in the
 * test-support module, {@code org.wgkaraf.testsupport.interop}; here are only the engine's own
 * pieces: {@link org.wgkaraf.engine.interop.EngineEnd} (a tunnel's Java end that answers pings),
 * {@link org.wgkaraf.engine.interop.InitiationFlood} (handshake initiations built with the engine's
 * crypto) and {@link org.wgkaraf.engine.interop.OffsetTimeSource} (a clock the test moves). {@link
 * org.wgkaraf.engine.interop.HarnessIT} proves the harness itself, wireguard-go against wireguard-go.
 * Needs root, /dev/net/tun and {@code apt-get install -y wireguard-go wireguard-tools iproute2
 * iputils-ping}; without them the tests fail and say so.
 *
 * <pre>
 * mvn -B -ntp -pl bundles/engine -am verify -Dit.test=HarnessIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * mvn -B -ntp -pl bundles/engine -am verify -Dit.test=EngineInteropIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * {@code -Dwgk.interop.wglog=error} quiets wireguard-go's log (default: verbose, quoted in failures).
 */
package org.wgkaraf.engine.interop;
