package org.wgkaraf.netif.ping;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.wgkaraf.api.netif.PingService;

/** Writes down the listener's events in order, with the thread each came on. */
final class RecordingListener implements PingService.Listener {
    final List<String> events = new ArrayList<>();
    final List<Double> rtts = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();

    @Override
    public void started(String host, InetAddress address, int dataSize) {
        threads.add(Thread.currentThread());
        events.add("started " + host + " " + address.getHostAddress() + " " + dataSize);
    }

    @Override
    public void reply(int sequence, int bytes, int ttl, double rttMillis) {
        threads.add(Thread.currentThread());
        rtts.add(rttMillis);
        events.add("reply " + sequence + " " + bytes + " ttl=" + ttl);
    }

    @Override
    public void timeout(int sequence) {
        threads.add(Thread.currentThread());
        events.add("timeout " + sequence);
    }
}
