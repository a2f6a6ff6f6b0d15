package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "wireguard", name = "list",
        description = "Lists every network.wireguard value, the original's nine in the guide's order first; secrets show as (hidden).")
@Service
public class ListCommand extends WordCommand {
    @Override
    Word word() {
        return ConfigWord.LIST;
    }
}
