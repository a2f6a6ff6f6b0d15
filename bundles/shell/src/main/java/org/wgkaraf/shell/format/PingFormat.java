package org.wgkaraf.shell.format;

import java.net.InetAddress;
import java.util.Locale;
import java.util.function.Consumer;
import org.wgkaraf.api.netif.PingResult;
import org.wgkaraf.api.netif.PingService;

/**
 * {@code network ping} in the original's words. It listens to the run, so each line goes out when
 * its event happens; the statistics follow from the result. Unlike the original, the statistics
 * reach the user's session and the average counts replies only.
 */
public final class PingFormat implements PingService.Listener {
    private final Consumer<String> out;
    private String address = "?";

    /** @param out receives each line as soon as it is known */
    public PingFormat(Consumer<String> out) {
        this.out = out;
    }

    public static String unknownHost(String host) {
        return "ERROR: unknown host " + host;
    }

    @Override
    public void started(String host, InetAddress address, int dataSize) {
        this.address = address.getHostAddress();
        out.accept("PING " + host + " (" + this.address + "): " + dataSize + " data bytes");
    }

    @Override
    public void reply(int sequence, int bytes, int ttl, double rttMillis) {
        out.accept(bytes + " bytes from " + address + ": icmp_seq=" + sequence + " ttl=" + ttl
                + " time=" + Math.round(rttMillis) + " ms");
    }

    @Override
    public void timeout(int sequence) {
        out.accept("From " + address + " icmp_seq=" + sequence + " timeout");
    }

    public void summary(PingResult result) {
        String target = result.address().getHostAddress();
        out.accept("");
        out.accept("--- " + target + " ping statistics ---");
        out.accept(result.transmitted() + " packets transmitted, " + result.received() + " received, "
                + result.lossPercent() + "% packet loss, time " + result.totalMillis() + "ms");
        if (result.received() > 0) {
            out.accept(String.format(Locale.ROOT, "round-trip avg = %.2f ms", result.averageMillis()));
        }
    }
}
