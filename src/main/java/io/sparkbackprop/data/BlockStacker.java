package io.sparkbackprop.data;

import io.sparkbackprop.nn.SparseRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Stacks a partition's rows into {@link Block}s of {@code capacity} rows (the last one trimmed), so that
 * within a partition row i lives in block i / capacity, column i % capacity. Each block's storage follows the
 * {@link FeatureStorage}: sparse rows become compressed rows or dense columns, dense rows stay dense unless sparse
 * storage is forced.
 */
public final class BlockStacker {
    /** Rows per block when nobody asks for another size: a few MB for typical widths. */
    public static final int DEFAULT_CAPACITY = 4096;

    /**
     * One row on its way into a block; only exists while data is read. Dense: {@code indices} is null and
     * {@code features} holds every value. Sparse: {@code features} holds the values at {@code indices} (increasing).
     */
    public record Row(double[] features, int[] indices, double[] label, double weight) {
        public Row(double[] features, double[] label, double weight) {
            this(features, null, label, weight);
        }

        public Row(double[] features, double[] label) {
            this(features, null, label, 1.0);
        }

        boolean sparse() {
            return indices != null;
        }

        int nonzeros() {
            if (indices != null) return indices.length;
            int n = 0;
            for (double v : features) if (v != 0) n++;
            return n;
        }
    }

    private BlockStacker() {
    }

    public static Iterator<Block> stack(Iterator<Row> rows, int numFeatures, int labelWidth, int capacity) {
        return stack(rows, numFeatures, labelWidth, capacity, false, FeatureStorage.AUTO);
    }

    /**
     * @param weighted keep each row's weight (otherwise weights are dropped and every row counts once)
     * @param storage  how each block stores its features
     */
    public static Iterator<Block> stack(Iterator<Row> rows, int numFeatures, int labelWidth, int capacity, boolean weighted,
                                        FeatureStorage storage) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public Block next() {
                if (!rows.hasNext()) throw new NoSuchElementException();
                List<Row> batch = new ArrayList<>(Math.min(capacity, 1024));
                boolean anySparse = false;
                while (batch.size() < capacity && rows.hasNext()) {
                    Row r = rows.next();
                    check(r, numFeatures, labelWidth);
                    anySparse |= r.sparse();
                    batch.add(r);
                }
                int n = batch.size();
                double[] y = new double[labelWidth * n];
                double[] w = weighted ? new double[n] : null;
                for (int j = 0; j < n; j++) {
                    Row r = batch.get(j);
                    System.arraycopy(r.label(), 0, y, j * labelWidth, labelWidth);
                    if (w != null) w[j] = r.weight();
                }
                // Dense rows need no count unless sparse storage is possible for them.
                boolean sparse = false;
                if (storage != FeatureStorage.DENSE && (anySparse || storage == FeatureStorage.SPARSE)) {
                    long nonzeros = 0;
                    for (Row r : batch) nonzeros += r.nonzeros();
                    sparse = storage.storesSparse(anySparse, nonzeros, n, numFeatures);
                }
                if (sparse) return Block.sparse(compressed(batch, numFeatures), labelWidth, y, w);
                Block dense = new Block(n, numFeatures, labelWidth, dense(batch, numFeatures), y, w);
                return anySparse ? dense.markedFromSparseVectors() : dense;
            }
        };
    }

    private static void check(Row r, int numFeatures, int labelWidth) {
        if (!r.sparse() && r.features().length != numFeatures) {
            throw new IllegalArgumentException("row has " + r.features().length + " features, expected " + numFeatures);
        }
        if (r.label().length != labelWidth) {
            throw new IllegalArgumentException("row has " + r.label().length + " label values, expected " + labelWidth);
        }
    }

    private static double[] dense(List<Row> batch, int numFeatures) {
        double[] x = new double[numFeatures * batch.size()];
        for (int j = 0; j < batch.size(); j++) {
            Row r = batch.get(j);
            if (r.sparse()) {
                for (int p = 0; p < r.indices().length; p++) x[j * numFeatures + r.indices()[p]] = r.features()[p];
            } else {
                System.arraycopy(r.features(), 0, x, j * numFeatures, numFeatures);
            }
        }
        return x;
    }

    /** The rows' nonzeros as compressed rows (explicit zeros of a sparse vector are dropped too). */
    private static SparseRows compressed(List<Row> batch, int numFeatures) {
        int[] starts = new int[batch.size() + 1];
        long total = 0;
        for (Row r : batch) total += r.nonzeros();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a block of " + batch.size() + " rows holds " + total
                    + " nonzeros, more than an array can: give a smaller block size (--block-size, blockSize)");
        }
        int[] indices = new int[(int) total];
        double[] values = new double[(int) total];
        int at = 0;
        for (int j = 0; j < batch.size(); j++) {
            Row r = batch.get(j);
            double[] v = r.features();
            for (int p = 0; p < v.length; p++) {
                if (v[p] == 0) continue;
                indices[at] = r.sparse() ? r.indices()[p] : p;
                values[at++] = v[p];
            }
            starts[j + 1] = at;
        }
        if (at < indices.length) {
            indices = Arrays.copyOf(indices, at);
            values = Arrays.copyOf(values, at);
        }
        return SparseRows.of(numFeatures, starts, indices, values);
    }
}
