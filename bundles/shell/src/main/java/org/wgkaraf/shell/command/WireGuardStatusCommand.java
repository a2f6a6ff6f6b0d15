package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "wireguard", name = "status",
        description = "Connection and peer status, the tunnel as wg show prints it, and why it is not up.")
@Service
public class WireGuardStatusCommand extends WordCommand {
    @Override
    Word word() {
        return WireGuardWord.STATUS;
    }
}
