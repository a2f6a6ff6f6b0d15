package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "wireguard", name = "get",
        description = "Prints a network.wireguard value; secrets show as (hidden).")
@Service
public class GetCommand extends InstanceCommandSupport {
    @Override
    Word word() {
        return ConfigWord.GET;
    }
}
