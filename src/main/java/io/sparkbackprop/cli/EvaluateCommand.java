package io.sparkbackprop.cli;

import io.sparkbackprop.data.DataFormat;
import io.sparkbackprop.data.LabeledData;
import io.sparkbackprop.io.ModelJson;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.scoring.FeatureReader;
import io.sparkbackprop.scoring.ScoredChunks;
import io.sparkbackprop.scoring.VectorColumn;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate}: a trained model's quality on a labelled file. Regression: MSE, RMSE, MAE and R² in label
 * units. Classification: accuracy, F1 (per class, and their mean weighted by each class's true rows, as Spark's
 * evaluator reports it), log-loss (probabilities clipped to [1e-15, 1]) and the confusion matrix.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print a model's metrics on a labelled data file: MSE/RMSE/MAE/R², or accuracy/F1/log-loss and a confusion matrix.")
public final class EvaluateCommand implements Callable<Integer> {
    /** Smallest probability log-loss takes the logarithm of. */
    static final double EPS = 1e-15;

    @Spec
    CommandSpec spec;

    @Mixin
    SparkMasterOption master = new SparkMasterOption();

    @Option(names = "--model", required = true, description = "A train run's --output directory, or a model.json.")
    Path model;

    @Option(names = "--data", required = true, description = "Labelled data in a format train reads (CSV, LIBSVM, Parquet).")
    String data;

    @Option(names = "--format", description = "csv, libsvm or parquet, when the file name does not tell.")
    String format;

    @Option(names = "--label", description = "Label column of a CSV or Parquet file. Default: the last CSV column; 'label' in Parquet.")
    String label;

    @Override
    public Integer call() throws Exception {
        ModelJson.Saved saved = ModelFiles.readSaved(model);
        Network net = saved.network();
        Topology t = net.topology();
        if (t.loss() != Loss.CROSS_ENTROPY && t.outputSize() != 1) {
            throw new IllegalArgumentException("evaluate reads one label per row, but this model has " + t.outputSize() + " outputs");
        }
        SparkSession spark = SparkSession.builder().config(master.conf("spark-backprop evaluate")).getOrCreate();
        try {
            // A model that knows its columns reads them by name (and its label, unless --label names another).
            LabeledData d = Inputs.readFor(saved.columns(), spark, data, DataFormat.detect(data, format), label, t.inputSize(), false);
            double[] stats = stats(spark, d, net);
            PrintWriter out = spec.commandLine().getOut();
            out.print(t.loss() == Loss.MSE ? regressionReport(stats) : classificationReport(stats, classes(t)));
            out.flush();
            return 0;
        } finally {
            spark.stop();
        }
    }

    static int classes(Topology t) {
        return t.loss() == Loss.CROSS_ENTROPY ? t.outputSize() : 2;
    }

    /**
     * Sums over the rows, one job. Regression: [n, Σ(ŷ−y)², Σ|ŷ−y|, Σy, Σy²]. Classification: [n, Σ −log p_true,
     * then the k×k confusion counts, true class major].
     */
    static double[] stats(SparkSession spark, LabeledData d, Network net) {
        Topology t = net.topology();
        boolean regression = t.loss() == Loss.MSE;
        int k = classes(t);
        int size = regression ? 5 : 2 + k * k;
        int n = t.inputSize();
        Broadcast<Network> bn = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(net);
        FeatureReader features = new VectorColumn("features", 0, n);
        return d.frame().javaRDD().mapPartitions(it -> {
            double[] s = new double[size];
            // The rows in chunks, as predict and the models' transform score them.
            ScoredChunks chunks = new ScoredChunks(it, features, bn.value(), ScoredChunks.DEFAULT_CHUNK_ROWS, false, true);
            while (chunks.hasNext()) {
                chunks.next();
                double[] out = chunks.a();
                for (int j = 0; j < chunks.rows(); j++) {
                    double y = chunks.row(j).getDouble(1);
                    s[0]++;
                    if (regression) {
                        double e = out[j] - y;
                        s[1] += e * e;
                        s[2] += Math.abs(e);
                        s[3] += y;
                        s[4] += y * y;
                    } else {
                        int truth = classOf(y, k, t.loss());
                        double[] p = probabilities(out, j, t);
                        int predicted = 0;
                        for (int c = 1; c < k; c++) if (p[c] > p[predicted]) predicted = c;
                        s[1] += -Math.log(Math.max(EPS, p[truth]));
                        s[2 + truth * k + predicted]++;
                    }
                }
            }
            return List.of(s).iterator();
        }).collect().stream() // added in partition order, not as tasks finish: the same metrics to the last digit every run
                .reduce(new double[size], (a, b) -> {
                    double[] c = a.clone();
                    for (int i = 0; i < c.length; i++) c[i] += b[i];
                    return c;
                });
    }

    private static int classOf(double y, int k, Loss loss) {
        if (loss == Loss.BCE) {
            if (y != 0 && y != 1) throw new IllegalArgumentException("a binary classifier's labels are 0 or 1, found " + y);
            return (int) y;
        }
        int c = (int) y;
        if (c != y || c < 0 || c >= k) throw new IllegalArgumentException("label " + y + " is not a class index 0.." + (k - 1));
        return c;
    }

    private static double[] probabilities(double[] out, int j, Topology t) {
        if (t.loss() == Loss.BCE) return new double[] {1 - out[j], out[j]};
        int k = t.outputSize();
        double[] p = new double[k];
        System.arraycopy(out, j * k, p, 0, k);
        return p;
    }

    static String regressionReport(double[] s) {
        double n = s[0];
        double mse = s[1] / n;
        double mean = s[3] / n;
        double sst = s[4] - n * mean * mean;
        return String.format(Locale.ROOT, "rows  %d%nMSE   %.6g%nRMSE  %.6g%nMAE   %.6g%nR²    %.6g%n", (long) n, mse, Math.sqrt(mse),
                s[2] / n, 1 - s[1] / sst);
    }

    /** Weighted F1: Σ_c (true rows of c / n)·F1_c, with F1_c = 2·precision·recall/(precision + recall), 0 when undefined. */
    static double weightedF1(double[] s, int k) {
        double n = s[0];
        double f1 = 0;
        for (int c = 0; c < k; c++) {
            double tp = s[2 + c * k + c];
            double actual = 0;
            double predicted = 0;
            for (int o = 0; o < k; o++) {
                actual += s[2 + c * k + o];
                predicted += s[2 + o * k + c];
            }
            double precision = predicted == 0 ? 0 : tp / predicted;
            double recall = actual == 0 ? 0 : tp / actual;
            double f = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            f1 += actual / n * f;
        }
        return f1;
    }

    static String classificationReport(double[] s, int k) {
        double n = s[0];
        double correct = 0;
        for (int c = 0; c < k; c++) correct += s[2 + c * k + c];
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "rows      %d%naccuracy  %.6g%nF1        %.6g (weighted by class)%n"
                + "log-loss  %.6g%nconfusion matrix (rows: true class, columns: predicted class)%n", (long) n, correct / n, weightedF1(s, k), s[1] / n));
        int width = Math.max(String.valueOf(k - 1).length(), String.valueOf((long) n).length()) + 2;
        sb.append(" ".repeat(width));
        for (int c = 0; c < k; c++) sb.append(String.format(Locale.ROOT, "%" + width + "d", c));
        sb.append(System.lineSeparator());
        for (int c = 0; c < k; c++) {
            sb.append(String.format(Locale.ROOT, "%" + width + "d", c));
            for (int o = 0; o < k; o++) sb.append(String.format(Locale.ROOT, "%" + width + "d", (long) s[2 + c * k + o]));
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }
}
