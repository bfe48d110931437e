package io.sparkbackprop.train;

import io.sparkbackprop.nn.Topology;

/**
 * What a run's weights cost the driver: the driver holds the whole network however sparse its input. In units of the
 * weights' size (8 bytes a parameter): the weights, the optimizer's slots, the step's summed gradient and its mean,
 * the broadcast of the weights (the driver's block manager keeps the value and its serialized pieces) and, for a lazy
 * sparse run ({@link SparseSteps}), the patches since the last full copy (under one more copy, in both forms). In
 * local mode the executors live in the driver's JVM, and each task slot adds one gradient buffer. Checked before any
 * row is read (without the patches, which only sparse input brings), and again with them once the data says the run
 * is a lazy sparse one.
 * <p>
 * A 2^18-input first layer of width 64 with Adam (16.8 million weights, 134 MB a copy) needs 5 + 2 + 2 = 9 copies,
 * 1.21 GB, and in {@code local[2]} two more.
 */
final class DriverMemory {
    /** Copies of the weights beside the optimizer's slots: weights, gradient sum, mean, broadcast value and pieces. */
    static final int COPIES = 5;
    /** A lazy sparse run's patches since the last full copy: under one copy, kept as value and pieces. */
    static final int PATCHES = 2;

    private DriverMemory() {
    }

    /** Bytes the driver needs for {@code t} trained with {@code optimizer}; {@code taskSlots} task buffers when executors share its JVM. */
    static long bytes(Topology t, OptimizerKind optimizer, int taskSlots, boolean patches) {
        return 8L * t.numParams() * copies(optimizer, taskSlots, patches);
    }

    private static int copies(OptimizerKind optimizer, int taskSlots, boolean patches) {
        return COPIES + optimizer.slots() + (patches ? PATCHES : 0) + taskSlots;
    }

    /**
     * Refuses a network that cannot fit in {@code maxHeap} bytes, with the numbers and what to change; {@code local}
     * when the executors run in this JVM (their {@code taskSlots} gradient buffers count too).
     */
    static void check(Topology t, OptimizerKind optimizer, boolean local, int taskSlots, boolean patches, long maxHeap) {
        int slots = local ? taskSlots : 0;
        long need = bytes(t, optimizer, slots, patches);
        if (need <= maxHeap) return;
        throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "a %s network has %,d weights (%.0f MB a copy); "
                + "training it with %s needs about %.0f MB of driver heap (%d copies%s%s), but the driver has %.0f MB: give the driver "
                + "more memory (spark-submit --driver-memory, spark.driver.memory), fewer input features (HashingTF's numFeatures), a "
                + "narrower first layer, or an optimizer with fewer slots (sgd has none, adam two)", t, (long) t.numParams(),
                t.numParams() * 8 / 1e6, optimizer.id(), need / 1e6, copies(optimizer, slots, patches),
                patches ? ", 2 for sparse steps' patches" : "", local ? ", " + taskSlots + " for the local executor's task buffers" : "",
                maxHeap / 1e6));
    }
}
