package org.wgkaraf.shell.completer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.wgkaraf.shell.fixture.FakeRegistry.netif;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.support.completers.ArgumentCommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wgkaraf.api.wireguard.Instance;
import org.wgkaraf.shell.fixture.FakeRegistry;
import org.wgkaraf.shell.fixture.FakeSettings;

class CompletersTest {
    @TempDir
    Path dir;

    private static List<String> complete(org.apache.karaf.shell.api.console.Completer completer, String typed) {
        List<String> candidates = new ArrayList<>();
        completer.complete(null, new ArgumentCommandLine(typed, typed.length()), candidates);
        return candidates.stream().map(String::strip).toList();
    }

    @Test
    void instancesCompleteFromTheirPrefix() {
        assertEquals(List.of("local_ip_address", "local_ip_netmask"), complete(new InstanceCompleter(), "local_ip"));
        assertEquals(List.of("peer_endpoint", "peer_port", "peer_public_key"),
                complete(new InstanceCompleter(), "peer"));
        assertEquals(List.of("interface_backend"), complete(new InstanceCompleter(), "inter"));
        assertEquals(List.of("socks_port", "ssh_port"), complete(new InstanceCompleter(), "s"));
        assertEquals(12, complete(new InstanceCompleter(), "").size(), "every setting, the original's nine and our three");
    }

    @Test
    void hostsAreThePeerEndpointTheHostsFileAndTheGateways() throws IOException {
        Path hosts = Files.writeString(dir.resolve("hosts"), """
                127.0.0.1\tlocalhost
                # 10.0.0.9 commented.example
                172.16.1.10  wg-server wg-server.lan   # the server in the private network
                """);
        FakeSettings settings = new FakeSettings();
        settings.set(Instance.PEER_ENDPOINT, "wg.example.net");
        HostCompleter completer = new HostCompleter();
        completer.settings = settings;
        completer.registry = new FakeRegistry(List.of(
                netif(3, "wg3", true, true, "172.16.10.20", "255.240.0.0", "0.0.0.0"),
                netif(1, "st1", true, true, "192.168.1.12", "255.255.255.0", "192.168.1.1")), List.of(), null);
        completer.hostsFile = hosts;
        assertEquals(Set.of("wg.example.net", "localhost", "wg-server", "wg-server.lan", "192.168.1.1"),
                completer.candidates());
        assertEquals(List.of("wg-server", "wg-server.lan", "wg.example.net"), complete(completer, "wg"));
    }

    @Test
    void hostsCompleteWithoutServicesOrHostsFile() {
        HostCompleter completer = new HostCompleter();
        completer.hostsFile = dir.resolve("missing");
        assertEquals(Set.of(), completer.candidates());
    }
}
