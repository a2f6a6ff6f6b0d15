package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "wireguard", name = "list",
        description = "Lists the nine network.wireguard values in the guide's order; secrets show as (hidden).")
@Service
public class ListCommand extends WordCommand {
    @Override
    Word word() {
        return ConfigWord.LIST;
    }
}
