package org.wgkaraf.shell.command;

import org.apache.karaf.shell.support.CommandException;

/**
 * A failure the user caused and can fix. Karaf prints a {@link CommandException}'s help text alone
 * on the session (no stack trace, no "Error executing command:" prefix), logs it at debug only, and
 * the command fails, so scripts and {@code bin/client} see it too.
 */
final class Failure {
    private Failure() {
    }

    /** {@code Error: <message>}. The message must not quote a secret. */
    static CommandException of(String message) {
        return new CommandException("Error: " + message, message);
    }

    /** A line printed as it is, for the original's own error words ({@code ERROR: unknown host …}). */
    static CommandException verbatim(String line) {
        return new CommandException(line, line);
    }
}
