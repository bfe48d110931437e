package io.sparkbackprop.data;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A bad line found on an executor. An executor knows where the line starts in its file (the byte offset
 * Hadoop's line reader gives) but not its line number, which would take counting every line before
 * it; the driver counts them only when an error actually happens ({@link #withLineNumber}).
 */
final class LocatedInputError extends BadInputException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long byteOffset;
    private final String problem;

    /**
     * @param problem what is wrong, to follow the location, with its leading punctuation: ", column 'x3':
     *                'abc' is not a number; ..." or ": expected 4 cells ..."
     */
    LocatedInputError(String file, long byteOffset, String problem) {
        super(InputFiles.display(new Path(file)) + " (the line starting at byte " + byteOffset + ")" + problem);
        this.file = file;
        this.byteOffset = byteOffset;
        this.problem = problem;
    }

    /** The same error with the line number in place of the byte offset (or as it is if the file cannot be read). */
    BadInputException withLineNumber(Configuration conf) {
        try {
            long line = LineNumbers.lineStartingAt(conf, new Path(file), byteOffset);
            return new BadInputException(InputFiles.display(new Path(file)) + " line " + line + problem);
        } catch (IOException e) {
            return this;
        }
    }
}
