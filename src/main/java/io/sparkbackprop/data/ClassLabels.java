package io.sparkbackprop.data;

import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * The range of a classifier's labels, after one pass that checks every label is a class index (a whole,
 * non-negative number): the one check the command line and the estimators share.
 */
public record ClassLabels(double min, double max) {
    /** More classes than this is a mistake (a regression label, an id column), not a classification. */
    static final double MAX_LABEL = 100_000;

    /** Empty when the data has no labels; an error naming the column and a bad value otherwise. */
    public static Optional<ClassLabels> of(Dataset<Row> df, String column) {
        Column label = df.col(column);
        Column bad = label.isNull().or(functions.isnan(label)).or(label.notEqual(functions.floor(label)));
        Row r = df.agg(functions.max(label), functions.min(label), functions.sum(functions.when(bad, 1).otherwise(0)),
                functions.first(functions.when(bad, label.cast("string")), true)).first();
        if (r.isNullAt(0)) return Optional.empty();
        long badCount = r.isNullAt(2) ? 0 : ((Number) r.get(2)).longValue();
        if (badCount > 0) {
            throw new IllegalArgumentException("label column '" + column + "' has " + badCount + " value(s) that are not class indices, e.g. "
                    + r.get(3) + "; labels must be 0, 1, 2, ... (index string labels with StringIndexer)");
        }
        double min = ((Number) r.get(1)).doubleValue();
        double max = ((Number) r.get(0)).doubleValue();
        if (min < 0) {
            throw new IllegalArgumentException("label column '" + column + "' has the negative label " + min + "; labels must be 0, 1, 2, ...");
        }
        if (max > MAX_LABEL) throw new IllegalArgumentException("label column '" + column + "' has the label " + max + ": too many classes");
        return Optional.of(new ClassLabels(min, max));
    }

    /** 1 + the largest label, and at least two. */
    public int numClasses() {
        return Math.max(2, (int) max + 1);
    }
}
