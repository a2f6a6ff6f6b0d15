package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "wireguard", name = "stop",
        description = "Stops the WireGuard client until wireguard:start, across network events and restarts.")
@Service
public class StopCommand extends WordCommand {
    @Override
    Word word() {
        return WireGuardWord.STOP;
    }
}
