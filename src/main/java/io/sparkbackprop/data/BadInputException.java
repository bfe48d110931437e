package io.sparkbackprop.data;

import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Bad user input: the message names the file, the line and column where known, the offending value, and
 * what to do about it. It is meant to be shown to the user as it is, without a stack trace.
 */
public class BadInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    /**
     * The bad-input error behind {@code failure}, if there is one. An error raised while Spark runs a job
     * reaches the driver wrapped in a {@code SparkException} (often several layers deep); this digs it
     * out, and turns the byte offset an executor could report into a line number, so that a caller
     * running its own job over a {@link DataReader} frame can show the user the same message.
     */
    public static Optional<BadInputException> foundIn(Throwable failure) {
        return foundIn(failure, InputFiles.activeConf());
    }

    /** @param conf the configuration to open the bad file with, to count its lines */
    static Optional<BadInputException> foundIn(Throwable failure, Configuration conf) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof LocatedInputError located) return Optional.of(located.withLineNumber(conf));
            if (t instanceof BadInputException bad) return Optional.of(bad);
        }
        return Optional.empty();
    }
}
