package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** {@code wireguard [status|start|stop|restart|genkey|pubkey|genpsk]}; no word is status. */
@Command(scope = "ovms", name = "wireguard",
        description = "The WireGuard client: status (default), start, stop, restart; genkey, pubkey, genpsk like wg.")
@Service
public class WireGuardCommand extends WordCommand {

    @Argument(index = 0, name = "action", description = "status, start, stop, restart, genkey, pubkey or genpsk")
    @Completion(value = StringsCompleter.class,
            values = {"status", "start", "stop", "restart", "genkey", "pubkey", "genpsk"})
    String action = "status";

    // Masked while typed and in the shell's history; the standard input keeps it out of both.
    @Argument(index = 1, name = "private-key", censor = true,
            description = "pubkey only: the private key; without it, read from the standard input like wg pubkey")
    String privateKey;

    @Override
    Word word() throws CommandException {
        return WireGuardWord.parse(action);
    }

    @Override
    Arguments arguments() {
        return Arguments.privateKey(privateKey);
    }
}
