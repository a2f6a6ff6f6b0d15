package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "wireguard", name = "restart",
        description = "Restarts the WireGuard client.")
@Service
public class RestartCommand extends WordCommand {
    @Override
    Word word() {
        return WireGuardWord.RESTART;
    }
}
