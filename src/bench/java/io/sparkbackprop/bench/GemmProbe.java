package io.sparkbackprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import io.sparkbackprop.nn.Precision;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The BLAS's own dgemm (or, for the float kernel, sgemm) rate on exactly the products the kernel runs (shapes,
 * transposes, beta), nothing else around them: the ceiling the kernel's rate is compared with. It runs as one task per core on the
 * executors, all at once, because that is how the training tasks run (two cores share caches and memory
 * bandwidth), and counts thread CPU time as the kernel's figure does.
 */
final class GemmProbe {
    private GemmProbe() {
    }

    /** Summed over the tasks. */
    record Result(long flops, double cpuSeconds, double wallSeconds, int tasks) {
        double gflopsPerCpuSecond() {
            return flops / cpuSeconds / 1e9;
        }
    }

    static Result run(JavaSparkContext sc, List<FlopCount.Gemm> gemms, int tasks, double seconds, Precision precision) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < tasks; i++) ids.add(i);
        List<double[]> parts = sc.parallelize(ids, tasks)
                .map(i -> timeOnThisThread(gemms, seconds, i, BLAS.getInstance(), precision)).collect();
        long flops = 0;
        double cpu = 0;
        double wall = 0;
        for (double[] p : parts) {
            flops += (long) p[0];
            cpu += p[1];
            wall += p[2];
        }
        return new Result(flops, cpu, wall, tasks);
    }

    /**
     * {flops, cpu seconds, wall seconds} of running the sequence of products for about {@code seconds} on a given
     * BLAS (the levers section compares native with the Java fallback), in double or single precision.
     */
    static double[] timeOnThisThread(List<FlopCount.Gemm> gemms, double seconds, long seed, BLAS blas, Precision precision) {
        Operands ops = new Operands(gemms, seed, blas, precision);
        // One untimed round: first calls load and JIT-compile the BLAS path.
        ops.round();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long rounds = 0;
        long limit = (long) (seconds * 1e9);
        do {
            ops.round();
            rounds++;
        } while (System.nanoTime() - wall0 < limit);
        long wall = System.nanoTime() - wall0;
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        return new double[] {rounds * ops.flopsPerRound(), cpu / 1e9, wall / 1e9};
    }

    /** At most this long a Java BLAS is warmed up before it is timed; a native BLAS needs one round. */
    static final double MAX_WARM_UP_SECONDS = 4.0;

    /** GFLOP/s per CPU second of two BLAS on the same products, and how long each was warmed up first. */
    record Versus(double oursGflops, double baselineGflops, double oursWarmUpSeconds, double baselineWarmUpSeconds) {
    }

    /**
     * Medians of two BLAS on the same products in this thread: each warmed up ({@link #warmUp}), then {@code turns}
     * turns of {@code seconds} each, taking turns.
     */
    static Versus versus(List<FlopCount.Gemm> gemms, BLAS ours, BLAS baseline, double seconds, int turns) {
        double oursWarm = warmUp(gemms, ours);
        double baselineWarm = warmUp(gemms, baseline);
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        for (int r = 0; r < turns; r++) {
            a.add(gflopsPerCpuSecond(timeOnThisThread(gemms, seconds, r, ours, Precision.DOUBLE)));
            b.add(gflopsPerCpuSecond(timeOnThisThread(gemms, seconds, r, baseline, Precision.DOUBLE)));
        }
        return new Versus(StepOverhead.median(a), StepOverhead.median(b), oursWarm, baselineWarm);
    }

    /**
     * Runs the products until the JIT has compiled nothing for three rounds of 0.1 s in a row (at most
     * {@link #MAX_WARM_UP_SECONDS}), and returns the seconds it took. A Java BLAS is compiled while it runs, in tiers:
     * VectorBLAS plateaued at half its rate on the way and reached it after some 1.4 s alone, later in a driver whose
     * compiler threads are busy with Spark. A native BLAS needs one round.
     */
    static double warmUp(List<FlopCount.Gemm> gemms, BLAS blas) {
        long t0 = System.nanoTime();
        if (blas instanceof NativeBLAS) {
            timeOnThisThread(gemms, 0.05, -1, blas, Precision.DOUBLE);
            return (System.nanoTime() - t0) / 1e9;
        }
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean watched = jit != null && jit.isCompilationTimeMonitoringSupported();
        long compiled = watched ? jit.getTotalCompilationTime() : 0;
        int quiet = 0;
        while (quiet < 3 && System.nanoTime() - t0 < MAX_WARM_UP_SECONDS * 1e9) {
            timeOnThisThread(gemms, 0.1, -1, blas, Precision.DOUBLE);
            if (!watched) continue; // no signal: warm up for the longest
            long now = jit.getTotalCompilationTime();
            quiet = now == compiled ? quiet + 1 : 0;
            compiled = now;
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** "0.05 s and 1.9 s, the latter until the JIT was quiet": for the figures' notes. */
    static String warmUpStory(Versus v) {
        return String.format(java.util.Locale.ROOT, "%.2f s and %.1f s, a Java BLAS until the JIT has been quiet for 0.3 s, at most %.0f s",
                v.oursWarmUpSeconds(), v.baselineWarmUpSeconds(), MAX_WARM_UP_SECONDS);
    }

    private static double gflopsPerCpuSecond(double[] flopsCpuWall) {
        return flopsCpuWall[0] / flopsCpuWall[1] / 1e9;
    }

    /** Random matrices of the products' shapes, and one call of each product per {@link #round()}. */
    static final class Operands {
        private final BLAS blas;
        private final List<FlopCount.Gemm> gemms;
        private final double[][] a;
        private final double[][] b;
        private final double[][] c;
        /** The same matrices in single precision, for sgemm; null in double. */
        private final float[][] af;
        private final float[][] bf;
        private final float[][] cf;

        Operands(List<FlopCount.Gemm> gemms, long seed, BLAS blas, Precision precision) {
            this.blas = blas;
            this.gemms = List.copyOf(gemms);
            SplittableRandom rng = new SplittableRandom(seed);
            int n = gemms.size();
            a = new double[n][];
            b = new double[n][];
            c = new double[n][];
            for (int i = 0; i < n; i++) {
                FlopCount.Gemm g = gemms.get(i);
                a[i] = random(rng, g.m() * g.k());
                b[i] = random(rng, g.k() * g.n());
                c[i] = new double[g.m() * g.n()];
            }
            boolean single = precision == Precision.FLOAT;
            af = single ? toFloat(a) : null;
            bf = single ? toFloat(b) : null;
            cf = single ? toFloat(c) : null;
        }

        private static float[][] toFloat(double[][] m) {
            float[][] f = new float[m.length][];
            for (int i = 0; i < m.length; i++) {
                f[i] = new float[m[i].length];
                for (int j = 0; j < m[i].length; j++) f[i][j] = (float) m[i][j];
            }
            return f;
        }

        long flopsPerRound() {
            return gemms.stream().mapToLong(FlopCount.Gemm::flops).sum();
        }

        void round() {
            for (int i = 0; i < gemms.size(); i++) {
                FlopCount.Gemm g = gemms.get(i);
                int lda = g.transA().equals("N") ? g.m() : g.k();
                int ldb = g.transB().equals("N") ? g.k() : g.n();
                if (af == null) {
                    blas.dgemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), 1.0, a[i], lda, b[i], ldb, g.beta(), c[i], g.m());
                } else {
                    blas.sgemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), 1f, af[i], lda, bf[i], ldb, (float) g.beta(), cf[i], g.m());
                }
            }
            // beta = 1 accumulates; keep C bounded so that no round runs on huge numbers.
            for (double[] ci : c) {
                if (Math.abs(ci[0]) > 1e6) java.util.Arrays.fill(ci, 0.0);
            }
            if (cf != null) {
                for (float[] ci : cf) {
                    if (Math.abs(ci[0]) > 1e6f) java.util.Arrays.fill(ci, 0f);
                }
            }
        }
    }

    private static double[] random(SplittableRandom rng, int len) {
        double[] v = new double[len];
        for (int i = 0; i < len; i++) v[i] = rng.nextDouble(-1, 1);
        return v;
    }
}
