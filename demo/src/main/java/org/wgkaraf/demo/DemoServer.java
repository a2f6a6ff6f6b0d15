package org.wgkaraf.demo;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.wgkaraf.api.engine.IpPrefix;
import org.wgkaraf.api.engine.PeerConfig;
import org.wgkaraf.api.engine.PublicKey;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.engine.TunnelConfig;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.engine.runtime.EngineService;
import org.wgkaraf.netif.ip.Ipv4Layer;
import org.wgkaraf.netif.spi.VirtualBackend;

/**
 * The guide's quick-start server, on loopback: our own engine with the guide's server key,
 * listening on UDP 51820, and a userspace host at 172.16.1.10/12 behind it that answers pings.
 * The guide's keys are documentation values: never use them for a real tunnel.
 */
public final class DemoServer {
    static final String SERVER_PRIVATE_KEY = "SGfeKo9cmhIJ5tpDOjOimnEKi3M+3mJ21+jJ7otllHI=";
    static final String MODULE_PUBLIC_KEY = "hi0SNx8JJVLWIOuIfeQW5Ea5SK/41g4DeXJ2eJR9R3Y=";
    static final String PRESHARED_KEY = "JUvxtI5sFm9n0zY6N4Z8rz/nSnww2DaeFKsOPGnC1WA=";

    private DemoServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 51820;
        EngineService engine = new EngineService();
        Ipv4Layer host = new Ipv4Layer();
        Tunnel[] tunnel = new Tunnel[1];
        NetifInfo info = new NetifInfo(1, "wgdemo", NetifInfo.Kind.VIRTUAL, true, true,
                (Inet4Address) InetAddress.getByName("172.16.1.10"), (Inet4Address) InetAddress.getByName("255.240.0.0"),
                (Inet4Address) InetAddress.getByName("0.0.0.0"));
        VirtualBackend.Attachment attachment = host.attach(info, (p, o, l) -> tunnel[0].send(p, o, l));
        attachment.setLinkUp(true);
        tunnel[0] = engine.open(new TunnelConfig("wgdemo", SecretKey.fromBase64(SERVER_PRIVATE_KEY), port, List.of(
                new PeerConfig(PublicKey.fromBase64(MODULE_PUBLIC_KEY), SecretKey.fromBase64(PRESHARED_KEY), null,
                        List.of(IpPrefix.parse("172.16.10.20/32")), 0))), attachment::input);
        System.out.println("demo WireGuard server: UDP " + port + ", public key " + engine.publicKey(SecretKey.fromBase64(SERVER_PRIVATE_KEY))
                + ", private address 172.16.1.10/12; waiting for the module 172.16.10.20");
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            tunnel[0].close();
            attachment.close();
            host.close();
            stop.countDown();
        }));
        stop.await();
    }
}
