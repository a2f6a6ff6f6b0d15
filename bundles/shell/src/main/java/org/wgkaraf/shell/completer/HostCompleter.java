package org.wgkaraf.shell.completer;

import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.api.netif.NetifRegistry;
import org.wgkaraf.api.wireguard.Instance;
import org.wgkaraf.api.wireguard.Setting;
import org.wgkaraf.api.wireguard.WireGuardSettings;

/**
 * Hosts worth pinging: the configured peer_endpoint, the names of {@code /etc/hosts}, and the
 * gateways of the interfaces. Read at each completion, so they follow the network.
 */
@Service
public class HostCompleter implements Completer {
    // Optional: ping completes without the WireGuard configuration, e.g. before it is installed.
    @Reference(optional = true)
    WireGuardSettings settings;

    @Reference(optional = true)
    NetifRegistry registry;

    Path hostsFile = HostsFile.SYSTEM;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return new StringsCompleter(candidates(), true).complete(session, commandLine, candidates);
    }

    SortedSet<String> candidates() {
        SortedSet<String> hosts = new TreeSet<>();
        if (settings != null) {
            Setting endpoint = settings.get(Instance.PEER_ENDPOINT);
            if (endpoint.set() && !endpoint.display().isEmpty()) {
                hosts.add(endpoint.display());
            }
        }
        hosts.addAll(HostsFile.names(hostsFile));
        if (registry != null) {
            for (NetifInfo netif : registry.interfaces()) {
                if (!netif.gateway().isAnyLocalAddress()) {
                    hosts.add(netif.gateway().getHostAddress());
                }
            }
        }
        return hosts;
    }
}
