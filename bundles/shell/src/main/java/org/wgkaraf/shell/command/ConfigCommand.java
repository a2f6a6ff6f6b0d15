package org.wgkaraf.shell.command;

import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.wgkaraf.api.wireguard.WireGuardSettings;
import org.wgkaraf.shell.completer.InstanceCompleter;

/**
 * {@code config <set|get|list|unset> network.wireguard [<instance> [<value>]]}, as on OVMS.
 * Anything else ({@code config} alone, another parameter) goes to Karaf's own {@code config}
 * command unchanged, so the distribution's {@code config} alias takes nothing from a Karaf user:
 * {@code config} alone still enters Karaf's config subshell.
 */
@Command(scope = "ovms", name = "config",
        description = "Sets, gets, lists or unsets network.wireguard values, as OVMS's config command does;"
                + " anything else is Karaf's own config command.")
@Service
public class ConfigCommand extends WordCommand {
    /** Karaf's own {@code config}: the global subshell command of the config scope. */
    static final String KARAF_CONFIG = "*:config";

    @Argument(index = 0, name = "action", description = "set, get, list or unset")
    @Completion(value = StringsCompleter.class, values = {"set", "get", "list", "unset"})
    String action;

    @Argument(index = 1, name = "param", description = "network.wireguard")
    @Completion(value = StringsCompleter.class, values = {WireGuardSettings.PID})
    String param;

    @Argument(index = 2, name = "instance", description = "local_ip_address, local_private_key, peer_endpoint, ...")
    @Completion(InstanceCompleter.class)
    String instance;

    // Masked while typed and in the shell's history: this argument carries private keys.
    @Argument(index = 3, name = "value", description = "the value to set", censor = true)
    String value;

    @Reference(optional = true)
    Session session;

    /** Runs a command line in the session; a seam for tests. */
    interface LineRunner {
        Object execute(CharSequence line) throws Exception;
    }

    LineRunner karaf = line -> WordCommand.require(session, Session.class).execute(line);

    @Override
    public Object execute() throws Exception {
        if (param == null || !WireGuardSettings.PID.equals(param)) {
            return karaf.execute(karafLine());
        }
        return super.execute();
    }

    /** Karaf's config with the words as typed, each quoted for the shell's parser. */
    String karafLine() {
        List<String> words = new ArrayList<>();
        words.add(KARAF_CONFIG);
        for (String w : new String[] {action, param, instance, value}) {
            if (w != null) {
                words.add('"' + w.replace("\\", "\\\\").replace("\"", "\\\"") + '"');
            }
        }
        return String.join(" ", words);
    }

    @Override
    Word word() throws CommandException {
        if (action == null) {
            throw Failure.of("config takes set, get, list or unset");
        }
        return ConfigWord.parse(action);
    }

    @Override
    Arguments arguments() {
        return Arguments.setting(instance, value);
    }
}
