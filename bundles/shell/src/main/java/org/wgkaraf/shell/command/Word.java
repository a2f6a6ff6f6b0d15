package org.wgkaraf.shell.command;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.karaf.shell.support.CommandException;

/** A word of a command ({@code wireguard start}, {@code config set}, {@code network ping}) and what it does. */
sealed interface Word permits WireGuardWord, ConfigWord, NetworkWord {

    void run(WordCommand services, Arguments arguments, InputStream in, PrintStream out) throws CommandException;

    /** The word as typed: the constant's name in lower case. */
    static String typed(Enum<?> word) {
        return word.name().toLowerCase(Locale.ROOT);
    }

    /** The typed word as one of {@code words}. The error never quotes it: a misplaced key could be it. */
    static <E extends Enum<E>> E parse(E[] words, String typed, String command) throws CommandException {
        for (E word : words) {
            if (typed(word).equals(typed)) {
                return word;
            }
        }
        List<String> known = Arrays.stream(words).map(Word::typed).toList();
        throw Failure.of(command + " takes " + String.join(", ", known.subList(0, known.size() - 1))
                + " or " + known.get(known.size() - 1));
    }
}
