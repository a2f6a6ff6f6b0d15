package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.wgkaraf.api.wireguard.WireGuardSettings;
import org.wgkaraf.shell.completer.InstanceCompleter;

/** {@code config <set|get|list|unset> network.wireguard [<instance> [<value>]]}, as on OVMS. */
@Command(scope = "shell", name = "config",
        description = "Sets, gets, lists or unsets network.wireguard values, as OVMS's config command does.")
@Service
public class ConfigCommand extends WordCommand {

    @Argument(index = 0, name = "action", required = true, description = "set, get, list or unset")
    @Completion(value = StringsCompleter.class, values = {"set", "get", "list", "unset"})
    String action;

    @Argument(index = 1, name = "param", required = true, description = "network.wireguard")
    @Completion(value = StringsCompleter.class, values = {WireGuardSettings.PID})
    String param;

    @Argument(index = 2, name = "instance", description = "local_ip_address, local_private_key, peer_endpoint, ...")
    @Completion(InstanceCompleter.class)
    String instance;

    // Masked while typed and in the shell's history: this argument carries private keys.
    @Argument(index = 3, name = "value", description = "the value to set", censor = true)
    String value;

    @Override
    Word word() throws CommandException {
        ConfigWord.checkParameter(param);
        return ConfigWord.parse(action);
    }

    @Override
    Arguments arguments() {
        return Arguments.setting(instance, value);
    }
}
