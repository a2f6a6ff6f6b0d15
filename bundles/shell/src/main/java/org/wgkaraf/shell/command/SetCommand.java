package org.wgkaraf.shell.command;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "wireguard", name = "set",
        description = "Sets a network.wireguard value; a refused value changes nothing and the tunnel keeps running.")
@Service
public class SetCommand extends InstanceCommandSupport {
    // Masked while typed and in the shell's history: this argument carries private keys.
    @Argument(index = 1, name = "value", required = true, censor = true, description = "the value")
    String value;

    @Override
    Word word() {
        return ConfigWord.SET;
    }

    @Override
    Arguments arguments() {
        return Arguments.setting(instance, value);
    }
}
