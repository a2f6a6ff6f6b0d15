package org.wgkaraf.netif.ip;

import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.netif.spi.VirtualBackend;
import org.wgkaraf.testsupport.packet.PacketBuilder;

/** Tunnel interfaces as the registry describes them when it attaches them. */
public final class TunnelInterfaces {
    private TunnelInterfaces() {
    }

    public static NetifInfo info(int number, String address, String netmask) {
        return new NetifInfo(number, "wg" + number, NetifInfo.Kind.VIRTUAL, true, false,
                PacketBuilder.ipv4(address), PacketBuilder.ipv4(netmask), PacketBuilder.ipv4("0.0.0.0"));
    }

    /** Attaches wg{@code number} to {@code layer}, sending through {@code tunnel}, with its link up (its peer is there). */
    public static VirtualBackend.Attachment attachUp(Ipv4Layer layer, int number, String address, String netmask, PacketSink tunnel) {
        VirtualBackend.Attachment a = layer.attach(info(number, address, netmask), tunnel);
        a.setLinkUp(true);
        return a;
    }
}
