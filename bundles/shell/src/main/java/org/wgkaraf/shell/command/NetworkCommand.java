package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.wgkaraf.api.netif.PingService;
import org.wgkaraf.shell.completer.HostCompleter;

/** {@code network [status|ping <host>]}; no word is status. */
@Command(scope = "ovms", name = "network",
        description = "Network interfaces, DNS and default interface (status, the default), or ping <host>.")
@Service
public class NetworkCommand extends WordCommand {

    @Argument(index = 0, name = "action", description = "status or ping")
    @Completion(value = StringsCompleter.class, values = {"status", "ping"})
    String action = "status";

    @Argument(index = 1, name = "host", description = "ping only: a host name or IPv4 address")
    @Completion(HostCompleter.class)
    String host;

    @Override
    Word word() throws CommandException {
        return NetworkWord.parse(action);
    }

    @Override
    Arguments arguments() {
        return Arguments.ping(host, PingService.Options.DEFAULT);
    }
}
