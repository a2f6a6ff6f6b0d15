package org.wgkaraf.shell.completer;

import java.util.Arrays;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.wgkaraf.api.wireguard.Instance;

/** Every instance of {@code network.wireguard}: the original's nine and ours. */
@Service
public class InstanceCompleter implements Completer {
    private final StringsCompleter delegate =
            new StringsCompleter(Arrays.stream(Instance.values()).map(Instance::key).toList(), true);

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return delegate.complete(session, commandLine, candidates);
    }
}
