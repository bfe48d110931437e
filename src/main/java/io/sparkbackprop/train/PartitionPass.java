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
        double[] out = StepSums.newBuffer(t.numParams());
        pass(it, partition, partitions, t, w, plan, config, epoch, step, out, null, null);
        return out;
    }

    /**
     * The same sums on sparse input, compactly ({@link ColumnSums}): the first layer's columns that the step's rows
     * touch, and the rest. The dense buffer they are summed in is the thread's, reused and left zero, so a step
     * allocates only what it returns.
     */
    static ColumnSums columnGradient(Iterator<Block> it, int partition, int partitions, Topology t, double[] w, BatchPlan plan,
                                     TrainingConfig config, int epoch, int step) {
        ColumnScratch s = ColumnScratch.forThread(t);
        try {
            // Factors grow with the step's rows: worth it for a mini-batch, not for a full batch (every row of the
            // partition), whose touched columns are summed in the buffer instead.
            pass(it, partition, partitions, t, w, plan, config, epoch, step, s.buffer, s.touched, plan.fullBatch() ? null : s.deferred);
            return ColumnSums.takeFrom(s.buffer, s.touched, t, s.deferred);
        } catch (RuntimeException | Error e) {
            // A failed pass leaves sums behind: the next one on this thread must start from zero.
            ColumnScratch.discard();
            throw e;
        }
    }

    /** A thread's dense sums buffer and first-layer column marks for {@link #columnGradient}. */
    private static final class ColumnScratch {
        private static final ThreadLocal<ColumnScratch> PER_THREAD = new ThreadLocal<>();
        final Topology topology;
        final double[] buffer;
        final boolean[] touched;
        final io.sparkbackprop.nn.DeferredOuterProducts deferred = new io.sparkbackprop.nn.DeferredOuterProducts();

        private ColumnScratch(Topology t) {
            topology = t;
            buffer = StepSums.newBuffer(t.numParams());
            touched = new boolean[t.inputSize()];
        }

        static ColumnScratch forThread(Topology t) {
            ColumnScratch s = PER_THREAD.get();
            if (s == null || !s.topology.equals(t)) {
                s = new ColumnScratch(t);
                PER_THREAD.set(s);
            }
            return s;
        }

        static void discard() {
            PER_THREAD.remove();
        }
    }

    /**
     * Marks the first-layer columns that rows [from, from + m) of a block have nonzeros in, whose gradient is summed in
     * the buffer (a full batch's sparse rows, and dense rows).
     */
    private static void markColumns(io.sparkbackprop.nn.Features x, Block dense, int from, int m, boolean[] touched) {
        if (x instanceof io.sparkbackprop.nn.SparseRows r) {
            for (int p = r.start(from); p < r.start(from + m); p++) touched[r.index(p)] = true;
            return;
        }
        int f = dense.numFeatures();
        for (int j = from; j < from + m; j++) {
            for (int c = 0; c < f; c++) {
                double v = dense.single() ? dense.singleFeatures()[j * f + c] : dense.features()[j * f + c];
                if (v != 0) touched[c] = true;
            }
        }
    }

    private static void pass(Iterator<Block> it, int partition, int partitions, Topology t, double[] w, BatchPlan plan,
                             TrainingConfig config, int epoch, int step, double[] out, boolean[] touched,
                             io.sparkbackprop.nn.DeferredOuterProducts deferred) {
        Backprop kernel = Backprop.forThread(t, w, config.precision(), config.chunkSize());
        kernel.deferSparseFirstLayer(deferred);
        try {
            pass(kernel, it, partition, partitions, t, plan, config, epoch, step, out, touched);
        } finally {
            // The thread's workspace outlives this pass: the next one sums again unless it asks too.
            kernel.deferSparseFirstLayer(null);
        }
    }

    private static void pass(Backprop kernel, Iterator<Block> it, int partition, int partitions, Topology t, BatchPlan plan,
                             TrainingConfig config, int epoch, int step, double[] out, boolean[] touched) {
        long seed = config.seed();
        int chunk = config.chunkSize();
        double dropout = config.dropout();
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
                if (touched != null) markColumns(b.input(), b, 0, b.rows(), touched);
                loss += kernel.accumulateGradient(b.input(), b.labels(), 0, b.weights(), 0, out, d);
                rows += weightOf(b);
                firstRow += b.rows();
            }
        } else {
            List<Block> blocks = TrainingSet.collectBlocks(it);
            RowIndex index = new RowIndex(blocks);
            long from = plan.sliceStart(index.rows(), step, partition, partitions);
            long to = plan.sliceEnd(index.rows(), step, partition, partitions);
            EpochOrder order = new EpochOrder(index.rows(), seed, epoch, partition);
            Gather g = Gather.forThread(t.inputSize(), t.labelWidth(), chunk, index.kind());
            double[] rw = index.weighted() ? g.w : null;
            Dropout d = dropout > 0 ? new Dropout(dropout, g.keys, 0) : null;
            for (long pos = from; pos < to; ) {
                int cols = (int) Math.min(chunk, to - pos);
                g.clear();
                for (int c = 0; c < cols; c++, pos++) {
                    long row = order.rowAt(pos);
                    index.copyRow(row, g, c);
                    if (d != null) g.keys[c] = Dropout.rowKey(seed, epoch, step, partition, row);
                }
                io.sparkbackprop.nn.Features x = g.features(cols);
                if (touched != null) g.markColumns(cols, touched);
                loss += kernel.accumulateGradient(x, g.y, 0, rw, 0, out, d);
                if (rw == null) {
                    rows += cols;
                } else {
                    for (int c = 0; c < cols; c++) rows += rw[c];
                }
            }
        }
        StepSums.close(out, loss, rows);
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
            double[] lh = forward.lossAndHits(b.input(), b.labels(), 0, b.weights(), 0);
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
        private final Gather.Kind kind;

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
            boolean single = !blocks.isEmpty() && blocks.get(0).single();
            boolean sparse = false;
            // One cached set is made by one map, so its blocks share a precision; the gather buffer has one.
            for (Block b : blocks) {
                if (b.single() != single) throw new IllegalStateException("a partition mixes blocks with float and double features");
                sparse |= b.isSparse();
            }
            // Any sparse block makes the gather sparse (a dense block's rows then go in by their nonzeros): a row never
            // becomes dense on its way to the kernel.
            this.kind = sparse ? Gather.Kind.SPARSE : single ? Gather.Kind.SINGLE : Gather.Kind.DENSE;
        }

        /** How the rows are gathered: sparse when any block is, else dense in the blocks' precision. */
        Gather.Kind kind() {
            return kind;
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
            switch (g.kind) {
                case SPARSE -> g.appendSparse(b, j);
                case SINGLE -> System.arraycopy(b.singleFeatures(), j * f, g.xSingle, col * f, f);
                case DENSE -> System.arraycopy(b.features(), j * f, g.x, col * f, f);
            }
            System.arraycopy(b.labels(), j * l, g.y, col * l, l);
            g.w[col] = b.weights() == null ? 1.0 : b.weights()[j];
        }
    }

    /**
     * Per-thread buffers that a mini-batch's rows are gathered into: features in double or, from float blocks, in float,
     * or as sparse rows (values in double: a float value widens exactly, and the float products round it back).
     */
    private static final class Gather {
        enum Kind { DENSE, SINGLE, SPARSE }

        private static final ThreadLocal<Gather> PER_THREAD = new ThreadLocal<>();
        final Kind kind;
        /** One of the three, by kind. */
        final double[] x;
        final float[] xSingle;
        final int[] starts;
        int[] indices;
        double[] values;
        int rowsGathered;
        final double[] y;
        final double[] w;
        final long[] keys;
        final int features;
        final int labels;
        final int chunk;

        private Gather(int features, int labels, int chunk, Kind kind) {
            this.features = features;
            this.labels = labels;
            this.chunk = chunk;
            this.kind = kind;
            x = kind == Kind.DENSE ? new double[features * chunk] : null;
            xSingle = kind == Kind.SINGLE ? new float[features * chunk] : null;
            starts = kind == Kind.SPARSE ? new int[chunk + 1] : null;
            indices = kind == Kind.SPARSE ? new int[1024] : null;
            values = kind == Kind.SPARSE ? new double[1024] : null;
            y = new double[labels * chunk];
            w = new double[chunk];
            keys = new long[chunk];
        }

        /** Marks the columns the first {@code cols} gathered rows have nonzeros in. */
        void markColumns(int cols, boolean[] touched) {
            switch (kind) {
                case SPARSE -> {
                    // A mini-batch's sparse rows are deferred as factors (see columnGradient), whose columns the driver
                    // marks; nothing is summed here for them.
                }
                case SINGLE -> {
                    for (int i = 0; i < cols * features; i++) if (xSingle[i] != 0) touched[i % features] = true;
                }
                case DENSE -> {
                    for (int i = 0; i < cols * features; i++) if (x[i] != 0) touched[i % features] = true;
                }
            }
        }

        /** Starts a new chunk (sparse rows are appended from the start). */
        void clear() {
            rowsGathered = 0;
        }

        /** Appends row j of block b (sparse, or dense by its nonzeros) as the next sparse row. */
        void appendSparse(Block b, int j) {
            int at = starts[rowsGathered];
            if (b.isSparse()) {
                io.sparkbackprop.nn.SparseRows r = b.sparseFeatures();
                int from = r.start(j);
                int n = r.start(j + 1) - from;
                ensure(at + n);
                for (int p = 0; p < n; p++) {
                    indices[at + p] = r.index(from + p);
                    values[at + p] = r.value(from + p);
                }
                at += n;
            } else {
                int f = b.numFeatures();
                ensure(at + f);
                for (int c = 0; c < f; c++) {
                    double v = b.single() ? b.singleFeatures()[j * f + c] : b.features()[j * f + c];
                    if (v != 0) {
                        indices[at] = c;
                        values[at++] = v;
                    }
                }
            }
            starts[++rowsGathered] = at;
        }

        private void ensure(int nonzeros) {
            if (nonzeros <= indices.length) return;
            int size = Math.max(nonzeros, 2 * indices.length);
            indices = java.util.Arrays.copyOf(indices, size);
            values = java.util.Arrays.copyOf(values, size);
        }

        /** The chunk's first {@code cols} gathered rows as the kernel reads them. */
        io.sparkbackprop.nn.Features features(int cols) {
            return switch (kind) {
                case SPARSE -> io.sparkbackprop.nn.SparseRows.prefix(features, cols, starts, indices, values);
                case SINGLE -> io.sparkbackprop.nn.Features.single(xSingle, 0, features, cols);
                case DENSE -> io.sparkbackprop.nn.Features.dense(x, 0, features, cols);
            };
        }

        static Gather forThread(int features, int labels, int chunk, Kind kind) {
            Gather g = PER_THREAD.get();
            if (g == null || g.features != features || g.labels != labels || g.chunk != chunk || g.kind != kind) {
                g = new Gather(features, labels, chunk, kind);
                PER_THREAD.set(g);
            }
            return g;
        }
    }
}
