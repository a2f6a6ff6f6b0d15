package org.wgkaraf.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.engine.Tunnel;
import org.wgkaraf.api.netif.VirtualNetif;

/**
 * The interface may read (the TUN device starts its reader when registered) before the tunnel
 * exists: what comes then is dropped and counted, never sent to a tunnel not yet built.
 */
class PacketBridgeTest {
    private final List<Integer> sent = new ArrayList<>();
    private final List<Integer> received = new ArrayList<>();

    private final Tunnel tunnel = (Tunnel) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Tunnel.class},
            (p, m, a) -> {
                if (m.getName().equals("send")) {
                    sent.add((Integer) a[2]);
                } else if (m.getName().equals("sendMore")) {
                    sent.add(-(Integer) a[2]);
                } else if (m.getName().equals("flush")) {
                    sent.add(0);
                }
                return m.getReturnType() == boolean.class ? Boolean.TRUE : null;
            });
    private final VirtualNetif netif = (VirtualNetif) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {VirtualNetif.class}, (p, m, a) -> {
                if (m.getName().equals("receive")) {
                    received.add((Integer) a[2]);
                } else if (m.getName().equals("flush")) {
                    received.add(-1);
                }
                return null;
            });

    @Test
    void packetsBeforeBothEndsAreBuiltOrAfterTheyAreGoneAreDroppedAndCounted() {
        PacketBridge bridge = new PacketBridge();
        bridge.toTunnel(new byte[10], 0, 10);
        bridge.fromTunnel(new byte[11], 0, 11);
        bridge.connect(tunnel, netif);
        bridge.toTunnel(new byte[20], 0, 20);
        bridge.fromTunnel(new byte[21], 0, 21);
        bridge.disconnect();
        bridge.toTunnel(new byte[30], 0, 30);

        assertEquals(List.of(20), sent);
        assertEquals(List.of(21), received);
        assertEquals(3, bridge.droppedUnconnected());
    }

    /** The tunnel's sink passes packets and the end of each burst to the interface, in order. */
    @Test
    void theTunnelsSinkPassesTheEndOfABurstToTheInterface() {
        PacketBridge bridge = new PacketBridge();
        bridge.tunnelSink().flush(); // no interface yet: nothing to tell
        bridge.connect(tunnel, netif);
        bridge.tunnelSink().deliver(new byte[40], 0, 40);
        bridge.tunnelSink().deliver(new byte[41], 0, 41);
        bridge.tunnelSink().flush();
        bridge.disconnect();
        bridge.tunnelSink().flush();

        assertEquals(List.of(40, 41, -1), received, "two packets, then the flush (-1)");
    }

    /** The interface's sink passes a burst to the tunnel as held packets, and its end as a flush, in order. */
    @Test
    void theInterfacesSinkPassesABurstAndItsEndToTheTunnel() {
        PacketBridge bridge = new PacketBridge();
        bridge.netifSink().deliverMore(new byte[5], 0, 5); // no tunnel yet: dropped and counted
        bridge.netifSink().flush();
        bridge.connect(tunnel, netif);
        bridge.netifSink().deliverMore(new byte[50], 0, 50);
        bridge.netifSink().deliverMore(new byte[51], 0, 51);
        bridge.netifSink().flush();
        bridge.netifSink().deliver(new byte[52], 0, 52);

        assertEquals(List.of(-50, -51, 0, 52), sent, "two held (negative), the flush (0), then a plain send");
        assertEquals(1, bridge.droppedUnconnected());
    }
}
