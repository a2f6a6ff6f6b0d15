package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "wireguard", name = "unset",
        description = "Removes a network.wireguard value; its default applies again.")
@Service
public class UnsetCommand extends InstanceCommandSupport {
    @Override
    Word word() {
        return ConfigWord.UNSET;
    }
}
