package org.wgkaraf.shell.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.access.ListenerState;
import org.wgkaraf.api.access.SocksRefusal;
import org.wgkaraf.api.access.SocksStatus;
import org.wgkaraf.api.access.SshBridgeStatus;

class AccessFormatTest {
    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    @Test
    void sshListeningWithASessionShowsWhoFromWhereAndForHowLong() {
        SshBridgeStatus ssh = new SshBridgeStatus(22, ListenerState.LISTENING, null, List.of(
                new SshBridgeStatus.Session(new InetSocketAddress("172.16.1.10", 50512), "karaf", NOW.minusSeconds(182)),
                new SshBridgeStatus.Session(new InetSocketAddress("172.16.1.11", 40000), null, NOW)), 5, 1);
        assertEquals(List.of(
                "ssh console: port 22, listening",
                "  session: karaf from 172.16.1.10:50512, open 3 minutes, 2 seconds",
                "  session: (not logged in yet) from 172.16.1.11:40000, open 0 seconds",
                "  connections: 5 accepted, 1 refused"), AccessFormat.ssh(ssh, NOW));
    }

    @Test
    void sshOffNamesTheSettingAndAWaitingBridgeSaysWhy() {
        assertEquals(List.of("ssh console: off (ssh_port 0)"),
                AccessFormat.ssh(new SshBridgeStatus(0, ListenerState.OFF, "ssh_port is 0", List.of(), 0, 0), NOW));
        assertEquals(List.of(
                "ssh console: port 22, waiting",
                "  note: no SSH server: is Karaf's ssh feature installed?",
                "  connections: 0 accepted, 0 refused"),
                AccessFormat.ssh(new SshBridgeStatus(22, ListenerState.WAITING, "no SSH server: is Karaf's ssh feature installed?",
                        List.of(), 0, 0), NOW));
    }

    @Test
    void socksShowsItsLoopbackPortCountsAndRefusalsInWords() {
        SocksStatus socks = new SocksStatus(1080, ListenerState.LISTENING, null, 2, 32, 12, 9,
                Map.of(SocksRefusal.TIMEOUT, 1L, SocksRefusal.NOT_ALLOWED, 2L));
        assertEquals(List.of(
                "socks5 proxy: 127.0.0.1:1080, listening",
                "  connections: 2 open (at most 32), 12 accepted, 9 proxied",
                "  refused: outside the tunnel's subnet 2, no answer in time 1"), AccessFormat.socks(socks));
        assertEquals(List.of("socks5 proxy: off (socks_port 0)"),
                AccessFormat.socks(new SocksStatus(0, ListenerState.OFF, "socks_port is 0", 0, 32, 0, 0, Map.of())));
    }
}
