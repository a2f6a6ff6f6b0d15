package org.wgkaraf.netif.ping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading iputils ping's output (LC_ALL=C), as Debian's iputils-ping 20221126 prints it. */
class SystemPingTest {

    @Test
    void aReplyLineGivesTtlAndTime() {
        String out = """
                PING 10.213.0.1 (10.213.0.1) 64(92) bytes of data.
                72 bytes from 10.213.0.1: icmp_seq=1 ttl=63 time=12.3 ms

                --- 10.213.0.1 ping statistics ---
                1 packets transmitted, 1 received, 0% packet loss, time 0ms
                rtt min/avg/max/mdev = 12.300/12.300/12.300/0.000 ms
                """;

        assertEquals(Optional.of(new HostPing.Reply(63, 12.3)), SystemPing.parse(out, 99));
    }

    @Test
    void withoutATimeOnTheLineTheProcessRunTimeStandsIn() {
        String out = """
                PING 127.0.0.1 (127.0.0.1) 8(36) bytes of data.
                16 bytes from 127.0.0.1: icmp_seq=1 ttl=64

                --- 127.0.0.1 ping statistics ---
                1 packets transmitted, 1 received, 0% packet loss, time 0ms
                """;

        assertEquals(Optional.of(new HostPing.Reply(64, 7.5)), SystemPing.parse(out, 7.5));
    }

    @Test
    void noReplyLineIsNoReply() {
        String unreachable = """
                PING 10.213.0.9 (10.213.0.9) 64(92) bytes of data.
                From 10.213.0.1 icmp_seq=1 Destination Host Unreachable

                --- 10.213.0.9 ping statistics ---
                1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms
                """;
        String silent = """
                PING 10.213.0.9 (10.213.0.9) 64(92) bytes of data.

                --- 10.213.0.9 ping statistics ---
                1 packets transmitted, 0 received, 100% packet loss, time 0ms
                """;

        assertEquals(Optional.empty(), SystemPing.parse(unreachable, 1));
        assertEquals(Optional.empty(), SystemPing.parse(silent, 1));
        assertEquals(Optional.empty(), SystemPing.parse("ping: socket: Operation not permitted\n", 1));
    }

    @Test
    void timeoutsAreWholeSecondsWhenTheyCanBe() {
        assertEquals("1", SystemPing.seconds(Duration.ofSeconds(1)));
        assertEquals("3", SystemPing.seconds(Duration.ofSeconds(3)));
        assertEquals("1.500", SystemPing.seconds(Duration.ofMillis(1500)));
        assertEquals("0.001", SystemPing.seconds(Duration.ZERO));
    }
}
