package org.wgkaraf.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.apache.karaf.features.BootFinished;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.wgkaraf.api.engine.Endpoint;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.api.engine.WireGuardEngine;
import org.wgkaraf.testsupport.Await;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/** The engine as an OSGi service in the real distribution. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EngineInKarafIT {
    /** Boot (every boot feature installed) can take longer than Pax Exam's 10 s default on a busy machine. */
    @Inject
    @org.ops4j.pax.exam.util.Filter(timeout = 180_000)
    private BootFinished bootFinished;

    @Inject
    private WireGuardEngine engine;

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return KarafTestSupport.distribution();
    }

    @Test
    public void ourBundlesAreActive() {
        for (String bsn : List.of("org.wgkaraf.api", "org.wgkaraf.engine", "org.wgkaraf.netif", "org.wgkaraf.config",
                "org.wgkaraf.shell", "org.wgkaraf.access", "bcprov")) {
            Bundle b = Arrays.stream(context.getBundles()).filter(x -> bsn.equals(x.getSymbolicName())).findFirst().orElse(null);
            assertNotNull(bsn + " is installed", b);
            assertEquals(bsn + " is active", Bundle.ACTIVE, b.getState());
        }
    }

    /**
     * The engine's own X25519 in C (Bundle-NativeCode, extracted by the framework) is loaded
     * and passed its self-test inside Karaf; BouncyCastle's is the fallback elsewhere. The bundle
     * exports nothing, so the class is reached through the bundle.
     */
    @Test
    public void theEngineUsesTheNativeX25519() throws Exception {
        Bundle engineBundle = Arrays.stream(context.getBundles()).filter(x -> "org.wgkaraf.engine".equals(x.getSymbolicName()))
                .findFirst().orElseThrow();
        assertEquals("the engine bundle's X25519 (see the engine's log line 'X25519: ...' for the reason)",
                KarafTestSupport.nativeX25519Expected() ? "native" : "bc", KarafTestSupport.x25519Implementation(engineBundle));
    }

    /**
     * JNA lives inside the netif bundle, private: no bundle exports com.sun.jna, so nothing of
     * Karaf's (jline has an optional import of it) is ever rewired, and so refreshed, by ours.
     */
    @Test
    public void noBundleExportsJna() {
        for (Bundle b : context.getBundles()) {
            org.osgi.framework.wiring.BundleWiring wiring = b.adapt(org.osgi.framework.wiring.BundleWiring.class);
            if (wiring == null) {
                continue;
            }
            for (org.osgi.framework.wiring.BundleCapability c : wiring.getCapabilities("osgi.wiring.package")) {
                Object pkg = c.getAttributes().get("osgi.wiring.package");
                assertFalse(b.getSymbolicName() + " exports " + pkg, String.valueOf(pkg).startsWith("com.sun.jna"));
            }
        }
    }

    @Test
    public void twoTunnelsOfTheEngineServiceTalkOverLoopback() throws Exception {
        SecretKey ka = engine.generatePrivateKey();
        SecretKey kb = engine.generatePrivateKey();
        LinkedBlockingQueue<byte[]> toB = new LinkedBlockingQueue<>();
        Tunnel b = engine.open(new TunnelConfig("itb", kb, 0, List.of(new PeerConfig(engine.publicKey(ka), null, null,
                List.of(IpPrefix.parse("10.214.0.1/32")), 0))), (buf, off, len) -> toB.add(Arrays.copyOfRange(buf, off, off + len)));
        Tunnel a = engine.open(new TunnelConfig("ita", ka, 0, List.of(new PeerConfig(engine.publicKey(kb), null,
                new Endpoint("127.0.0.1", b.status().listenPort()), List.of(IpPrefix.parse("10.214.0.0/24")), 0))), (x, y, z) -> { });
        try {
            byte[] p = PacketBuilder.ipv4("10.214.0.1", "10.214.0.2").raw(PacketBuilder.UDP, new byte[8]).build();
            byte[] got = Await.value("a packet crossed the tunnel", Duration.ofSeconds(10), () -> {
                a.send(p, 0, p.length); // the endpoint resolves asynchronously; until then NO_ENDPOINT
                try {
                    return toB.poll(200, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }, Objects::nonNull);
            assertTrue(Arrays.equals(p, got));
            assertTrue(a.status().peers().get(0).up());
        } finally {
            a.close();
            b.close();
        }
    }
}
