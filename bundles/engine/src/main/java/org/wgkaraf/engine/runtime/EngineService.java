package org.wgkaraf.engine.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.api.engine.WireGuardEngine;
import org.wgkaraf.engine.core.Tai64n;
import org.wgkaraf.engine.core.TimeSource;
import org.wgkaraf.engine.crypto.X25519;

/**
 * The WireGuard engine service. Works the same outside OSGi: {@code new EngineService()}.
 * Deactivation (bundle stop or update) closes every tunnel it opened.
 */
@Component(service = WireGuardEngine.class)
public final class EngineService implements WireGuardEngine {
    private final TimeSource time;
    private final SecureRandom random = new SecureRandom();
    private final List<TunnelRuntime> tunnels = new CopyOnWriteArrayList<>();
    /** One initiation clock for every tunnel of this service: reopening a tunnel never goes back in time. */
    private final Tai64n tai64n;
    private final HostResolver resolver;

    public EngineService() {
        this(TimeSource.SYSTEM);
    }

    public EngineService(TimeSource time) {
        this(time, null);
    }

    /**
     * @param timestampFile where the floor of handshake timestamps is kept across restarts, or
     *                      null for none. A module whose clock was reset after a power loss is then
     *                      not taken for a replayer by its server.
     */
    public EngineService(TimeSource time, Path timestampFile) {
        this(time, timestampFile, HostResolver.SYSTEM);
    }

    /** @param resolver how endpoint host names are looked up (again whenever handshakes go unanswered) */
    public EngineService(TimeSource time, Path timestampFile, HostResolver resolver) {
        this.time = time;
        this.resolver = resolver;
        this.tai64n = new Tai64n(time::wallClockNanos);
        if (timestampFile != null) {
            TimestampFile.restoreAndPersist(tai64n, timestampFile, time::nanoTime);
        }
    }

    /** In Karaf: the floor lives in ${karaf.data}/wgkaraf/, which survives bundle updates and reinstalls. */
    @Activate
    public EngineService(BundleContext context) {
        this(TimeSource.SYSTEM, TimestampFile.defaultLocation(context));
    }

    @Override
    public Tunnel open(TunnelConfig config, PacketSink sink) throws IOException {
        for (TunnelRuntime t : tunnels) {
            if (t.name().equals(config.name())) {
                throw new IllegalArgumentException("a tunnel named " + config.name() + " is open already");
            }
        }
        TunnelRuntime[] self = new TunnelRuntime[1];
        TunnelRuntime t = new TunnelRuntime(config, sink, time, random, tai64n, resolver, () -> tunnels.remove(self[0]));
        self[0] = t;
        tunnels.add(t);
        return t;
    }

    @Override
    public List<Tunnel> tunnels() {
        return List.copyOf(tunnels);
    }

    @Override
    public SecretKey generatePrivateKey() {
        byte[] k = new byte[32];
        X25519.generatePrivateKey(random, k);
        return wrapAndZero(k);
    }

    @Override
    public SecretKey generatePresharedKey() {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return wrapAndZero(k);
    }

    /** SecretKey copies the bytes; the caller's array is zeroed. */
    private static SecretKey wrapAndZero(byte[] k) {
        try {
            return SecretKey.of(k);
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
    }

    @Override
    public PublicKey publicKey(SecretKey privateKey) {
        byte[] k = privateKey.toBytes();
        byte[] pub = new byte[32];
        try {
            X25519.clamp(k);
            X25519.publicKey(k, pub);
            return PublicKey.of(pub);
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
    }

    @Deactivate
    public void closeAll() {
        for (TunnelRuntime t : tunnels) {
            t.close();
        }
        tai64n.flush();
    }
}
