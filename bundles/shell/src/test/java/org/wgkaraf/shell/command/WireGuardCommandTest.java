package org.wgkaraf.shell.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.shell.command.TestSession.wireguard;
import static org.wgkaraf.shell.fixture.QuickStart.MODULE_PRIVATE;
import static org.wgkaraf.shell.fixture.QuickStart.MODULE_PUBLIC;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.access.ListenerState;
import org.wgkaraf.api.access.SocksStatus;
import org.wgkaraf.api.access.SshBridgeStatus;
import org.wgkaraf.api.engine.SecretKey;
import org.wgkaraf.api.wireguard.WireGuardStatus;

class WireGuardCommandTest {
    private final TestSession session = new TestSession();

    @Test
    void noWordIsStatus() throws Exception {
        session.control.status = new WireGuardStatus(true, false, null, null, false, null, null);
        assertEquals("Connection status:  started\nPeer status:  down\n", session.run(wireguard()));
        assertEquals(List.of("status"), session.control.calls);
    }

    @Test
    void statusAddsTheSshConsoleAndTheProxyWhenTheAccessBundleRuns() throws Exception {
        session.control.status = new WireGuardStatus(true, true, null, null, false, null, null);
        session.sshBridge = () -> new SshBridgeStatus(22, ListenerState.LISTENING, null, List.of(), 3, 0);
        session.socksProxy = () -> new SocksStatus(0, ListenerState.OFF, null, 0, 32, 0, 0, Map.of());
        assertEquals("""
                Connection status:  started
                Peer status:  up

                ssh console: port 22, listening
                  connections: 3 accepted, 0 refused

                socks5 proxy: off (socks_port 0)
                """, session.run(wireguard("status")));
    }

    @Test
    void startStopRestartAnnounceThenCallTheControl() throws Exception {
        assertEquals("Starting WireguardClient...\n", session.run(wireguard("start")));
        assertEquals("Stopping WireguardClient...\n", session.run(wireguard("stop")));
        assertEquals("Restarting WireguardClient...\n", session.run(wireguard("restart")));
        assertEquals(List.of("start", "stop", "restart"), session.control.calls);
    }

    @Test
    void pubkeyOfTheArgumentIsWhatWgPrinted() throws Exception {
        assertEquals(MODULE_PUBLIC + "\n", session.run(wireguard("pubkey", MODULE_PRIVATE)));
    }

    @Test
    void pubkeyReadsTheStandardInputLikeWg() throws Exception {
        assertEquals(MODULE_PUBLIC + "\n", session.run(wireguard("pubkey"), MODULE_PRIVATE + "\n"));
    }

    @Test
    void pubkeyOfABadKeyFailsWithoutQuotingIt() {
        String bad = MODULE_PRIVATE.substring(0, 40);
        TestSession.Failed failed = session.fail(wireguard("pubkey", bad));
        assertTrue(failed.help().startsWith("Error: "), failed.help());
        assertFalse(failed.help().contains(bad), failed.help());
        assertEquals("", failed.out());
    }

    @Test
    void pubkeyWithNothingOnTheStandardInputSaysHowToGiveTheKey() {
        assertEquals("Error: no private key: give it as the argument, or on the standard input"
                + " (echo '<private key>' | wireguard pubkey)", session.fail(wireguard("pubkey")).help());
    }

    @Test
    void genkeyAndGenpskPrintFreshKeysOfThirtyTwoBytesAsOneLine() throws Exception {
        List<String> keys = List.of(session.run(wireguard("genkey")), session.run(wireguard("genkey")),
                session.run(wireguard("genpsk")));
        for (String key : keys) {
            assertTrue(key.matches("[A-Za-z0-9+/]{43}=\n"), key);
        }
        assertNotEquals(keys.get(0), keys.get(1));
        byte[] raw = Base64.getDecoder().decode(keys.get(0).strip());
        assertEquals(0, raw[0] & 7, "clamped like wg genkey");
        assertEquals(0x40, raw[31] & 0xc0, "clamped like wg genkey");
    }

    @Test
    void genkeyIsAKeyPubkeyAccepts() throws Exception {
        String privateKey = session.run(wireguard("genkey")).strip();
        String expected = session.engine.publicKey(SecretKey.fromBase64(privateKey)).toBase64();
        assertEquals(expected + "\n", session.run(wireguard("pubkey"), privateKey));
    }

    @Test
    void onlyPubkeyTakesAnArgument() {
        assertEquals("Error: only 'wireguard pubkey' takes an argument",
                session.fail(wireguard("start", MODULE_PRIVATE)).help());
        assertEquals(List.of(), session.control.calls);
    }

    @Test
    void anUnknownWordNamesTheKnownOnes() {
        assertEquals("Error: wireguard takes status, start, stop, restart, genkey, pubkey or genpsk",
                session.fail(wireguard("show")).help());
    }
}
