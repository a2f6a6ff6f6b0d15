package org.wgkaraf.netif.tcp;

import java.util.ArrayList;
import java.util.List;

/**
 * What the segments of one receive burst make connections send, held until the burst ends.
 *
 * <p>A tunnel's receive thread takes datagrams for as long as its socket has some waiting, and
 * then, before it waits, flushes the interface they came through
 * ({@code VirtualBackend.Attachment#flush}). A peer's TCP sends in bursts (in the bulk benchmark,
 * 26 datagrams a flush on average), so a connection that receives in bulk would send an ACK for
 * every second segment of each, each one encrypted and sent on its own, and wake the output
 * thread as often. Held here, the connection sends one cumulative ACK at the end of the burst
 * instead, and the output thread is woken once: what Linux's TCP does for the segments GRO joins
 * into one (the kernel behind our {@code tun} backend acknowledges each 64 KiB write once).
 *
 * <p>Bounded: a connection that has received {@link #MAX_HELD} segments while held sends at
 * once, so an ACK leaves at least every {@value #MAX_HELD} segments (44 KB at 1380 bytes, less
 * than what GRO joins) however long the burst. The ACK timing rules of the connection itself
 * (an ACK due for every second full segment, RFC 9293 3.8.6.3) are unchanged: what is held is
 * when the ACK that is due leaves, by the length of the burst (microseconds while the receive
 * thread keeps up).
 *
 * <p>Made by {@link UserspaceTcp#newBurst()} for an interface whose receive thread is known to
 * flush; {@link #hold} is called on that thread under the connection's lock, {@link #flush} on
 * the same thread without any TCP lock (and when the interface closes). What a receive thread
 * leaves held when it ends mid-burst (its tunnel closed) goes at the next receive thread's first
 * flush, or when the interface closes.
 */
public final class ReceiveBurst {
    /** Segments a held connection may receive before it sends what is due anyway. */
    static final int MAX_HELD = 32;

    private final UserspaceTcp layer;
    private final List<UserspaceConnection> held = new ArrayList<>();

    ReceiveBurst(UserspaceTcp layer) {
        this.layer = layer;
    }

    /** {@code c} has something to send at the end of the burst. Once per connection and burst. */
    synchronized void hold(UserspaceConnection c) {
        held.add(c);
    }

    /** The burst ended: every held connection sends what it has (on the output thread). */
    public void flush() {
        UserspaceConnection[] release;
        synchronized (this) {
            if (held.isEmpty()) {
                return;
            }
            release = held.toArray(new UserspaceConnection[0]);
            held.clear();
        }
        for (UserspaceConnection c : release) {
            c.releaseFromBurst();
            layer.output(c);
        }
    }
}
