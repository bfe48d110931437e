package io.sparkbackprop.bench;

import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.train.Trainer;
import io.sparkbackprop.train.TrainingConfig;
import io.sparkbackprop.train.TrainingListener;
import io.sparkbackprop.train.TrainingSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * What a step costs beyond its arithmetic. Training at batch 1 (one row a step: nothing left but
 * overhead) on a set of exactly {@code steps} rows, so one epoch is the run; each step's time is the
 * interval between consecutive step callbacks (broadcast, job, update). The floor is the step as Spark's own
 * API writes it (MLlib's optimizers do): a job that broadcasts a vector of the weights' size, lets every partition
 * return one of that size and sums them with treeAggregate, and destroys the broadcast. Ours can go below it: at
 * depth 1 our steps skip treeAggregate's closure cleaning (see the library's StepRunner).
 * Medians, because a shared machine adds long outliers. The same run samples driver and executor heap
 * after GC at a tenth of the steps and after the last: state left behind by steps would show as growth.
 */
final class StepOverhead {
    private StepOverhead() {
    }

    record Memory(long heapEarly, long heapLate, Map<String, Long> executorsEarly, Map<String, Long> executorsLate,
                  int broadcastsEarly, int broadcastsLate, int earlyStep, int lateStep) {
    }

    record Result(double oursMedianMs, double floorMedianMs, int steps, int floorJobs, Memory memory) {
    }

    static Result run(JavaSparkContext sc, TrainingSet small, Topology t, BenchSettings s) {
        int steps = (int) small.rows();
        int floorJobs = Math.max(10, Math.min(steps, 200));
        List<Double> floor = new ArrayList<>();
        floor.addAll(floorMillis(sc, small.blocks(), t.numParams(), 2, floorJobs / 2));

        int early = Math.max(2, steps / 10);
        StepClock clock = new StepClock(steps, early, small);
        new Trainer(sc, batchOne(s)).fit(t, Initializer.XAVIER.initialize(t, s.seed()), small, null, clock);
        // Spark removes the task binaries' broadcasts asynchronously, after a GC (its ContextCleaner): give it a
        // few seconds before counting what is left for good.
        long heapLate = HeapProbe.usedHeapAfterGc();
        for (int i = 0; i < 20 && HeapProbe.liveBroadcastBlocks() > clock.broadcastsEarly + 10; i++) {
            sleep(250);
            heapLate = HeapProbe.usedHeapAfterGc();
        }
        Memory memory = new Memory(clock.heapEarly, heapLate, clock.executorsEarly, HeapProbe.executors(small.blocks()),
                clock.broadcastsEarly, HeapProbe.liveBroadcastBlocks(), early, steps);
        floor.addAll(floorMillis(sc, small.blocks(), t.numParams(), 2, floorJobs - floorJobs / 2));

        // The first tenth warms up the JIT and Spark's caches; the interval ending at the sampled step is left out.
        List<Double> ours = new ArrayList<>();
        for (int i = early + 1; i < clock.seen; i++) ours.add((clock.stamps[i] - clock.stamps[i - 1]) / 1e6);
        return new Result(median(ours), median(floor), steps, floor.size(), memory);
    }

    /** One epoch of batch-1 steps (one row a step: nothing but the step's overhead), also the levers' small steps. */
    static TrainingConfig batchOne(BenchSettings s) {
        return TrainingConfig.defaults().withEpochs(1).withBatchSize(1).withLearningRate(1e-4).withSeed(s.seed())
                .withEvalEvery(Integer.MAX_VALUE);
    }

    /** The time of every step's end, and the memory sampled once the warm-up steps are done. */
    private static final class StepClock implements TrainingListener {
        final long[] stamps;
        final int early;
        final TrainingSet data;
        int seen;
        long heapEarly;
        Map<String, Long> executorsEarly = Map.of();
        int broadcastsEarly;

        StepClock(int steps, int early, TrainingSet data) {
            this.stamps = new long[steps];
            this.early = early;
            this.data = data;
        }

        @Override
        public void onStep(int epoch, int step, double lossSum, double rows) {
            int i = seen++;
            if (i + 1 == early) {
                heapEarly = HeapProbe.usedHeapAfterGc();
                executorsEarly = HeapProbe.executors(data.blocks());
                broadcastsEarly = HeapProbe.liveBroadcastBlocks();
            }
            // Stamped after the sampling so that its GC pauses stay out of the next interval.
            if (i < stamps.length) stamps[i] = System.nanoTime();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Wall milliseconds of each of {@code jobs} empty steps over {@code rdd}'s partitions. */
    static List<Double> floorMillis(JavaSparkContext sc, JavaRDD<?> rdd, int numParams, int depth, int jobs) {
        double[] w = new double[numParams];
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            long t0 = System.nanoTime();
            // The trainer broadcasts a copy, so the floor copies too.
            Broadcast<double[]> bw = sc.broadcast(w.clone());
            try {
                // An empty zero: a full-size one would travel inside every task.
                rdd.mapPartitions(it -> List.of(new double[bw.value().length + 2]).iterator())
                        .treeAggregate(new double[0], StepOverhead::add, StepOverhead::add, depth);
            } finally {
                bw.destroy();
            }
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        return ms;
    }

    private static double[] add(double[] a, double[] b) {
        if (a.length == 0) return b;
        if (b.length == 0) return a;
        for (int i = 0; i < a.length; i++) a[i] += b[i];
        return a;
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) return Double.NaN;
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
