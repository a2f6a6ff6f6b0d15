package org.wgkaraf.netif.registry;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.wgkaraf.api.netif.NetworkListener;
import org.wgkaraf.api.netif.Uplink;

/** Writes each event as a line ("ready eth0 10.0.0.2 via 10.0.0.1", "gone", "changed A -> B") and waits for them. */
class RecordingListener implements NetworkListener {
    private static final long WAIT_SECONDS = 10;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    @Override
    public void networkReady(Uplink uplink) {
        events.add("ready " + text(uplink));
    }

    @Override
    public void networkGone() {
        events.add("gone");
    }

    @Override
    public void uplinkChanged(Uplink previous, Uplink current) {
        events.add("changed " + text(previous) + " -> " + text(current));
    }

    static String text(Uplink u) {
        return u.name() + " " + u.address().getHostAddress() + " via " + u.gateway().getHostAddress();
    }

    /** The next event; fails if none comes within the deadline. */
    String next() throws InterruptedException {
        String e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no network event within " + WAIT_SECONDS + " s");
        }
        return e;
    }

    /** Events received and not yet taken by {@link #next()}. */
    int pending() {
        return events.size();
    }
}
