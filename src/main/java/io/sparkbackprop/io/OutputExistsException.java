package io.sparkbackprop.io;

/**
 * The requested output directory already holds something and the user did not ask to replace it.
 * Unchecked, like the other complaints about command-line arguments, so the early check before training
 * and the final commit can share it.
 */
public class OutputExistsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public OutputExistsException(String message) {
        super(message);
    }
}
