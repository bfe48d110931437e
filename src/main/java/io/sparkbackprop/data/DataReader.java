package io.sparkbackprop.data;

import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;

/**
 * Turns a user's data file (or a directory of them) into a {@link LabeledData} frame ready for training.
 * Every problem with the input is a {@link BadInputException} whose message says where and what it is.
 * The data is read once, by {@code read}, which checks every row and caches the checked frame: the caller's
 * jobs read that cache, not the files, and {@link LabeledData#release} frees it.
 */
public final class DataReader {
    private DataReader() {
    }

    /**
     * @param path        a file, a directory of files of one format, or a glob
     * @param format      the format, or null to {@linkplain DataFormat#detect detect} it from the path
     * @param labelName   for CSV and Parquet, the label column's name; null means the last column for CSV and
     *                    "label" for Parquet. LIBSVM's label is always the first number on each line.
     * @param numFeatures the expected number of features, or 0 to take what the data has (for LIBSVM: the
     *                    largest index found, at the cost of an extra pass)
     */
    public static LabeledData read(SparkSession spark, String path, DataFormat format, String labelName, int numFeatures) {
        return read(spark, path, format, labelName, numFeatures, false);
    }

    /**
     * As above; with {@code dropInvalid}, rows holding NaN or infinite features or labels are skipped and
     * their number logged, instead of failing the read.
     */
    public static LabeledData read(SparkSession spark, String path, DataFormat format, String labelName, int numFeatures,
                                   boolean dropInvalid) {
        return read(spark, path, format, labelName, null, numFeatures, dropInvalid);
    }

    /**
     * The first line of a LIBSVM file (or part directory) that a model of {@code numFeatures} inputs cannot read, by file and
     * line (an index beyond the width, out of order, a value that is no number), or empty: for a job over the file that
     * failed with Spark's own message, which names neither.
     */
    public static java.util.Optional<BadInputException> libsvmProblem(SparkSession spark, String path, int numFeatures) {
        org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
        return LibsvmLines.firstProblem(conf, InputFiles.list(conf, path), path, numFeatures);
    }

    /**
     * Refuses a file whose {@code available} columns lack any of a model's feature columns (in its training order), naming
     * the missing ones, the model's columns and label (null: not named) and the file's; returns quietly otherwise.
     */
    public static void requireColumns(String where, List<String> features, String label, List<String> available) {
        List<String> missing = features.stream().filter(f -> !available.contains(f)).toList();
        if (missing.isEmpty()) return;
        throw new BadInputException(where + " lacks the feature column" + (missing.size() == 1 ? " " : "s ")
                + String.join(", ", missing.stream().map(m -> "'" + m + "'").toList()) + " the model was trained on (its features, in order: "
                + String.join(", ", features) + (label == null ? "" : "; label: " + label) + "); its columns: " + String.join(", ", available)
                + "; give a file with every one of them (other columns are ignored)");
    }

    /**
     * As above, a CSV file's features selected by name: {@code featureNames} (a model's training columns, in order;
     * null: every column but the label) must all be in the header, which may hold others; other formats ignore them.
     */
    public static LabeledData read(SparkSession spark, String path, DataFormat format, String labelName, List<String> featureNames,
                                   int numFeatures, boolean dropInvalid) {
        Objects.requireNonNull(spark, "spark");
        Objects.requireNonNull(path, "path");
        if (numFeatures < 0) {
            throw new BadInputException("the number of features must be 0 (take it from the data) or more, not " + numFeatures);
        }
        DataFormat resolved = format != null ? format : DataFormat.detect(path, null);
        return switch (resolved) {
            case CSV -> CsvReader.read(spark, path, labelName, featureNames, numFeatures, dropInvalid);
            case LIBSVM -> LibsvmReader.read(spark, path, numFeatures, dropInvalid);
            case PARQUET -> ParquetReader.read(spark, path, labelName, numFeatures, dropInvalid);
        };
    }
}
