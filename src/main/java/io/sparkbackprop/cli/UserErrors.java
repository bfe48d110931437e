package io.sparkbackprop.cli;

import io.sparkbackprop.train.DivergenceException;

/**
 * Finds, in an exception that may have travelled from an executor inside Spark's wrappers, the message
 * meant for the user: our own validation errors are IllegalArgumentExceptions (bad input, bad options)
 * or a {@link DivergenceException}.
 */
public final class UserErrors {
    private UserErrors() {
    }

    /** The user-facing message, or null when the failure is a bug or an environment problem to show in full. */
    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DivergenceException || t instanceof IllegalArgumentException
                    || t instanceof java.nio.file.NoSuchFileException || t instanceof java.io.FileNotFoundException) {
                return t.getMessage();
            }
        }
        return null;
    }
}
