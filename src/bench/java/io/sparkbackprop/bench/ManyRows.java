package io.sparkbackprop.bench;

import io.sparkbackprop.data.BlockStacker;
import io.sparkbackprop.data.Friedman1;
import io.sparkbackprop.train.BatchPlan;
import io.sparkbackprop.train.TrainingConfig;
import io.sparkbackprop.train.TrainingSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.RDDInfo;

/**
 * The rows section: what a mini-batch step costs on many cached rows against few, the same network, batch and
 * partitions. A step reads only its batch's rows from the cache (the epoch order is computed row by row, the
 * blocks are indexed), so its time should not grow with the rows behind it. Both sets are generated on the
 * executors and cached side by side; their runs take turns, each timed with the step clock of {@link Speedup}
 * and ended once it has its steps (an epoch of two million rows is some 2,000 steps).
 */
final class ManyRows {
    static final String SECTION = "rows";

    private ManyRows() {
    }

    static Figure run(JavaSparkContext sc, int partitions, BenchSettings s) {
        int timed = Math.max(10, Math.min(100, s.steps()));
        int warm = Math.max(5, timed / 10);
        TrainingSet few = cached(sc, s.fewRows(), partitions, s, "bench-rows-few");
        TrainingSet many = null;
        try {
            many = cached(sc, s.manyRows(), partitions, s, "bench-rows-many");
            List<Double> fewMs = new ArrayList<>();
            List<Double> manyMs = new ArrayList<>();
            for (int r = 0; r < s.repeats(); r++) {
                fewMs.add(1e3 * stepSeconds(sc, few, warm, timed, s));
                manyMs.add(1e3 * stepSeconds(sc, many, warm, timed, s));
            }
            String metric = String.format(Locale.ROOT, "ms per mini-batch step: %,d vs %,d cached rows", s.manyRows(), s.fewRows());
            String scaled = s.manyRows() == BenchSettings.DEFAULT_MANY_ROWS && s.fewRows() == BenchSettings.DEFAULT_FEW_ROWS ? ""
                    : String.format(Locale.ROOT, "; scaled down (--quick) from the default %,d vs %,d rows", BenchSettings.DEFAULT_MANY_ROWS,
                    BenchSettings.DEFAULT_FEW_ROWS);
            Figure f = Figure.of(SECTION, "rows.two-million", metric, "ms", StepOverhead.median(manyMs), StepOverhead.median(fewMs),
                    s.target("rows.two-million"), String.format(Locale.ROOT, "median interval between consecutive steps' ends"
                            + " (TrainingListener.onStep) over %d steps after %d warm-up steps, medians of %d turns, the two sets taking"
                            + " turns; Adam, batch %d, %s, on Friedman #1 rows generated on the executors and cached in %d partitions"
                            + " (%s vs %s)%s", timed, warm, s.repeats(), ManyPartitions.BATCH, ManyPartitions.NETWORK, partitions,
                            storage(sc, many), storage(sc, few), scaled));
            if (f.verdict() == Figure.Verdict.MISS) {
                f = f.withNote("a step should cost what its batch does: something reads more than the batch's rows (a scan of the"
                        + " partition's blocks or of its epoch order), or the cache spilled to disk (more executor memory)");
            }
            return f;
        } finally {
            few.unpersist();
            if (many != null) many.unpersist();
        }
    }

    private static TrainingSet cached(JavaSparkContext sc, int rows, int partitions, BenchSettings s, String name) {
        return TrainingSet.cache(Friedman1.generate(sc, rows, partitions, s.seed(), BlockStacker.DEFAULT_CAPACITY), name);
    }

    /** Median step of one run: enough epochs for warm + timed steps, ended by the clock once it has them. */
    private static double stepSeconds(JavaSparkContext sc, TrainingSet data, int warm, int timed, BenchSettings s) {
        int steps = warm + timed;
        int perEpoch = BatchPlan.of(data.rows(), ManyPartitions.BATCH).stepsPerEpoch();
        TrainingConfig config = ManyPartitions.miniBatchAdam(s, (steps + perEpoch - 1) / perEpoch);
        return Speedup.medianStepSeconds(sc, data, ManyPartitions.NETWORK, config, warm, steps);
    }

    /** Spark's storage size of the cached set: in memory, and on disk when it spilled. */
    private static String storage(JavaSparkContext sc, TrainingSet set) {
        for (RDDInfo info : sc.sc().getRDDStorageInfo()) {
            if (info.id() != set.blocks().id()) continue;
            String memory = String.format(Locale.ROOT, "%.0f MB cached", info.memSize() / 1e6);
            return info.diskSize() > 0 ? memory + String.format(Locale.ROOT, ", %.0f MB spilled to disk", info.diskSize() / 1e6) : memory;
        }
        return "not cached";
    }
}
