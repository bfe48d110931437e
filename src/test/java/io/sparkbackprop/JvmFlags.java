package io.sparkbackprop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** conf/jvm-flags.txt: the flags every JVM that runs Spark gets (submit.sh, surefire, the test clusters). */
public final class JvmFlags {
    private JvmFlags() {
    }

    public static List<String> list() {
        try {
            return Files.readAllLines(Path.of("conf/jvm-flags.txt")).stream()
                    .map(String::trim).filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
