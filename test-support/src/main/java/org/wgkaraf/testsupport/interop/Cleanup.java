package org.wgkaraf.testsupport.interop;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Taking down what the harness builds, so that one failure never hides another and a half-built
 * thing is never left behind.
 */
final class Cleanup {
    private Cleanup() {
    }

    /** Runs {@code step} on {@code made}; if it throws, closes {@code made} (suppressing what that throws) and rethrows. */
    static <T extends AutoCloseable> T orClose(T made, Consumer<T> step) {
        try {
            step.accept(made);
        } catch (RuntimeException e) {
            try {
                made.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return made;
    }

    /** Runs a command that removes something; collects its failure unless what it removes is gone already. */
    static void delete(List<RuntimeException> failures, String... argv) {
        Shell.Result r = Shell.cmd(argv).tryRun();
        String err = r.stderr().toLowerCase(Locale.ROOT);
        boolean gone = err.contains("cannot find device") || err.contains("no such file") || err.contains("does not exist");
        if (!r.ok() && !gone) {
            failures.add(new IllegalStateException("`" + String.join(" ", argv) + "` failed: " + r.stderr().strip()));
        }
    }

    /** Throws the first of {@code failures} with the others suppressed in it; returns when there is none. */
    static void throwFirst(List<RuntimeException> failures) {
        if (!failures.isEmpty()) {
            RuntimeException e = failures.get(0);
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }
}
