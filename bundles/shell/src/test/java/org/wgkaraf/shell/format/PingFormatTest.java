package org.wgkaraf.shell.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.wgkaraf.shell.fixture.FakeRegistry.ipv4;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.netif.PingResult;
import org.wgkaraf.api.netif.PingService;
import org.wgkaraf.shell.fixture.FakePing;

class PingFormatTest {
    /** The lines of a run to 172.16.1.2: one round-trip time a request, null for a timeout. */
    private static List<String> run(String host, Double... rtts) throws Exception {
        List<String> lines = new ArrayList<>();
        PingFormat format = new PingFormat(lines::add);
        PingResult result = new FakePing(host, ipv4("172.16.1.2"), Arrays.asList(rtts))
                .ping(host, PingService.Options.DEFAULT, format);
        format.summary(result);
        return lines;
    }

    @Test
    void fourRepliesMatchTheGuideExample() throws Exception {
        assertEquals("""
                PING 172.16.1.2 (172.16.1.2): 64 data bytes
                64 bytes from 172.16.1.2: icmp_seq=0 ttl=64 time=2 ms
                64 bytes from 172.16.1.2: icmp_seq=1 ttl=64 time=2 ms
                64 bytes from 172.16.1.2: icmp_seq=2 ttl=64 time=5 ms
                64 bytes from 172.16.1.2: icmp_seq=3 ttl=64 time=3 ms

                --- 172.16.1.2 ping statistics ---
                4 packets transmitted, 4 received, 0% packet loss, time 12ms
                round-trip avg = 3.00 ms
                """, String.join("\n", run("172.16.1.2", 2.0, 2.0, 5.0, 3.0)) + "\n");
    }

    @Test
    void lossCountsTimeoutsInTheTimeAndNotInTheAverage() throws Exception {
        assertEquals(List.of(
                "PING gw.example.net (172.16.1.2): 64 data bytes",
                "64 bytes from 172.16.1.2: icmp_seq=0 ttl=64 time=2 ms",
                "From 172.16.1.2 icmp_seq=1 timeout",
                "64 bytes from 172.16.1.2: icmp_seq=2 ttl=64 time=4 ms",
                "From 172.16.1.2 icmp_seq=3 timeout",
                "",
                "--- 172.16.1.2 ping statistics ---",
                "4 packets transmitted, 2 received, 50% packet loss, time 2006ms",
                "round-trip avg = 3.00 ms"), run("gw.example.net", 2.0, null, 4.0, null));
    }

    @Test
    void noAverageWhenNothingCameBack() throws Exception {
        List<String> lines = run("172.16.1.2", null, null, null, null);
        assertEquals(List.of("", "--- 172.16.1.2 ping statistics ---",
                "4 packets transmitted, 0 received, 100% packet loss, time 4000ms"), lines.subList(5, lines.size()));
    }

    @Test
    void replyTimesAreRoundedToWholeMilliseconds() throws Exception {
        List<String> lines = run("172.16.1.2", 0.4, 2.5);
        assertEquals("64 bytes from 172.16.1.2: icmp_seq=0 ttl=64 time=0 ms", lines.get(1));
        assertEquals("64 bytes from 172.16.1.2: icmp_seq=1 ttl=64 time=3 ms", lines.get(2));
        assertEquals("round-trip avg = 1.45 ms", lines.get(lines.size() - 1));
    }

    @Test
    void unknownHostInTheOriginalsWords() {
        assertEquals("ERROR: unknown host wg.example.invalid", PingFormat.unknownHost("wg.example.invalid"));
    }
}
