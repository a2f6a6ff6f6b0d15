package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "wireguard", name = "genkey",
        description = "Prints a new private key in base64, like wg genkey.")
@Service
public class GenkeyCommand extends WordCommand {
    @Override
    Word word() {
        return WireGuardWord.GENKEY;
    }
}
