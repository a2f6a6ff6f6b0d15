package org.wgkaraf.netif.registry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.netif.spi.VirtualBackend;

/** A backend that records what the registry asks of it, or refuses to attach. */
final class FakeBackend implements VirtualBackend {
    final List<Recording> attachments = new ArrayList<>();
    private IOException refusal;

    FakeBackend refuseWith(IOException e) {
        refusal = e;
        return this;
    }

    @Override
    public synchronized Attachment attach(NetifInfo info, PacketSink toTunnel) throws IOException {
        if (refusal != null) {
            throw refusal;
        }
        Recording r = new Recording(info, toTunnel);
        attachments.add(r);
        return r;
    }

    /** One attachment: the packets it was given, the link states it was told, how often it was closed. */
    static final class Recording implements Attachment {
        final NetifInfo info;
        final PacketSink toTunnel;
        final List<byte[]> input = new ArrayList<>();
        final List<Boolean> linkStates = new ArrayList<>();
        int closes;

        Recording(NetifInfo info, PacketSink toTunnel) {
            this.info = info;
            this.toTunnel = toTunnel;
        }

        @Override
        public synchronized void input(byte[] packet, int offset, int length) {
            input.add(Arrays.copyOfRange(packet, offset, offset + length));
        }

        @Override
        public synchronized void setLinkUp(boolean up) {
            linkStates.add(up);
        }

        @Override
        public synchronized void close() {
            closes++;
        }
    }
}
