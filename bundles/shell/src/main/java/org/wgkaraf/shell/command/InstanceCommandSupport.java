package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.wgkaraf.shell.completer.InstanceCompleter;

/** {@code wireguard:get|unset|set}: the scoped commands naming one instance. */
public abstract class InstanceCommandSupport extends WordCommand {
    @Argument(index = 0, name = "instance", required = true,
            description = "local_ip_address, local_ip_netmask, local_private_key, local_port, peer_endpoint, ...")
    @Completion(InstanceCompleter.class)
    String instance;

    @Override
    Arguments arguments() {
        return Arguments.setting(instance, null);
    }
}
