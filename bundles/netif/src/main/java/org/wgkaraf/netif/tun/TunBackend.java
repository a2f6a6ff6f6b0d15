package org.wgkaraf.netif.tun;

import java.io.IOException;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.netif.NetifInfo;
import org.osgi.service.component.annotations.Component;
import org.wgkaraf.netif.spi.VirtualBackend;

/**
 * The Linux TUN backend: each tunnel interface becomes a real interface of the OS, named like the
 * tunnel interface and carrying its address and netmask, so every program on the machine can use
 * the tunnel. Needs CAP_NET_ADMIN; without it {@link #attach} fails saying how to get it.
 */
@Component(service = VirtualBackend.class, property = "netif.backend=TUN")
public final class TunBackend implements VirtualBackend {
    /** WireGuard's usual MTU: 1500 less 80 bytes for an outer IPv6 header, UDP and WireGuard's header and tag. */
    public static final int MTU = 1420;

    public TunBackend() {
    }

    @Override
    public Attachment attach(NetifInfo info, PacketSink toTunnel) throws IOException {
        TunDevice device = TunDevice.open(info.name(), info.address(), info.prefixLength(), MTU);
        return TunAttachment.start(device, toTunnel);
    }
}
