package io.sparkbackprop.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Stacks a partition's rows into {@link Block}s of {@code capacity} rows (the last one trimmed), so that
 * within a partition row i lives in block i / capacity, column i % capacity.
 */
public final class BlockStacker {
    /** Rows per block when nobody asks for another size: a few MB for typical widths. */
    public static final int DEFAULT_CAPACITY = 4096;

    /** One row on its way into a block; only exists while data is read. */
    public record Row(double[] features, double[] label, double weight) {
        public Row(double[] features, double[] label) {
            this(features, label, 1.0);
        }
    }

    private BlockStacker() {
    }

    public static Iterator<Block> stack(Iterator<Row> rows, int numFeatures, int labelWidth, int capacity) {
        return stack(rows, numFeatures, labelWidth, capacity, false);
    }

    /** @param weighted keep each row's weight (otherwise weights are dropped and every row counts once) */
    public static Iterator<Block> stack(Iterator<Row> rows, int numFeatures, int labelWidth, int capacity, boolean weighted) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Block next() {
                if (!rows.hasNext()) throw new NoSuchElementException();
                double[] x = new double[numFeatures * capacity];
                double[] y = new double[labelWidth * capacity];
                double[] w = weighted ? new double[capacity] : null;
                int n = 0;
                while (n < capacity && rows.hasNext()) {
                    Row r = rows.next();
                    if (r.features().length != numFeatures) {
                        throw new IllegalArgumentException("row has " + r.features().length + " features, expected " + numFeatures);
                    }
                    if (r.label().length != labelWidth) {
                        throw new IllegalArgumentException("row has " + r.label().length + " label values, expected " + labelWidth);
                    }
                    System.arraycopy(r.features(), 0, x, n * numFeatures, numFeatures);
                    System.arraycopy(r.label(), 0, y, n * labelWidth, labelWidth);
                    if (w != null) w[n] = r.weight();
                    n++;
                }
                if (n < capacity) {
                    x = Arrays.copyOf(x, n * numFeatures);
                    y = Arrays.copyOf(y, n * labelWidth);
                    w = w == null ? null : Arrays.copyOf(w, n);
                }
                return new Block(n, numFeatures, labelWidth, x, y, w);
            }
        };
    }
}
