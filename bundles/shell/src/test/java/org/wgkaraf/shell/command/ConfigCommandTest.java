package org.wgkaraf.shell.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.wgkaraf.shell.command.TestSession.config;
import static org.wgkaraf.shell.fixture.QuickStart.MODULE_PRIVATE;
import static org.wgkaraf.shell.fixture.QuickStart.PRESHARED;

import java.util.Map;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;
import org.wgkaraf.api.wireguard.Instance;

class ConfigCommandTest {
    private final TestSession session = new TestSession();

    @Test
    void setStoresTheValueAndPrintsNothing() throws Exception {
        assertEquals("", session.run(config("set", "network.wireguard", "local_port", "11010")));
        assertEquals("", session.run(config("set", "network.wireguard", "local_private_key", MODULE_PRIVATE)));
        assertEquals(Map.of(Instance.LOCAL_PORT, "11010", Instance.LOCAL_PRIVATE_KEY, MODULE_PRIVATE),
                session.settings.values);
    }

    @Test
    void aRefusedValueFailsWithTheServicesMessageAloneAndChangesNothing() throws Exception {
        session.settings.set(Instance.LOCAL_PORT, "11010");
        TestSession.Failed failed = session.fail(config("set", "network.wireguard", "local_port", "eleven"));
        assertEquals(new TestSession.Failed("Error: local_port must be a whole number from 0 to 65535", ""), failed);
        assertEquals("11010", session.settings.values.get(Instance.LOCAL_PORT));
    }

    @Test
    void aRefusedSecretIsNotEchoed() {
        String almostKey = MODULE_PRIVATE.substring(0, 40);
        TestSession.Failed failed = session.fail(config("set", "network.wireguard", "local_private_key", almostKey));
        assertTrue(failed.help().startsWith("Error: "), failed.help());
        assertFalse(failed.help().contains(almostKey), failed.help());
        assertNull(session.settings.values.get(Instance.LOCAL_PRIVATE_KEY));
    }

    @Test
    void anUnknownInstanceListsTheNineWithoutQuotingWhatWasTyped() {
        assertEquals("Error: no such instance of network.wireguard; the instances are: local_ip_address, "
                + "local_ip_netmask, local_private_key, local_port, peer_endpoint, peer_public_key, peer_port, "
                + "preshared_key, persistent_keepalive, interface_backend, ssh_port, socks_port",
                session.fail(config("set", "network.wireguard", MODULE_PRIVATE)).help());
    }

    @Test
    void anythingButNetworkWireguardIsKarafsOwnConfigCommand() throws Exception {
        java.util.List<String> lines = new java.util.ArrayList<>();
        ConfigCommand alone = config();
        alone.karaf = line -> lines.add(line.toString());
        session.run(alone);
        ConfigCommand other = config("set", "org.apache.karaf.shell", "sshPort", "8 \"1\"");
        other.karaf = line -> lines.add(line.toString());
        session.run(other);
        assertEquals(java.util.List.of("*:config", "*:config \"set\" \"org.apache.karaf.shell\" \"sshPort\" \"8 \\\"1\\\"\""),
                lines, "config alone enters Karaf's config subshell; other parameters get Karaf's own answer");
        assertEquals(Map.of(), session.settings.values, "nothing of network.wireguard touched");
    }

    @Test
    void aRefusedValueIsShownWithWhyAndWhatTheTunnelRunsWith() throws Exception {
        session.settings.refuse(Instance.PEER_PORT, "70000", "70000 is out of range: expected a UDP port from 1 to 65535", "51820");
        assertEquals("70000 (refused: 70000 is out of range: expected a UDP port from 1 to 65535; the tunnel runs with 51820)\n",
                session.run(config("get", "network.wireguard", "peer_port")));
    }

    @Test
    void anUnknownActionNamesTheKnownOnes() {
        assertEquals("Error: config takes set, get, list or unset",
                session.fail(config("show", "network.wireguard")).help());
    }

    @Test
    void listShowsEveryInstanceInTheGuidesOrderWithSecretsHidden() throws Exception {
        session.settings.set(Instance.LOCAL_IP_ADDRESS, "172.16.10.20");
        session.settings.set(Instance.LOCAL_PRIVATE_KEY, MODULE_PRIVATE);
        session.settings.set(Instance.PRESHARED_KEY, PRESHARED);
        assertEquals("""
                network.wireguard
                  local_ip_address: 172.16.10.20
                  local_ip_netmask: (not set; required)
                  local_private_key: (hidden)
                  local_port: 0 (default)
                  peer_endpoint: (not set; required)
                  peer_public_key: (not set; required)
                  peer_port: 51820 (default)
                  preshared_key: (hidden)
                  persistent_keepalive: 0 (default)
                  interface_backend: userspace (default)
                  ssh_port: 22 (default)
                  socks_port: 0 (default)
                """, session.run(config("list", "network.wireguard")));
    }

    @Test
    void getPrintsOneValueAndHidesSecrets() throws Exception {
        session.settings.set(Instance.PEER_ENDPOINT, "wg.example.net");
        session.settings.set(Instance.PRESHARED_KEY, PRESHARED);
        assertEquals("wg.example.net\n", session.run(config("get", "network.wireguard", "peer_endpoint")));
        assertEquals("(hidden)\n", session.run(config("get", "network.wireguard", "preshared_key")));
    }

    @Test
    void unsetRemovesTheValue() throws Exception {
        session.settings.set(Instance.PERSISTENT_KEEPALIVE, "25");
        session.run(config("unset", "network.wireguard", "persistent_keepalive"));
        assertFalse(session.settings.values.containsKey(Instance.PERSISTENT_KEEPALIVE));
    }

    @Test
    void setWithoutAValueOrInstanceIsRefused() {
        assertEquals("Error: no value given for peer_port",
                session.fail(config("set", "network.wireguard", "peer_port")).help());
        assertTrue(session.fail(config("get", "network.wireguard")).help()
                .startsWith("Error: no instance given; the instances of network.wireguard are: local_ip_address, "));
    }

    @Test
    void withoutTheSettingsServiceTheCommandSaysWhatIsMissing() {
        CommandException e = assertThrows(CommandException.class, config("list", "network.wireguard")::execute);
        assertEquals("Error: no WireGuardSettings service; are the wgkaraf bundles active?"
                + " (bundle:list | grep wgkaraf)",
                e.getNiceHelp());
    }
}
