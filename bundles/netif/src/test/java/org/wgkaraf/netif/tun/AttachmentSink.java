package org.wgkaraf.netif.tun;

import java.util.concurrent.atomic.AtomicReference;
import org.wgkaraf.api.engine.PacketSink;
import org.wgkaraf.netif.spi.VirtualBackend;

/**
 * A tunnel's sink that passes packets, and the ends of bursts, to an attachment made after the
 * tunnel (the TUN device exists only once the tunnel does); what comes before is dropped. The
 * tests' stand-in for the config bundle's bridge.
 */
public final class AttachmentSink implements PacketSink {
    private final AtomicReference<VirtualBackend.Attachment> attachment = new AtomicReference<>();

    public void set(VirtualBackend.Attachment a) {
        attachment.set(a);
    }

    /** The attachment, or null. */
    public VirtualBackend.Attachment get() {
        return attachment.get();
    }

    @Override
    public void deliver(byte[] packet, int offset, int length) {
        VirtualBackend.Attachment a = attachment.get();
        if (a != null) {
            a.input(packet, offset, length);
        }
    }

    @Override
    public void flush() {
        VirtualBackend.Attachment a = attachment.get();
        if (a != null) {
            a.flush();
        }
    }
}
