package io.sparkbackprop.bench;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.train.OptimizerKind;
import io.sparkbackprop.train.Trainer;
import io.sparkbackprop.train.TrainingConfig;
import io.sparkbackprop.train.TrainingListener;
import io.sparkbackprop.train.TrainingSet;
import io.sparkbackprop.train.TrainingState;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Wall-clock to a test accuracy, each system with its best settings: ours mini-batch Adam with relu
 * hidden units, synchronous and with local steps (K steps per Spark job, models averaged), MLlib l-bfgs (its fastest solver; sigmoid hidden units, its only kind). Both clocks start
 * from the cached DataFrame: ours includes building and caching its blocks, as MLlib's fit stacks and
 * caches its own. Evaluations are not timed.
 * <p>
 * Ours is checked after every epoch. MLlib has no per-iteration hook, so it is fitted from scratch with a
 * growing maxIter (l-bfgs is deterministic: a fit of k iterations is the first k of a longer one), then
 * the bracket is bisected twice; its time lies between the fit that first reaches the target and the
 * largest one that does not, and the ratio is taken against that lower bound so that it never flatters ours.
 */
final class AccuracyRace {
    private AccuracyRace() {
    }

    /**
     * Seconds NaN when the target was never reached; then {@code bestAccuracy} and {@code spentSeconds} tell what was.
     * For MLlib, {@code reachedAt} is the smallest maxIter seen reaching the target and {@code lastChecked} the largest
     * seen not reaching it, {@code lowerBoundSeconds} that fit's time.
     */
    record Run(double seconds, double lowerBoundSeconds, int reachedAt, double bestAccuracy, int lastChecked, double spentSeconds) {
        boolean reached() {
            return !Double.isNaN(seconds);
        }
    }

    /** @param local ours with --local-steps K (several steps per Spark job, models averaged) */
    record Result(Run ours, Run local, Run mllib) {
    }

    static Result run(JavaSparkContext sc, BenchData data, TrainingSet testSet, BenchSettings s) {
        // Untimed, one epoch of each of our runners first: the JIT has then compiled both paths, as MLlib's is warm by its
        // decisive fits (the bisection's earlier fits warm it), and as ours is when the mllib section ran before.
        ours(sc, data.train(), testSet, s, s.batchSize(), s.learningRate(), 1, 1);
        ours(sc, data.train(), testSet, s, s.localBatchSize(), s.localLearningRate(), s.localSteps(), 1);
        Run ours = ours(sc, data.train(), testSet, s, s.batchSize(), s.learningRate(), 1, s.maxEpochs());
        Run local = ours(sc, data.train(), testSet, s, s.localBatchSize(), s.localLearningRate(), s.localSteps(), s.maxEpochs());
        return new Result(ours, local, mllib(data, s));
    }

    /** Our Adam, synchronous (localSteps 1) or with local steps, under the same clock rules. */
    static Run ours(JavaSparkContext sc, Dataset<Row> trainFrame, TrainingSet testSet, BenchSettings s, int batchSize,
                    double learningRate, int localSteps, int epochs) {
        Topology t = Topology.of(MnistFiles.PIXELS, s.hidden(), Activation.RELU, MnistFiles.CLASSES, Loss.CROSS_ENTROPY);
        TrainingConfig config = TrainingConfig.defaults().withEpochs(epochs).withBatchSize(batchSize)
                .withOptimizer(OptimizerKind.ADAM).withLearningRate(learningRate).withSeed(s.seed())
                .withEvalEvery(Integer.MAX_VALUE).withLocalSteps(localSteps);
        double[] w0 = Initializer.HE.initialize(t, s.seed());
        long[] untimed = {0};
        // seconds to the target, best accuracy, last epoch checked, epoch that reached the target
        double[] found = {Double.NaN, 0, -1, -1};
        long t0 = System.nanoTime();
        TrainingSet train = BenchData.cachedBlocks(trainFrame, "race-train");
        TrainingListener check = new TrainingListener() {
            @Override
            public void afterEpoch(int epoch, Supplier<TrainingState> state) {
                long e0 = System.nanoTime();
                double elapsed = (e0 - t0 - untimed[0]) / 1e9;
                double acc = Accuracy.of(sc, testSet, t, state.get().weights(), 512);
                untimed[0] += System.nanoTime() - e0;
                found[1] = Math.max(found[1], acc);
                found[2] = epoch;
                if (acc >= s.targetAccuracy() && Double.isNaN(found[0])) {
                    found[0] = elapsed;
                    found[3] = epoch;
                }
            }

            /** Reached: the trainer ends the run after this epoch. */
            @Override
            public boolean stopRequested() {
                return !Double.isNaN(found[0]);
            }
        };
        try {
            new Trainer(sc, config).fit(t, w0, train, null, check);
        } finally {
            train.unpersist();
        }
        double spent = (System.nanoTime() - t0 - untimed[0]) / 1e9;
        return new Run(found[0], found[0], (int) found[3], found[1], (int) found[2], spent);
    }

    /** maxIter values tried: about ×1.5 apart, so the bracket is tight and the repeated fits cost about 3× the last. */
    static List<Integer> schedule(int cap) {
        List<Integer> ks = new ArrayList<>();
        for (double k = 5; k < cap; k *= 1.5) {
            int v = (int) Math.round(k);
            if (ks.isEmpty() || v > ks.get(ks.size() - 1)) ks.add(v);
        }
        ks.add(cap);
        return ks;
    }

    static Run mllib(BenchData data, BenchSettings s) {
        double previous = Double.NaN;
        int previousK = 0;
        double best = 0;
        double spent = 0;
        int last = 0;
        for (int k : schedule(s.mllibMaxIter())) {
            Fit fit = fit(data, s, k);
            spent = fit.seconds;
            last = k;
            best = Math.max(best, fit.accuracy);
            if (fit.accuracy >= s.targetAccuracy()) {
                if (Double.isNaN(previous)) return new Run(fit.seconds, fit.seconds, k, best, 0, fit.seconds);
                // Two bisections of the bracket (previousK, k]: its width drops from ×1.5 to about ×1.1.
                int lo = previousK;
                int hi = k;
                double loSeconds = previous;
                double hiSeconds = fit.seconds;
                for (int i = 0; i < 2 && hi - lo > 1; i++) {
                    int mid = (lo + hi) / 2;
                    Fit m = fit(data, s, mid);
                    best = Math.max(best, m.accuracy);
                    if (m.accuracy >= s.targetAccuracy()) {
                        hi = mid;
                        hiSeconds = m.seconds;
                    } else {
                        lo = mid;
                        loSeconds = m.seconds;
                    }
                }
                return new Run(hiSeconds, loSeconds, hi, best, lo, hiSeconds);
            }
            // Converged (by its tol) before using all k iterations: more iterations would change nothing.
            if (fit.iterations < k) break;
            previous = fit.seconds;
            previousK = k;
        }
        return new Run(Double.NaN, Double.NaN, -1, best, last, spent);
    }

    private record Fit(double seconds, double accuracy, int iterations) {
    }

    private static Fit fit(BenchData data, BenchSettings s, int maxIter) {
        MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier().setLayers(s.layerSizes())
                .setBlockSize(s.chunkSize()).setSolver("l-bfgs").setMaxIter(maxIter).setSeed(s.seed());
        long t0 = System.nanoTime();
        MultilayerPerceptronClassificationModel model = mlp.fit(data.train());
        double seconds = (System.nanoTime() - t0) / 1e9;
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(data.test()));
        return new Fit(seconds, accuracy, model.summary().totalIterations());
    }
}
