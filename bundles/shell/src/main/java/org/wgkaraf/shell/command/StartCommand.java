package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "wireguard", name = "start",
        description = "Starts the WireGuard client; the tunnel comes up once the network is ready (clears a stop).")
@Service
public class StartCommand extends WordCommand {
    @Override
    Word word() {
        return WireGuardWord.START;
    }
}
