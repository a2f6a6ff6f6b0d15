package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.wgkaraf.api.netif.PingService;
import org.wgkaraf.shell.completer.HostCompleter;

@Command(scope = "network", name = "ping",
        description = "Pings a host: through the tunnel when its subnet covers the address, else through the host.")
@Service
public class PingCommand extends WordCommand {
    @Option(name = "-c", aliases = "--count", description = "how many echo requests (1-1000)")
    int count = PingService.Options.DEFAULT.count();

    @Option(name = "-s", aliases = "--size", description = "data bytes a request")
    int size = PingService.Options.DEFAULT.dataSize();

    @Argument(index = 0, name = "host", required = true, description = "a host name or IPv4 address")
    @Completion(HostCompleter.class)
    String host;

    @Override
    Word word() {
        return NetworkWord.PING;
    }

    @Override
    Arguments arguments() throws CommandException {
        return Arguments.ping(host, NetworkWord.options(count, size));
    }
}
