package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "wireguard", name = "genpsk",
        description = "Prints a new pre-shared key in base64, like wg genpsk.")
@Service
public class GenpskCommand extends WordCommand {
    @Override
    Word word() {
        return WireGuardWord.GENPSK;
    }
}
