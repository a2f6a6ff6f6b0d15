package org.wgkaraf.netif.tcp;

import java.net.Inet4Address;
import java.util.List;
import org.wgkaraf.api.netif.TcpService;
import org.wgkaraf.netif.ip.Ipv4Layer;
import org.wgkaraf.netif.ip.TunnelInterfaces;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/** Two userspace IPv4 layers, 10.214.0.2 and 10.214.0.1, joined by two wires: TCP end to end in one JVM. */
final class LayerPair implements AutoCloseable {
    final Ipv4Layer a = new Ipv4Layer();
    final Ipv4Layer b = new Ipv4Layer();
    final Wire aToB = new Wire("wire-a-to-b");
    final Wire bToA = new Wire("wire-b-to-a");
    final VirtualBackend.Attachment aIf;
    final VirtualBackend.Attachment bIf;
    final TcpService tcpA = new TunnelTcpService(List.of(a));
    final TcpService tcpB = new TunnelTcpService(List.of(b));
    static final Inet4Address A = PacketBuilder.ipv4("10.214.0.2");
    static final Inet4Address B = PacketBuilder.ipv4("10.214.0.1");

    LayerPair() {
        aIf = TunnelInterfaces.attachUp(a, 1, "10.214.0.2", "255.255.255.0", aToB);
        bIf = TunnelInterfaces.attachUp(b, 1, "10.214.0.1", "255.255.255.0", bToA);
        aToB.connect(bIf);
        bToA.connect(aIf);
    }

    @Override
    public void close() {
        a.close();
        b.close();
        aToB.close();
        bToA.close();
    }
}
