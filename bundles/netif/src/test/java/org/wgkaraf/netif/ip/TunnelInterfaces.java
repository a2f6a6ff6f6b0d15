package org.wgkaraf.netif.ip;

import org.wgkaraf.api.netif.NetifInfo;

/** Tunnel interfaces as the registry describes them when it attaches them. */
public final class TunnelInterfaces {
    private TunnelInterfaces() {
    }

    public static NetifInfo info(int number, String address, String netmask) {
        return new NetifInfo(number, "wg" + number, NetifInfo.Kind.VIRTUAL, true, false,
                PacketBuilder.ipv4(address), PacketBuilder.ipv4(netmask), PacketBuilder.ipv4("0.0.0.0"));
    }
}
