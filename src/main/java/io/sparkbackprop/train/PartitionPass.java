package io.sparkbackprop.train;

import io.sparkbackprop.data.Block;
import io.sparkbackprop.nn.Backprop;
import io.sparkbackprop.nn.Dropout;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Topology;
import java.util.Iterator;
import java.util.List;

/**
 * What one task does with its partition in a step: forward/backward over its share of the step's batch,
 * summed into one flat buffer laid out like the weights, followed by the summed loss and the row count.
 * For a full batch the cached blocks are used in place; for a mini-batch the step's rows, in this
 * epoch's order, are gathered into a reusable chunk so every product is still one BLAS call.
 */
final class PartitionPass {
    private PartitionPass() {
    }

    /**
     * The partition's {@link StepSums} buffer (rows = weight sum when rows carry weights). With dropout, each row's
     * masks are keyed by (seed, epoch, step, partition, row index in the partition). The config's precision picks
     * the kernel's arithmetic; the buffer's sums are double either way.
     */
    static double[] gradient(Iterator<Block> it, int partition, int partitions, Topology t, double[] w, BatchPlan plan,
                             TrainingConfig config, int epoch, int step) {
        long seed = config.seed();
        int chunk = config.chunkSize();
        double dropout = config.dropout();
        double[] out = StepSums.newBuffer(t.numParams());
        Backprop kernel = Backprop.forThread(t, w, config.precision(), chunk);
        double loss = 0;
        double rows = 0;
        if (plan.fullBatch()) {
            long firstRow = 0;
            while (it.hasNext()) {
                Block b = it.next();
                if (b.rows() == 0) continue;
                checkWidth(b, t);
                Dropout d = null;
                if (dropout > 0) {
                    long[] keys = new long[b.rows()];
                    for (int j = 0; j < keys.length; j++) keys[j] = Dropout.rowKey(seed, epoch, step, partition, firstRow + j);
                    d = new Dropout(dropout, keys, 0);
                }
                loss += b.single()
                        ? kernel.accumulateGradient(b.singleFeatures(), 0, b.labels(), 0, b.weights(), 0, b.rows(), out, d)
                        : kernel.accumulateGradient(b.features(), 0, b.labels(), 0, b.weights(), 0, b.rows(), out, d);
                rows += weightOf(b);
                firstRow += b.rows();
            }
        } else {
            List<Block> blocks = TrainingSet.collectBlocks(it);
            RowIndex index = new RowIndex(blocks);
            long from = plan.sliceStart(index.rows(), step, partition, partitions);
            long to = plan.sliceEnd(index.rows(), step, partition, partitions);
            EpochOrder order = new EpochOrder(index.rows(), seed, epoch, partition);
            Gather g = Gather.forThread(t.inputSize(), t.labelWidth(), chunk, index.single());
            double[] rw = index.weighted() ? g.w : null;
            Dropout d = dropout > 0 ? new Dropout(dropout, g.keys, 0) : null;
            for (long pos = from; pos < to; ) {
                int cols = (int) Math.min(chunk, to - pos);
                for (int c = 0; c < cols; c++, pos++) {
                    long row = order.rowAt(pos);
                    index.copyRow(row, g, c);
                    if (d != null) g.keys[c] = Dropout.rowKey(seed, epoch, step, partition, row);
                }
                loss += g.single()
                        ? kernel.accumulateGradient(g.xSingle, 0, g.y, 0, rw, 0, cols, out, d)
                        : kernel.accumulateGradient(g.x, 0, g.y, 0, rw, 0, cols, out, d);
                if (rw == null) {
                    rows += cols;
                } else {
                    for (int c = 0; c < cols; c++) rows += rw[c];
                }
            }
        }
        StepSums.close(out, loss, rows);
        return out;
    }

    /** [loss sum, weight sum, weight of correctly classified rows] of the whole partition, forward only (no dropout). */
    static double[] loss(Iterator<Block> it, Topology t, double[] w, int chunk) {
        Backprop forward = Backprop.forThread(t, w, Precision.DOUBLE, chunk);
        double loss = 0;
        double rows = 0;
        double hits = 0;
        while (it.hasNext()) {
            Block b = it.next();
            if (b.rows() == 0) continue;
            checkWidth(b, t);
            double[] lh = b.single()
                    ? forward.lossAndHits(b.singleFeatures(), 0, b.labels(), 0, b.weights(), 0, b.rows())
                    : forward.lossAndHits(b.features(), 0, b.labels(), 0, b.weights(), 0, b.rows());
            loss += lh[0];
            hits += lh[1];
            rows += weightOf(b);
        }
        return new double[] {loss, rows, hits};
    }

    private static double weightOf(Block b) {
        if (b.weights() == null) return b.rows();
        double sum = 0;
        for (double v : b.weights()) sum += v;
        return sum;
    }

    private static void checkWidth(Block b, Topology t) {
        if (b.numFeatures() != t.inputSize()) {
            throw new IllegalArgumentException("data has " + b.numFeatures() + " features but the network expects "
                    + t.inputSize());
        }
        if (b.labelWidth() != t.labelWidth()) {
            throw new IllegalArgumentException("data has " + b.labelWidth() + " label values per row but the network's "
                    + t.loss().id() + " loss expects " + t.labelWidth());
        }
    }

    /** Finds row i of a partition across its blocks (blocks may differ in size). */
    private static final class RowIndex {
        private final List<Block> blocks;
        private final long[] starts;
        private final long rows;
        private final boolean weighted;
        private final boolean single;

        RowIndex(List<Block> blocks) {
            this.blocks = blocks;
            this.starts = new long[blocks.size()];
            long n = 0;
            boolean anyWeights = false;
            for (int i = 0; i < blocks.size(); i++) {
                starts[i] = n;
                n += blocks.get(i).rows();
                anyWeights |= blocks.get(i).weights() != null;
            }
            this.rows = n;
            this.weighted = anyWeights;
            this.single = !blocks.isEmpty() && blocks.get(0).single();
            // One cached set is made by one map, so its blocks share a precision; the gather buffer has one.
            for (Block b : blocks) {
                if (b.single() != single) throw new IllegalStateException("a partition mixes blocks with float and double features");
            }
        }

        /** Whether every block holds its features in float: the rows are then gathered in float. */
        boolean single() {
            return single;
        }

        boolean weighted() {
            return weighted;
        }

        long rows() {
            return rows;
        }

        /** Row {@code row} into column col of the gather's features (in its precision), labels and row weights. */
        void copyRow(long row, Gather g, int col) {
            int bi = java.util.Arrays.binarySearch(starts, row);
            if (bi < 0) bi = -bi - 2;
            Block b = blocks.get(bi);
            int j = (int) (row - starts[bi]);
            int f = b.numFeatures();
            int l = b.labelWidth();
            if (g.single()) {
                System.arraycopy(b.singleFeatures(), j * f, g.xSingle, col * f, f);
            } else {
                System.arraycopy(b.features(), j * f, g.x, col * f, f);
            }
            System.arraycopy(b.labels(), j * l, g.y, col * l, l);
            g.w[col] = b.weights() == null ? 1.0 : b.weights()[j];
        }
    }

    /** Per-thread buffers that a mini-batch's rows are gathered into: features in double or, from float blocks, in float. */
    private static final class Gather {
        private static final ThreadLocal<Gather> PER_THREAD = new ThreadLocal<>();
        /** One of the two, by the blocks' precision. */
        final double[] x;
        final float[] xSingle;
        final double[] y;
        final double[] w;
        final long[] keys;
        final int features;
        final int labels;
        final int chunk;

        private Gather(int features, int labels, int chunk, boolean single) {
            this.features = features;
            this.labels = labels;
            this.chunk = chunk;
            x = single ? null : new double[features * chunk];
            xSingle = single ? new float[features * chunk] : null;
            y = new double[labels * chunk];
            w = new double[chunk];
            keys = new long[chunk];
        }

        boolean single() {
            return xSingle != null;
        }

        static Gather forThread(int features, int labels, int chunk, boolean single) {
            Gather g = PER_THREAD.get();
            if (g == null || g.features != features || g.labels != labels || g.chunk != chunk || g.single() != single) {
                g = new Gather(features, labels, chunk, single);
                PER_THREAD.set(g);
            }
            return g;
        }
    }
}
