package io.sparkbackprop.train;

import io.sparkbackprop.data.Block;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Blocks cached once, with the row count of every partition (learned in the one job that fills the
 * cache). Steps then read only the cache; the counts let each partition find its share of a step
 * without scanning.
 */
public final class TrainingSet {
    private final JavaRDD<Block> blocks;
    private final long[] rowsPerPartition;
    private final long rows;
    private final int numFeatures;
    private final int labelWidth;
    private final long nonzeros;
    private final long bytes;
    private final boolean fromSparseVectors;

    private TrainingSet(JavaRDD<Block> blocks, long[] rowsPerPartition, int numFeatures, int labelWidth, long nonzeros, long bytes,
                        boolean fromSparseVectors) {
        this.blocks = blocks;
        this.rowsPerPartition = rowsPerPartition;
        long total = 0;
        for (long r : rowsPerPartition) total += r;
        this.rows = total;
        this.numFeatures = numFeatures;
        this.labelWidth = labelWidth;
        this.nonzeros = nonzeros;
        this.bytes = bytes;
        this.fromSparseVectors = fromSparseVectors;
    }

    /** Caches the blocks (deserialized in memory, spilling to disk) and counts their rows per partition. */
    public static TrainingSet cache(JavaRDD<Block> blocks, String name) {
        return cache(blocks, name, StorageLevel.MEMORY_AND_DISK());
    }

    public static TrainingSet cache(JavaRDD<Block> blocks, String name, StorageLevel level) {
        JavaRDD<Block> cached = blocks.setName(name).persist(level);
        try {
            return counted(cached, name);
        } catch (RuntimeException e) {
            // A failed count leaves nothing cached behind.
            cached.unpersist(false);
            throw e;
        }
    }

    private static TrainingSet counted(JavaRDD<Block> cached, String name) {
        // One pass fills the cache and yields (rows, features, labelWidth) for each partition.
        List<Tuple2<Integer, long[]>> stats = cached.mapPartitionsWithIndex((p, it) -> {
            long n = 0;
            long features = -1;
            long labels = -1;
            long nonzeros = 0;
            long bytes = 0;
            long fromSparse = 0;
            while (it.hasNext()) {
                Block b = it.next();
                if (b.rows() == 0) continue;
                if (features >= 0 && (features != b.numFeatures() || labels != b.labelWidth())) {
                    throw new IllegalArgumentException("partition " + p + " mixes blocks of different widths");
                }
                features = b.numFeatures();
                labels = b.labelWidth();
                n += b.rows();
                nonzeros += nonzerosOf(b);
                bytes += b.bytes();
                if (b.fromSparseVectors()) fromSparse++;
            }
            return Collections.singletonList(new Tuple2<>(p, new long[] {n, features, labels, nonzeros, bytes, fromSparse})).iterator();
        }, true).collect();
        long[] rows = new long[cached.getNumPartitions()];
        int features = -1;
        int labelWidth = -1;
        long nonzeros = 0;
        long bytes = 0;
        boolean fromSparse = false;
        for (Tuple2<Integer, long[]> s : stats) {
            long[] v = s._2();
            rows[s._1()] = v[0];
            nonzeros += v[3];
            bytes += v[4];
            fromSparse |= v[5] > 0;
            if (v[0] == 0) continue;
            if (features >= 0 && (features != v[1] || labelWidth != v[2])) {
                throw new IllegalArgumentException(name + ": partitions disagree on the number of features ("
                        + features + " vs " + v[1] + ")");
            }
            features = (int) v[1];
            labelWidth = (int) v[2];
        }
        return new TrainingSet(cached, rows, features, labelWidth, nonzeros, bytes, fromSparse);
    }

    private static long nonzerosOf(Block b) {
        if (b.isSparse()) return b.sparseFeatures().nonzeros();
        long n = 0;
        if (b.single()) {
            for (float v : b.singleFeatures()) if (v != 0) n++;
        } else {
            for (double v : b.features()) if (v != 0) n++;
        }
        return n;
    }

    /** Nonzero feature values over all rows. */
    public long nonzeros() {
        return nonzeros;
    }

    /** Nonzero feature values per row and feature (0 for an empty set). */
    public double density() {
        return rows == 0 || numFeatures <= 0 ? 0 : nonzeros / ((double) rows * numFeatures);
    }

    /**
     * Whether the features are sparse input: rows that came as sparse vectors with fewer than a tenth of the values
     * nonzero (the data decides, whichever storage the blocks chose; a dense file full of zeros is not).
     */
    public boolean sparseInput() {
        return rows > 0 && fromSparseVectors && density() < io.sparkbackprop.data.FeatureStorage.SPARSE_BELOW;
    }

    /** What the cached blocks' arrays hold, in bytes (features, labels, row weights). */
    public long bytes() {
        return bytes;
    }

    /**
     * The same rows with their features in float, cached under {@code name}: what a float run's training set holds
     * ({@link TrainingPipeline} caches it so straight away). This set stays cached.
     */
    public TrainingSet inSingle(String name) {
        return cache(blocks.map(Block::inSingle), name);
    }

    public JavaRDD<Block> blocks() {
        return blocks;
    }

    public long rows() {
        return rows;
    }

    public long[] rowsPerPartition() {
        return rowsPerPartition.clone();
    }

    public int numPartitions() {
        return rowsPerPartition.length;
    }

    /** -1 when the set is empty. */
    public int numFeatures() {
        return numFeatures;
    }

    public int labelWidth() {
        return labelWidth;
    }

    public void unpersist() {
        blocks.unpersist(false);
    }

    /** A partition's cached blocks in order, for random access by row. */
    static List<Block> collectBlocks(java.util.Iterator<Block> it) {
        List<Block> list = new ArrayList<>();
        while (it.hasNext()) {
            Block b = it.next();
            if (b.rows() > 0) list.add(b);
        }
        return list;
    }
}
