package org.wgkaraf.shell.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.shell.fixture.QuickStart.MODULE_PRIVATE;
import static org.wgkaraf.shell.fixture.QuickStart.PRESHARED;
import static org.wgkaraf.shell.fixture.QuickStart.SERVER_PRIVATE;
import static org.wgkaraf.shell.fixture.QuickStart.SERVER_PUBLIC;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.wireguard.Instance;
import org.wgkaraf.api.wireguard.WireGuardStatus;

/** The scoped commands reach the same services with the same words as the verbatim ones. */
class ScopedCommandsTest {
    private final TestSession session = new TestSession();

    private static <C extends InstanceCommandSupport> C withInstance(C command, String instance) {
        command.instance = instance;
        return command;
    }

    @Test
    void setThenGetThenUnset() throws Exception {
        SetCommand set = withInstance(new SetCommand(), "peer_endpoint");
        set.value = "wg.example.net";
        assertEquals("", session.run(set));
        assertEquals("wg.example.net\n", session.run(withInstance(new GetCommand(), "peer_endpoint")));
        assertEquals("", session.run(withInstance(new UnsetCommand(), "peer_endpoint")));
        assertEquals("(not set; required)\n", session.run(withInstance(new GetCommand(), "peer_endpoint")));
    }

    @Test
    void setRefusesLikeConfigSet() {
        SetCommand set = withInstance(new SetCommand(), "persistent_keepalive");
        set.value = "-1";
        assertEquals(new TestSession.Failed("Error: persistent_keepalive must be a whole number from 0 to 65535", ""),
                session.fail(set));
        assertTrue(session.settings.values.isEmpty());
    }

    @Test
    void listHidesSecrets() throws Exception {
        session.settings.set(Instance.PRESHARED_KEY, PRESHARED);
        List<String> lines = session.run(new ListCommand()).lines().toList();
        assertEquals(13, lines.size(), "the parameter, then every setting");
        assertTrue(lines.contains("  interface_backend: userspace (default)"), lines.toString());
        assertTrue(lines.contains("  preshared_key: (hidden)"), lines.toString());
    }

    @Test
    void statusStartStopRestart() throws Exception {
        session.control.status = new WireGuardStatus(true, true, null, null, false, null, null);
        assertEquals("Connection status:  started\nPeer status:  up\n", session.run(new WireGuardStatusCommand()));
        assertEquals("Starting WireguardClient...\n", session.run(new StartCommand()));
        assertEquals("Stopping WireguardClient...\n", session.run(new StopCommand()));
        assertEquals("Restarting WireguardClient...\n", session.run(new RestartCommand()));
        assertEquals(List.of("status", "start", "stop", "restart"), session.control.calls);
    }

    @Test
    void pubkeyFromTheStandardInputMatchesWg() throws Exception {
        assertEquals(SERVER_PUBLIC + "\n", session.run(new PubkeyCommand(), SERVER_PRIVATE + "\n"));
    }

    @Test
    void genkeyAndGenpskPrintOneKeyEach() throws Exception {
        assertTrue(session.run(new GenkeyCommand()).matches("[A-Za-z0-9+/]{43}=\n"));
        assertTrue(session.run(new GenpskCommand()).matches("[A-Za-z0-9+/]{43}=\n"));
    }

    @Test
    void networkStatus() throws Exception {
        assertTrue(session.run(new NetworkStatusCommand()).startsWith("Interface#2: ap2 (ifup=1 linkup=1)\n"));
    }

    @Test
    void pingPassesCountAndSize() throws Exception {
        PingCommand ping = new PingCommand();
        ping.host = "172.16.1.2";
        ping.count = 2;
        ping.size = 8;
        List<String> lines = session.run(ping).lines().toList();
        assertEquals("PING 172.16.1.2 (172.16.1.2): 8 data bytes", lines.get(0));
        assertEquals(2, session.ping.lastOptions.count());
        assertEquals(8, session.ping.lastOptions.dataSize());
    }

    @Test
    void aPingCountOutOfRangeIsRefused() {
        PingCommand ping = new PingCommand();
        ping.host = "172.16.1.2";
        ping.count = 0;
        assertEquals("Error: count 0 is outside 1-1000", session.fail(ping).help());
    }

    @Test
    void argumentsNeverPrintAKeyOrValue() {
        assertFalse(Arguments.privateKey(MODULE_PRIVATE).toString().contains(MODULE_PRIVATE));
        assertFalse(Arguments.setting("local_private_key", MODULE_PRIVATE).toString().contains(MODULE_PRIVATE));
    }
}
