package io.sparkbackprop.bench;

import io.sparkbackprop.ml.NeuralNetClassificationModel;
import io.sparkbackprop.ml.NeuralNetClassifier;
import io.sparkbackprop.io.EpochRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Sparse input: mini-batch steps over generated sparse rows (a hashed text's shape: 2^13 features, 32 nonzeros a
 * row) stored as compressed rows with lazy updates (the defaults), against the same rows densified with exact updates
 * (every weight broadcast and every gradient summed dense each step: what training on sparse vectors cost before).
 * Steps per second over the last two of six epochs (the first ones warm the JIT), and the bytes of task results per step measured by a
 * listener; the weights shipped to the executors per step are the dense run's one full broadcast against the sparse
 * run's patch of the columns the step touched (README, Sparse input).
 */
final class Sparse {
    static final String SECTION = "sparse";
    static final int WIDTH = 1 << 13;
    static final int NONZEROS = 32;
    /** Epochs per run; the steps/s are those of the last two (the first ones warm the JIT up). */
    static final int EPOCHS = 6;

    private Sparse() {
    }

    static List<Figure> run(SparkSession spark, JavaSparkContext sc, int partitions, BenchSettings s) {
        int rows = Math.min(4096, s.scoringRows());
        Dataset<Row> data = rows(spark, rows, partitions, s.seed()).cache();
        List<Figure> figures = new ArrayList<>();
        try {
            data.count();
            double[] sparse = stepsPerSecond(sc, data, "auto", "lazy", s);
            double[] dense = stepsPerSecond(sc, data, "dense", "exact", s);
            String how = String.format(Locale.ROOT, "%,d generated rows of %,d features, %d nonzeros each, %d partitions; %d-64-64-2 relu,"
                    + " Adam, batch 256; steps/s of the last 2 of %d epochs", rows, WIDTH, NONZEROS, partitions, WIDTH, EPOCHS);
            figures.add(Figure.of(SECTION, "sparse.steps", "steps/s: sparse rows, lazy updates vs the rows densified, exact updates", "steps/s",
                    sparse[0], dense[0], s.target("sparse.steps"), how));
            figures.add(Figure.of(SECTION, "sparse.result-bytes", "task result bytes per step: sparse (factors) vs densified (dense gradient)",
                    "bytes", sparse[1], dense[1], s.target("sparse.result-bytes"), how + "; from the tasks' resultSize metrics"));
        } finally {
            data.unpersist();
        }
        return figures;
    }

    /** {steps/s over the last two epochs, task result bytes per step}. */
    private static double[] stepsPerSecond(JavaSparkContext sc, Dataset<Row> data, String storage, String updates, BenchSettings s) {
        AtomicLong resultBytes = new AtomicLong();
        AtomicLong tasks = new AtomicLong();
        SparkListener listener = new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) resultBytes.addAndGet(end.taskMetrics().resultSize());
                tasks.incrementAndGet();
            }
        };
        NeuralNetClassifier c = new NeuralNetClassifier().setSeed(s.seed()).setMaxIter(EPOCHS).setBatchSize(256);
        c.set(c.featureStorage(), storage);
        c.set(c.sparseUpdates(), updates);
        sc.sc().addSparkListener(listener);
        NeuralNetClassificationModel model;
        try {
            model = c.fit(data);
        } finally {
            sc.sc().removeSparkListener(listener);
        }
        List<EpochRecord> history = model.summary().history();
        long steps = model.summary().totalSteps();
        double seconds = history.get(EPOCHS - 1).seconds() - history.get(EPOCHS - 3).seconds();
        return new double[] {(2.0 * steps / EPOCHS) / seconds, resultBytes.get() / (double) steps};
    }

    private static Dataset<Row> rows(SparkSession spark, int n, int partitions, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TreeMap<Integer, Double> nz = new TreeMap<>();
            // Zipf-like: low indices (common tokens) far more often than high ones.
            while (nz.size() < NONZEROS) nz.merge((int) Math.min(WIDTH - 1, Math.floor(Math.pow(WIDTH, rng.nextDouble()))) , 1.0, Double::sum);
            double score = 0;
            for (var e : nz.entrySet()) score += (e.getKey() % 2 == 0 ? 1 : -1) * e.getValue();
            out.add(RowFactory.create(Vectors.sparse(WIDTH, nz.keySet().stream().mapToInt(Integer::intValue).toArray(),
                    nz.values().stream().mapToDouble(Double::doubleValue).toArray()), score > 0 ? 1.0 : 0.0));
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
        return spark.createDataFrame(out, schema).repartition(partitions);
    }
}
