package io.sparkbackprop.data;

import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/** Turns the byte offset of a line into its 1-based line number, by counting line breaks on the driver. */
final class LineNumbers {
    private LineNumbers() {
    }

    /**
     * Counts breaks the way Hadoop's line reader splits lines ("\n", "\r\n" or a lone "\r"), so the
     * number agrees with the offsets the executors saw and with what an editor shows.
     */
    static long lineStartingAt(Configuration conf, Path file, long byteOffset) throws IOException {
        long breaks = 0;
        boolean afterCarriageReturn = false;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = InputFiles.open(conf, file)) {
            long remaining = byteOffset;
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) break;
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        if (!afterCarriageReturn) breaks++;
                        afterCarriageReturn = false;
                    } else {
                        if (b == '\r') breaks++;
                        afterCarriageReturn = b == '\r';
                    }
                }
                remaining -= n;
            }
        }
        return breaks + 1;
    }
}
