package org.wgkaraf.netif.registry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.api.netif.NetworkListener;
import org.wgkaraf.api.netif.Uplink;

/**
 * Runs the real {@link LinuxHostProbe} and {@link NetifRegistryService} in its own process, which
 * the interop test starts inside a network namespace (the probe reads the namespace of its own
 * process), and reports on stdout as lines:
 * <pre>
 * started
 * probe if &lt;index&gt; &lt;name&gt; ifup=&lt;0|1&gt; linkup=&lt;0|1&gt; &lt;address&gt;/&lt;netmask&gt;   (the probe's own reading)
 * probe default &lt;name&gt; &lt;gateway&gt; | probe default none
 * probe dns &lt;server&gt;...
 * if &lt;number&gt; &lt;name&gt; &lt;kind&gt; ifup=&lt;0|1&gt; linkup=&lt;0|1&gt; &lt;address&gt;/&lt;netmask&gt; gateway &lt;gateway&gt;
 * default &lt;name&gt; | default none
 * uplink &lt;name&gt; &lt;address&gt; &lt;gateway&gt; | uplink none
 * dns &lt;server&gt;...
 * end &lt;n&gt;                                                    (closes the n-th status)
 * event ready &lt;uplink&gt; | event gone | event changed &lt;uplink&gt; -&gt; &lt;uplink&gt;
 * closed threads=&lt;netif threads still alive&gt;
 * </pre>
 * Commands on stdin: {@code status} (refresh, then a status block) and {@code quit}. Argument: the
 * poll interval in milliseconds.
 */
public final class RegistryChild {
    private RegistryChild() {
    }

    public static void main(String[] args) throws IOException {
        Duration poll = Duration.ofMillis(Long.parseLong(args[0]));
        NetifRegistryService registry = new NetifRegistryService(new LinuxHostProbe(), poll, Map.of());
        registry.addListener(new NetworkListener() {
            @Override
            public void networkReady(Uplink uplink) {
                System.out.println("event ready " + text(uplink));
            }

            @Override
            public void networkGone() {
                System.out.println("event gone");
            }

            @Override
            public void uplinkChanged(Uplink previous, Uplink current) {
                System.out.println("event changed " + text(previous) + " -> " + text(current));
            }
        });
        System.out.println("started");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int statuses = 0;
        String command;
        while ((command = in.readLine()) != null && !command.equals("quit")) {
            if (command.equals("status")) {
                registry.refresh();
                System.out.print(status(registry, new LinuxHostProbe().read(), ++statuses));
            }
        }
        registry.close();
        long left = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("netif-") && t.isAlive()).count();
        System.out.println("closed threads=" + left);
    }

    /** One block, printed at once so that event lines never fall inside it. */
    private static String status(NetifRegistryService registry, HostSnapshot probe, int n) {
        StringBuilder out = new StringBuilder();
        for (HostSnapshot.HostInterface i : probe.interfaces()) {
            out.append("probe if ").append(i.index()).append(' ').append(i.name())
                    .append(" ifup=").append(bit(i.ifup())).append(" linkup=").append(bit(i.linkup()))
                    .append(' ').append(i.address().getHostAddress()).append('/').append(i.netmask().getHostAddress()).append('\n');
        }
        out.append("probe default ").append(probe.defaultRoute()
                .map(r -> r.interfaceName() + " " + r.gateway().getHostAddress()).orElse("none")).append('\n');
        out.append("probe dns").append(addresses(probe.dnsServers())).append('\n');
        for (NetifInfo i : registry.interfaces()) {
            out.append("if ").append(i.number()).append(' ').append(i.name()).append(' ').append(i.kind())
                    .append(" ifup=").append(bit(i.ifup())).append(" linkup=").append(bit(i.linkup()))
                    .append(' ').append(i.address().getHostAddress()).append('/').append(i.netmask().getHostAddress())
                    .append(" gateway ").append(i.gateway().getHostAddress()).append('\n');
        }
        out.append("default ").append(registry.defaultInterface().map(NetifInfo::name).orElse("none")).append('\n');
        out.append("uplink ").append(registry.uplink().map(RegistryChild::text).orElse("none")).append('\n');
        out.append("dns").append(addresses(registry.dnsServers())).append('\n');
        out.append("end ").append(n).append('\n');
        return out.toString();
    }

    private static String addresses(List<InetAddress> list) {
        return list.stream().map(a -> " " + a.getHostAddress()).collect(Collectors.joining());
    }

    private static String text(Uplink u) {
        return u.name() + " " + u.address().getHostAddress() + " " + u.gateway().getHostAddress();
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }
}
