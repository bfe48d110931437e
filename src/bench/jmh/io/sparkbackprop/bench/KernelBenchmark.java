package io.sparkbackprop.bench;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Backprop;
import io.sparkbackprop.nn.Precision;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.nn.Workspace;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The forward/backward kernel on one chunk of rows, in one thread, without Spark: {@code gradient}
 * (forward and backward, what a training task runs), {@code forward} (the loss alone, what evaluation
 * runs) and {@code gemmsAlone} (only the kernel's products, same shapes: the BLAS ceiling); {@code floatGradient}
 * is the same pass with {@code --precision float}'s kernel ({@link Backprop} with {@link Precision#FLOAT}: weights converted once, as a
 * task does per step) and {@code featuresToFloat} its conversion of one chunk's features alone. Besides
 * calls per second, each reports {@code flops} per second (2·m·n·k per product, {@link FlopCount}), so
 * gradient's flops rate over gemmsAlone's is the kernel's share of the BLAS rate, as in {@code bench}.
 * Run with {@code mvn -B -Pjmh -DskipTests test} (see pom.xml).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class KernelBenchmark {
    @Param({"128", "512"})
    int rows;

    @Param({"128"})
    int hidden;

    /**
     * Distinct chunks of features the gradient benchmarks cycle through: 1 keeps the chunk in cache; 64 (50 MB at
     * 128 rows) streams every chunk from memory as a task over its cached blocks does.
     */
    @Param({"1"})
    int chunks;

    private int nextChunk;

    private Topology topology;
    private double[] weights;
    private double[] x;
    private double[] y;
    private double[] grad;
    private Workspace workspace;
    private Backprop doubleKernel;
    private Backprop floatKernel;
    private float[] xFloat;
    private GemmProbe.Operands gemms;
    private GemmProbe.Operands sgemms;
    private long gradientFlops;
    private long forwardFlops;

    /** FLOPs done, reported by JMH as a rate beside the calls. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public long flops;

        @Setup(Level.Iteration)
        public void clear() {
            flops = 0;
        }
    }

    @Setup
    public void setUp() {
        topology = Topology.of(784, new int[] {hidden}, Activation.SIGMOID, 10, Loss.CROSS_ENTROPY);
        weights = Initializer.XAVIER.initialize(topology, 1);
        SplittableRandom rng = new SplittableRandom(2);
        x = new double[784 * rows * chunks];
        for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble();
        y = new double[rows];
        for (int j = 0; j < rows; j++) y[j] = rng.nextInt(10);
        grad = new double[topology.numParams()];
        workspace = new Workspace(topology, rows);
        doubleKernel = new Backprop(weights, workspace);
        floatKernel = new Backprop(weights, workspace, Precision.FLOAT);
        xFloat = new float[784 * rows];
        gemms = new GemmProbe.Operands(FlopCount.gradientGemms(topology, rows), 3, dev.ludovic.netlib.blas.BLAS.getInstance(),
                io.sparkbackprop.nn.Precision.DOUBLE);
        sgemms = new GemmProbe.Operands(FlopCount.gradientGemms(topology, rows), 3, dev.ludovic.netlib.blas.BLAS.getInstance(),
                io.sparkbackprop.nn.Precision.FLOAT);
        gradientFlops = FlopCount.gradientPerRow(topology) * rows;
        forwardFlops = FlopCount.forwardPerRow(topology) * rows;
    }

    /**
     * Accumulates into the same buffer call after call, as a task does over its chunks: zeroing 101,770 doubles
     * per chunk would time a memset the task pays once per step.
     */
    @Benchmark
    public double gradient(Flops counter) {
        counter.flops += gradientFlops;
        return doubleKernel.accumulateGradient(x, chunkOffset(), y, 0, rows, grad);
    }

    @Benchmark
    public double floatGradient(Flops counter) {
        counter.flops += gradientFlops;
        return floatKernel.accumulateGradient(x, chunkOffset(), y, 0, null, 0, rows, grad, null);
    }

    /** What the float kernel pays per chunk before its first product: the features narrowed to float. */
    @Benchmark
    public float[] featuresToFloat() {
        int off = chunkOffset();
        for (int i = 0; i < xFloat.length; i++) xFloat[i] = (float) x[off + i];
        return xFloat;
    }

    private int chunkOffset() {
        nextChunk = nextChunk + 1 == chunks ? 0 : nextChunk + 1;
        return nextChunk * 784 * rows;
    }

    @Benchmark
    public double forward(Flops counter) {
        counter.flops += forwardFlops;
        return doubleKernel.loss(x, 0, y, 0, rows);
    }

    @Benchmark
    public void gemmsAlone(Flops counter) {
        counter.flops += gradientFlops;
        gemms.round();
    }

    /** The float kernel's products alone: its ceiling. */
    @Benchmark
    public void sgemmsAlone(Flops counter) {
        counter.flops += gradientFlops;
        sgemms.round();
    }
}
