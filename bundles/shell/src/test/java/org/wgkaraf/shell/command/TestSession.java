package org.wgkaraf.shell.command;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.wgkaraf.shell.fixture.FakeRegistry.ipv4;
import static org.wgkaraf.shell.fixture.FakeRegistry.netif;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.karaf.shell.support.CommandException;
import org.wgkaraf.api.access.SocksProxy;
import org.wgkaraf.api.access.SshBridge;
import org.wgkaraf.api.netif.NetifInfo;
import org.wgkaraf.api.netif.TcpService;
import org.wgkaraf.engine.runtime.EngineService;
import org.wgkaraf.shell.fixture.CapturedOut;
import org.wgkaraf.shell.fixture.FakeControl;
import org.wgkaraf.shell.fixture.FakePing;
import org.wgkaraf.shell.fixture.FakeRegistry;
import org.wgkaraf.shell.fixture.FakeSettings;

/** Runs commands as a Karaf session would: services injected, standard streams redirected. */
final class TestSession {
    static final NetifInfo AP2 = netif(2, "ap2", true, true, "192.168.4.1", "255.255.255.0", "192.168.4.1");

    final FakeSettings settings = new FakeSettings();
    final FakeControl control = new FakeControl();
    final EngineService engine = new EngineService();
    final FakeRegistry registry = new FakeRegistry(List.of(AP2), List.of(), AP2);
    /** 172.16.1.2 answers in 2 ms, then times out, then answers in 5 and 3 ms. */
    final FakePing ping = new FakePing("172.16.1.2", ipv4("172.16.1.2"), Arrays.asList(2.0, null, 5.0, 3.0));

    /** Absent unless a test sets them, as when the netif or access bundle is not running. */
    TcpService tcp;
    SshBridge sshBridge;
    SocksProxy socksProxy;

    /** What the user sees when a command fails: Karaf prints the help text, and nothing else went out. */
    record Failed(String help, String out) {
    }

    /**
     * {@code command} with the words typed after its name set as Karaf's parser sets them: the
     * first word on the first argument's field, and so on; fields of words not typed keep their default.
     */
    @SafeVarargs
    static <C extends WordCommand> C typed(C command, String[] words, BiConsumer<C, String>... arguments) {
        for (int i = 0; i < words.length; i++) {
            arguments[i].accept(command, words[i]);
        }
        return command;
    }

    /** {@code wireguard [<word> [<private key>]]}. */
    static WireGuardCommand wireguard(String... words) {
        return typed(new WireGuardCommand(), words, (c, w) -> c.action = w, (c, w) -> c.privateKey = w);
    }

    /** {@code network [<word> [<host>]]}. */
    static NetworkCommand network(String... words) {
        return typed(new NetworkCommand(), words, (c, w) -> c.action = w, (c, w) -> c.host = w);
    }

    /** {@code config <word> <param> [<instance> [<value>]]}; quotes around a value are gone by then, as in Karaf. */
    static ConfigCommand config(String... words) {
        return typed(new ConfigCommand(), words,
                (c, w) -> c.action = w, (c, w) -> c.param = w, (c, w) -> c.instance = w, (c, w) -> c.value = w);
    }

    <C extends WordCommand> C inject(C command) {
        command.settings = settings;
        command.control = control;
        command.engine = engine;
        command.registry = registry;
        command.pingService = ping;
        command.tcp = tcp;
        command.sshBridge = sshBridge;
        command.socksProxy = socksProxy;
        return command;
    }

    String run(WordCommand command) throws Exception {
        return run(command, "");
    }

    String run(WordCommand command, String standardInput) throws Exception {
        try (CapturedOut out = CapturedOut.capture().withInput(standardInput)) {
            inject(command).execute();
            return out.text();
        }
    }

    Failed fail(WordCommand command) {
        try (CapturedOut out = CapturedOut.capture().withInput("")) {
            CommandException e = assertThrows(CommandException.class, () -> inject(command).execute());
            return new Failed(e.getNiceHelp(), out.text());
        }
    }
}
