package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "network", name = "status",
        description = "Every interface but loopback (newest first), the DNS servers and the default interface.")
@Service
public class NetworkStatusCommand extends WordCommand {
    @Override
    Word word() {
        return NetworkWord.STATUS;
    }
}
