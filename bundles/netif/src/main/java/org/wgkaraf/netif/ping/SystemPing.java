package org.wgkaraf.netif.ping;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the system's {@code ping} (iputils) for one request: {@code ping -n -c 1 -W <s> -s <size>}.
 * It needs no privilege where the kernel allows ICMP datagram sockets or ping has its capability,
 * which is how distributions install it.
 */
final class SystemPing implements HostPing {
    private static final Logger LOG = LoggerFactory.getLogger(SystemPing.class);
    /** How long past the timeout ping may take to start and exit before it is killed. */
    private static final long GRACE_MILLIS = 2000;
    private static final Pattern REPLY = Pattern.compile("bytes from .*\\bttl=(\\d+)(?:.*\\btime[=<]([0-9.]+) ms)?");

    @Override
    public Optional<Reply> ping(Inet4Address address, int dataSize, Duration timeout) throws InterruptedException {
        List<String> command = List.of("ping", "-n", "-c", "1", "-W", seconds(timeout), "-s",
                Integer.toString(dataSize), address.getHostAddress());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C"); // the output is parsed: no translated words or decimal commas
        long start = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the system's ping (install iputils-ping): " + e.getMessage(), e);
        }
        try {
            p.getOutputStream().close();
            // ping prints a few hundred bytes: they wait in the pipe until it exits.
            if (!p.waitFor(timeout.toMillis() + GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("ping {} did not exit within {} ms of its timeout: killed", address.getHostAddress(), GRACE_MILLIS);
                return Optional.empty();
            }
            double elapsedMillis = (System.nanoTime() - start) / 1e6;
            String output = read(p.getInputStream());
            Optional<Reply> reply = parse(output, elapsedMillis);
            if (reply.isEmpty() && p.exitValue() > 1) { // 1 is "no reply"; more is an error of ping's own
                LOG.warn("ping {} failed: {}", address.getHostAddress(), output.strip());
            }
            return reply;
        } catch (IOException e) {
            LOG.warn("cannot read the output of ping {}: {}", address.getHostAddress(), e.getMessage());
            return Optional.empty();
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * The reply in ping's output, if any. Below 16 bytes of data ping has no room for its time
     * stamp and prints no time: then the process's own run time stands in for the round trip.
     */
    static Optional<Reply> parse(String output, double elapsedMillis) {
        for (String line : output.split("\n")) {
            Matcher m = REPLY.matcher(line);
            if (m.find()) {
                int ttl = Integer.parseInt(m.group(1));
                double rtt = m.group(2) != null ? Double.parseDouble(m.group(2)) : elapsedMillis;
                return Optional.of(new Reply(ttl, rtt));
            }
        }
        return Optional.empty();
    }

    /** Whole seconds when they are (what every iputils accepts), else fractional (iputils 2021 on). */
    static String seconds(Duration timeout) {
        long millis = Math.max(1, timeout.toMillis());
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
