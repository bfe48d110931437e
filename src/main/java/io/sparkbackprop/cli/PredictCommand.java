package io.sparkbackprop.cli;

import io.sparkbackprop.data.DataFormat;
import io.sparkbackprop.data.DataReader;
import io.sparkbackprop.io.InputColumns;
import io.sparkbackprop.io.ModelJson;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.scoring.ChunkScorer;
import io.sparkbackprop.scoring.FeatureReader;
import io.sparkbackprop.scoring.ScoredChunks;
import io.sparkbackprop.scoring.VectorColumn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code predict}: a trained model's predictions for every row of a file, written beside the input's own
 * columns. Regression adds {@code prediction} (or prediction_0..k−1); a binary classifier {@code probability}
 * (of class 1) and {@code prediction}; a k-class one {@code prediction} and probability_0..k−1.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a model's predictions for a data file (CSV or Parquet), keeping the input's columns.")
public final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SparkMasterOption master = new SparkMasterOption();

    @Option(names = "--model", required = true, description = "A train run's --output directory, or a model.json.")
    Path model;

    @Option(names = "--data", required = true, description = "CSV with a header, LIBSVM, or Parquet with a vector 'features' column.")
    String data;

    @Option(names = "--format", description = "csv, libsvm or parquet, when the file name does not tell.")
    String format;

    @Option(names = "--label", description = "A CSV column that is not a feature (the label). Default: the last column when the "
            + "file has one column more than the model has features.")
    String label;

    @Option(names = "--output", required = true, description = "The file to write: .parquet for Parquet, else CSV (see --output-format).")
    String output;

    @Option(names = "--output-format", description = "csv or parquet. Default: from --output's extension (.parquet), else csv.")
    String outputFormat;

    @Option(names = "--overwrite", description = "Replace an existing --output file.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        ModelJson.Saved saved = ModelFiles.readSaved(model);
        Network net = saved.network();
        String outFormat = outputFormat != null ? outputFormat.trim().toLowerCase(Locale.ROOT)
                : output.toLowerCase(Locale.ROOT).endsWith(".parquet") ? "parquet" : "csv";
        if (!outFormat.equals("csv") && !outFormat.equals("parquet")) {
            throw new IllegalArgumentException("unknown --output-format '" + outputFormat + "'; valid formats: csv, parquet");
        }
        SparkSession spark = SparkSession.builder().config(master.conf("spark-backprop predict")).getOrCreate();
        try {
            Input in = Input.read(spark, data, DataFormat.detect(data, format), label, net.topology().inputSize(), saved.columns());
            SingleFileOutput.check(in.frame(), output, overwrite);
            Dataset<Row> predicted = predict(in, net, outFormat.equals("csv"));
            try {
                SingleFileOutput.write(predicted, outFormat, output, overwrite);
            } catch (Exception failure) { // a failed job's SparkException is checked in Java's eyes
                // Spark's LIBSVM source names neither file nor line (an index beyond the model's inputs, say): find the line.
                if (DataFormat.detect(data, format) == DataFormat.LIBSVM) {
                    java.util.Optional<io.sparkbackprop.data.BadInputException> bad =
                            io.sparkbackprop.data.DataReader.libsvmProblem(spark, data, net.topology().inputSize());
                    if (bad.isPresent()) throw bad.get();
                }
                throw failure;
            }
            spec.commandLine().getOut().println("wrote predictions for " + data + " to " + output);
            return 0;
        } finally {
            spark.stop();
        }
    }

    /** The input frame and how to find a row's features in it. */
    record Input(Dataset<Row> frame, Features features) {
        Input(Dataset<Row> frame, int[] featureColumns, int vectorColumn) {
            this(frame, new Features(featureColumns, vectorColumn));
        }

        /** @param columns the model's named training columns (selected by name from a CSV file), or null: by position */
        static Input read(SparkSession spark, String path, DataFormat format, String label, int n, InputColumns columns) {
            try {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
                var found = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).globStatus(p);
                if (found == null || found.length == 0) throw new IllegalArgumentException("--data " + path + ": no such file");
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--data " + path + ": cannot read it: " + e.getMessage(), e);
            }
            switch (format) {
                case CSV -> {
                    Dataset<Row> df = spark.read().option("header", "true").option("inferSchema", "true").csv(path);
                    List<String> names = Arrays.asList(df.columns());
                    if (label != null && !names.contains(label)) {
                        throw new IllegalArgumentException("--label '" + label + "' is not a column of " + path + "; its columns: "
                                + String.join(", ", names));
                    }
                    List<Integer> features = new ArrayList<>();
                    if (columns != null) {
                        // By name, in the training order; the label and any other column are simply not features. The
                        // names trimmed, as train's reader trims a header's cells ("x1, x2" names x2, not " x2").
                        List<String> trimmed = names.stream().map(String::trim).toList();
                        DataReader.requireColumns(path, columns.features(), columns.label(), trimmed);
                        for (String f : columns.features()) features.add(trimmed.indexOf(f));
                    } else {
                        for (int i = 0; i < names.size(); i++) if (!names.get(i).equals(label)) features.add(i);
                        if (label == null && features.size() == n + 1) features.remove(features.size() - 1); // the label, as in train
                    }
                    if (features.size() != n) {
                        throw new IllegalArgumentException(path + " has " + features.size() + " feature columns" + (label == null ? "" : " besides '"
                                + label + "'") + " but the model expects " + n + "; name the label column with --label");
                    }
                    for (int i : features) {
                        StructField f = df.schema().fields()[i];
                        if (!(f.dataType() instanceof NumericType)) {
                            throw new IllegalArgumentException(path + ": column '" + f.name() + "' is not numeric (" + f.dataType().simpleString()
                                    + "); every feature column must hold numbers");
                        }
                    }
                    return new Input(df, features.stream().mapToInt(Integer::intValue).toArray(), -1);
                }
                case LIBSVM -> {
                    Dataset<Row> df = spark.read().format("libsvm").option("numFeatures", n).load(path);
                    return new Input(df, null, Arrays.asList(df.columns()).indexOf("features"));
                }
                default -> {
                    Dataset<Row> df = spark.read().parquet(path);
                    int col = Arrays.asList(df.columns()).indexOf("features");
                    if (col < 0 || !(df.schema().fields()[col].dataType() instanceof VectorUDT)) {
                        throw new IllegalArgumentException(path + " has no vector column 'features'; its columns: "
                                + String.join(", ", df.columns()));
                    }
                    return new Input(df, null, col);
                }
            }
        }

    }

    /** Where a row's features are: numeric columns, or one vector column. */
    record Features(int[] featureColumns, int vectorColumn) {
        /** How a chunk reads them, for a model of n features. */
        FeatureReader reader(StructType schema, int n) {
            return vectorColumn >= 0 ? new VectorColumn(schema.fields()[vectorColumn].name(), vectorColumn, n) : new NumericColumns(featureColumns);
        }
    }

    /** Features from numeric columns, one value each. Travels to the executors. */
    record NumericColumns(int[] columns) implements FeatureReader {
        @Override
        public void read(Row r, long index, double[] x, int off) {
            for (int i = 0; i < columns.length; i++) {
                int c = columns[i];
                if (r.isNullAt(c)) {
                    throw new IllegalArgumentException("column '" + r.schema().fields()[c].name() + "' is empty in the row " + r.mkString(","));
                }
                x[off + i] = ((Number) r.get(c)).doubleValue();
            }
        }
    }

    /** Names of the columns predictions add, in order. */
    static List<String> predictionColumns(Topology t) {
        int k = t.outputSize();
        List<String> names = new ArrayList<>();
        if (t.loss() == Loss.CROSS_ENTROPY) {
            names.add("prediction");
            for (int c = 0; c < k; c++) names.add("probability_" + c);
        } else if (t.loss() == Loss.BCE && k == 1) {
            names.add("probability");
            names.add("prediction");
        } else if (k == 1) {
            names.add("prediction");
        } else {
            for (int r = 0; r < k; r++) names.add("prediction_" + r);
        }
        return names;
    }

    /** The values of those columns from a row's network outputs. */
    static double[] predictionValues(Topology t, double[] out, int off) {
        int k = t.outputSize();
        if (t.loss() == Loss.CROSS_ENTROPY) {
            double[] v = new double[k + 1];
            int best = 0;
            for (int c = 0; c < k; c++) {
                v[c + 1] = out[off + c];
                if (out[off + c] > out[off + best]) best = c;
            }
            v[0] = best;
            return v;
        }
        if (t.loss() == Loss.BCE && k == 1) return new double[] {out[off], out[off] > 0.5 ? 1 : 0};
        return Arrays.copyOfRange(out, off, off + k);
    }

    static Dataset<Row> predict(Input in, Network net, boolean csv) {
        Topology t = net.topology();
        int n = t.inputSize();
        StructType inSchema = in.frame().schema();
        boolean[] vectorToText = new boolean[inSchema.size()];
        for (int i = 0; i < inSchema.size(); i++) vectorToText[i] = csv && inSchema.fields()[i].dataType() instanceof VectorUDT;
        List<String> added = predictionColumns(t);
        for (String name : added) {
            if (Arrays.asList(inSchema.fieldNames()).contains(name)) {
                throw new IllegalArgumentException("the input already has a column '" + name + "', which predict would add");
            }
        }
        int k = t.outputSize();
        ChunkScorer.Outputs outputs = (chunk, j, values, from) -> {
            double[] p = predictionValues(t, chunk.a(), j * k);
            for (int i = 0; i < p.length; i++) values[from + i] = p[i];
        };
        FeatureReader features = in.features().reader(inSchema, n);
        return asText(ChunkScorer.score(in.frame(), withColumns(inSchema, added), features, net, ScoredChunks.DEFAULT_CHUNK_ROWS,
                false, true, outputs), vectorToText);
    }

    private static StructType withColumns(StructType inSchema, List<String> added) {
        StructType schema = inSchema;
        for (String name : added) schema = schema.add(name, DataTypes.DoubleType, false);
        return schema;
    }

    /** CSV has no vectors: vector columns are written as their text, [v0,v1,...] (or the sparse form). */
    private static Dataset<Row> asText(Dataset<Row> scored, boolean[] vectorToText) {
        Dataset<Row> out = scored;
        for (int i = 0; i < vectorToText.length; i++) {
            if (!vectorToText[i]) continue;
            String name = scored.schema().fields()[i].name();
            out = out.withColumn(name, functions.udf((UDF1<Vector, String>) v -> v == null ? null : v.toString(), DataTypes.StringType)
                    .apply(out.col("`" + name.replace("`", "``") + "`")));
        }
        return out;
    }
}
