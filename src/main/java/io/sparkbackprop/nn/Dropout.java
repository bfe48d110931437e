package io.sparkbackprop.nn;

/**
 * Inverted dropout on the hidden layers while training: each hidden unit's output is kept with probability
 * 1−p and then divided by 1−p (so a layer's expected output is unchanged and prediction needs no rescaling),
 * or zeroed with probability p.
 * <p>
 * Whether unit u of layer l is kept for a row is a hash of the row's key and (l, u), not a draw from a
 * random stream: the masks depend only on what the key encodes — (seed, epoch, step, partition, row) when
 * training — never on threads, timing, chunk sizes or the order rows are processed in, so runs are
 * bit-for-bit reproducible.
 *
 * @param rate    p, in [0, 1)
 * @param rowKeys one key per row of the samples passed to the kernel, starting at {@code offset}
 */
public record Dropout(double rate, long[] rowKeys, int offset) {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    public Dropout {
        if (!(rate >= 0 && rate < 1)) throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
    }

    /** The key of one training row: its identity within the run's step. */
    public static long rowKey(long seed, int epoch, int step, int partition, long row) {
        long k = mix(seed + GOLDEN);
        k = mix(k ^ (epoch * GOLDEN));
        k = mix(k ^ ((long) step * 0xC2B2AE3D27D4EB4FL));
        k = mix(k ^ ((long) partition * 0x165667B19E3779F9L));
        return mix(k ^ (row * 0xD6E8FEB86659FD93L));
    }

    /** Whether unit {@code unit} of hidden layer {@code layer} is kept for the row with this key. */
    public static boolean kept(long rowKey, int layer, int unit, double rate) {
        long h = mix(rowKey ^ mix(((long) layer << 32 | (unit & 0xFFFFFFFFL)) + GOLDEN));
        double u = (h >>> 11) * 0x1.0p-53; // uniform in [0, 1)
        return u >= rate;
    }

    /** Fills keep (out × m, column-major) with 1/(1−p) for kept units and 0 for dropped ones. */
    void fillMask(double[] keep, int layer, int out, int start, int m) {
        double scale = 1.0 / (1.0 - rate);
        for (int j = 0; j < m; j++) {
            long key = rowKeys[offset + start + j];
            for (int u = 0; u < out; u++) keep[j * out + u] = kept(key, layer, u, rate) ? scale : 0.0;
        }
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
