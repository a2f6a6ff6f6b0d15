package org.wgkaraf.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The test log (slf4j-simple writes to the file the build names in {@code org.slf4j.simpleLogger.logFile}). */
public final class LogFile {
    private LogFile() {
    }

    public static List<String> linesWith(String text) throws IOException {
        String file = System.getProperty("org.slf4j.simpleLogger.logFile");
        if (file == null || file.equals("System.err") || file.equals("System.out")) {
            throw new IllegalStateException("The build sets org.slf4j.simpleLogger.logFile for these tests; run them with Maven");
        }
        return Files.readAllLines(Path.of(file)).stream().filter(l -> l.contains(text)).toList();
    }
}
