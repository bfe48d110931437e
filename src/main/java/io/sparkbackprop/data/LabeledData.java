package io.sparkbackprop.data;

import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The data a reader produced: {@code frame} has exactly two columns, {@value #FEATURES} (a Spark ML vector of
 * {@code numFeatures} entries: dense from CSV, sparse from LIBSVM, as stored in Parquet) and {@value #LABEL} (a double); {@code featureNames} names the
 * entries (a CSV file's header names, otherwise "f0", "f1", ...), and {@code labelName} is the label's
 * name in the source. The frame is cached by the read that checked it (memory, spilling to disk), so the caller's
 * jobs do not parse the files again; {@link #release} drops that cache once the caller has what it needs.
 */
public record LabeledData(Dataset<Row> frame, int numFeatures, List<String> featureNames, String labelName) {
    public static final String FEATURES = "features";
    public static final String LABEL = "label";

    public LabeledData {
        featureNames = List.copyOf(featureNames);
        if (featureNames.size() != numFeatures) {
            throw new IllegalArgumentException(featureNames.size() + " feature names for " + numFeatures + " features");
        }
    }

    /** Drops the frame's cache (without waiting): call it once the rows are in the caller's own form, e.g. cached blocks. */
    public void release() {
        frame.unpersist(false);
    }

    /** The frame's schema. */
    public static StructType schema() {
        return new StructType(new StructField[] {
            DataTypes.createStructField(FEATURES, SQLDataTypes.VectorType(), false),
            DataTypes.createStructField(LABEL, DataTypes.DoubleType, false)});
    }

    /** "f0", "f1", ...: for formats whose features have no names. */
    static List<String> positionalNames(int numFeatures) {
        return IntStream.range(0, numFeatures).mapToObj(i -> "f" + i).toList();
    }
}
