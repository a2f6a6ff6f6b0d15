package org.wgkaraf.shell.command;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.apache.karaf.shell.support.CommandException;
import org.wgkaraf.api.wireguard.Instance;
import org.wgkaraf.api.wireguard.WireGuardSettings;
import org.wgkaraf.shell.format.SettingFormat;

/**
 * What {@code config <word> network.wireguard …} and {@code wireguard:<word>} do. Errors never
 * quote what the user typed: with the instance forgotten, a private key lands in its place.
 */
enum ConfigWord implements Word {
    SET, GET, LIST, UNSET;

    static final String INSTANCES = Arrays.stream(Instance.values()).map(Instance::key)
            .collect(Collectors.joining(", "));

    static ConfigWord parse(String typed) throws CommandException {
        return Word.parse(values(), typed, "config");
    }

    /** A refused value changes nothing; the service's message does not quote it. */
    @Override
    public void run(WordCommand services, Arguments arguments, InputStream in, PrintStream out)
            throws CommandException {
        WireGuardSettings settings = WordCommand.require(services.settings, WireGuardSettings.class);
        switch (this) {
            case SET -> set(settings, instance(arguments), arguments.value());
            case GET -> out.println(SettingFormat.withVerdict(settings.get(instance(arguments))));
            case LIST -> SettingFormat.list(settings.list()).forEach(out::println);
            case UNSET -> settings.unset(instance(arguments));
        }
    }

    private static void set(WireGuardSettings settings, Instance instance, String value) throws CommandException {
        if (value == null) {
            throw Failure.of("no value given for " + instance.key());
        }
        try {
            settings.set(instance, value);
        } catch (IllegalArgumentException e) {
            throw Failure.of(e.getMessage());
        }
    }

    private static Instance instance(Arguments arguments) throws CommandException {
        if (arguments.instance() == null) {
            throw Failure.of("no instance given; the instances of " + WireGuardSettings.PID + " are: " + INSTANCES);
        }
        return Instance.byKey(arguments.instance()).orElseThrow(() -> Failure.of(
                "no such instance of " + WireGuardSettings.PID + "; the instances are: " + INSTANCES));
    }
}
