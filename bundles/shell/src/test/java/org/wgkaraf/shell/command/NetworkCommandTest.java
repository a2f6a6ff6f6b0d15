package org.wgkaraf.shell.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.wgkaraf.shell.command.TestSession.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.netif.PingService;
import org.wgkaraf.api.netif.TcpStatus;
import org.wgkaraf.shell.fixture.CapturedOut;
import org.wgkaraf.shell.fixture.FakeTcp;

class NetworkCommandTest {
    private final TestSession session = new TestSession();

    @Test
    void noWordIsStatus() throws Exception {
        assertEquals("""
                Interface#2: ap2 (ifup=1 linkup=1)
                  IPv4: 192.168.4.1/255.255.255.0 gateway 192.168.4.1

                DNS: None

                Default Interface: ap2 (192.168.4.1/255.255.255.0 gateway 192.168.4.1)
                """, session.run(network()));
    }

    @Test
    void statusEndsWithTheTcpBlockWhenTheTcpServiceRuns() throws Exception {
        session.tcp = new FakeTcp(new TcpStatus(Map.of("ESTABLISHED", 1), List.of(22), Map.of("TCP_BAD_CHECKSUM", 2L), 100));
        assertEquals("""
                Interface#2: ap2 (ifup=1 linkup=1)
                  IPv4: 192.168.4.1/255.255.255.0 gateway 192.168.4.1

                DNS: None

                Default Interface: ap2 (192.168.4.1/255.255.255.0 gateway 192.168.4.1)

                TCP: 1 open (ESTABLISHED 1), listening on 22, 100 B buffered
                  drops: TCP_BAD_CHECKSUM 2
                """, session.run(network("status")));
    }

    @Test
    void pingPrintsEachLineWhenItsEventHappens() throws Exception {
        List<Integer> linesSeenAfterEachEvent = new ArrayList<>();
        try (CapturedOut out = CapturedOut.capture()) {
            session.ping.afterEvent = () -> linesSeenAfterEachEvent.add(out.lines().size());
            session.inject(network("ping", "172.16.1.2")).execute();
            assertEquals(List.of(1, 2, 3, 4, 5), linesSeenAfterEachEvent);
            assertEquals(List.of(
                    "PING 172.16.1.2 (172.16.1.2): 64 data bytes",
                    "64 bytes from 172.16.1.2: icmp_seq=0 ttl=64 time=2 ms",
                    "From 172.16.1.2 icmp_seq=1 timeout",
                    "64 bytes from 172.16.1.2: icmp_seq=2 ttl=64 time=5 ms",
                    "64 bytes from 172.16.1.2: icmp_seq=3 ttl=64 time=3 ms",
                    "",
                    "--- 172.16.1.2 ping statistics ---",
                    "4 packets transmitted, 3 received, 25% packet loss, time 1010ms",
                    "round-trip avg = 3.33 ms"), out.lines());
        }
        assertEquals(PingService.Options.DEFAULT, session.ping.lastOptions);
    }

    @Test
    void pingOfAnUnknownHostFailsInTheOriginalsWords() {
        assertEquals(new TestSession.Failed("ERROR: unknown host wg.example.invalid", ""),
                session.fail(network("ping", "wg.example.invalid")));
    }

    @Test
    void pingWithoutAHostSaysWhatIsMissing() {
        assertEquals("Error: network ping needs a host: network ping <host>", session.fail(network("ping")).help());
    }

    @Test
    void onlyPingTakesAHost() {
        assertEquals("Error: only 'network ping' takes a host", session.fail(network("status", "gw")).help());
    }
}
