package io.sparkbackprop.io;

/**
 * A model file that cannot be turned into a {@link io.sparkbackprop.nn.Network}. The message always starts
 * with the source's name and says what is wrong and where, so the command line can print it as it is.
 * It is the only exception {@link ModelJson}'s readers throw, whatever the input.
 */
public class ModelFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
