package org.wgkaraf.shell.command;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Instant;
import org.apache.karaf.shell.support.CommandException;
import org.wgkaraf.api.engine.WireGuardEngine;
import org.wgkaraf.api.wireguard.WireGuardControl;
import org.wgkaraf.shell.format.AccessFormat;
import org.wgkaraf.shell.format.StatusFormat;

/** What {@code wireguard <word>} and {@code wireguard:<word>} do. */
enum WireGuardWord implements Word {
    STATUS, START, STOP, RESTART, GENKEY, PUBKEY, GENPSK;

    static WireGuardWord parse(String typed) throws CommandException {
        return Word.parse(values(), typed, "wireguard");
    }

    @Override
    public void run(WordCommand services, Arguments arguments, InputStream in, PrintStream out)
            throws CommandException {
        if (arguments.privateKey() != null && this != PUBKEY) {
            throw Failure.of("only 'wireguard pubkey' takes an argument");
        }
        switch (this) {
            case STATUS -> status(services, out);
            case START -> announce("Starting", control(services)::start, out);
            case STOP -> announce("Stopping", control(services)::stop, out);
            case RESTART -> announce("Restarting", control(services)::restart, out);
            case GENKEY -> KeyActions.genkey(engine(services), out);
            case PUBKEY -> KeyActions.pubkey(engine(services), arguments.privateKey(), in, out);
            case GENPSK -> KeyActions.genpsk(engine(services), out);
        }
    }

    /** The original's lines and the tunnel, then what reaches the module through it (when the access bundle runs). */
    private static void status(WordCommand services, PrintStream out) throws CommandException {
        Instant now = Instant.now();
        StatusFormat.lines(control(services).status(), now).forEach(out::println);
        if (services.sshBridge != null) {
            out.println();
            AccessFormat.ssh(services.sshBridge.status(), now).forEach(out::println);
        }
        if (services.socksProxy != null) {
            out.println();
            AccessFormat.socks(services.socksProxy.status()).forEach(out::println);
        }
    }

    private static WireGuardControl control(WordCommand services) throws CommandException {
        return WordCommand.require(services.control, WireGuardControl.class);
    }

    private static WireGuardEngine engine(WordCommand services) throws CommandException {
        return WordCommand.require(services.engine, WireGuardEngine.class);
    }

    /** The original's announcement first, so the user sees it before a slow or failing call. */
    private static void announce(String verb, Runnable call, PrintStream out) throws CommandException {
        out.println(verb + " WireguardClient...");
        out.flush();
        try {
            call.run();
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw Failure.of(e.getMessage());
        }
    }
}
