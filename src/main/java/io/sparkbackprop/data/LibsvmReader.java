package io.sparkbackprop.data;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads LIBSVM files with Spark's "libsvm" source; the feature vectors stay sparse, as the source gives them. */
final class LibsvmReader {
    private LibsvmReader() {
    }

    /** @param numFeatures the expected feature count, or 0 to take the largest index found (one extra pass) */
    static LabeledData read(SparkSession spark, String path, int numFeatures, boolean dropInvalid) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<FileStatus> files = InputFiles.list(conf, path);
        if (files.isEmpty()) throw InputFiles.noDataRows(path);
        Dataset<Row> frame;
        int size;
        long rows;
        try {
            DataFrameReader reader = spark.read().format("libsvm");
            if (numFeatures > 0) reader = reader.option("numFeatures", numFeatures);
            Dataset<Row> raw = reader.load(path);
            size = numFeatures > 0 ? numFeatures : AttributeGroup.fromStructField(raw.schema().apply("features")).size();
            Dataset<Row> checked = raw.select(
                    CheckedColumns.checkedFeatures(path, "features", size, dropInvalid).apply(raw.col("features")).as(LabeledData.FEATURES),
                    CheckedColumns.finiteLabel(path, "label", dropInvalid).apply(raw.col("label")).as(LabeledData.LABEL));
            frame = dropInvalid ? InvalidRows.dropNulls(checked) : checked;
            // One pass now, so that a bad line fails here and can be located, not in the caller's first job; it
            // caches the rows for the caller's jobs.
            rows = CheckedJob.cachedCount(frame);
            if (dropInvalid) InvalidRows.report(path, raw.count() - rows);
        } catch (Exception failure) { // a failed job's SparkException is checked in Java's eyes
            throw explain(conf, files, path, numFeatures, failure);
        }
        if (rows == 0) {
            frame.unpersist(false);
            throw InputFiles.noDataRows(path);
        }
        return new LabeledData(frame, size, LabeledData.positionalNames(size), LabeledData.LABEL);
    }

    /**
     * Spark's errors for a malformed line (a NumberFormatException, an index out of order...) name neither
     * the file nor the line, so the files are checked again on the driver to find it. A failure that the
     * check cannot pin on the input (a lost executor, say) is passed on as it is.
     */
    private static RuntimeException explain(Configuration conf, List<FileStatus> files, String path, int numFeatures,
                                            Exception failure) {
        return LibsvmLines.firstProblem(conf, files, path, numFeatures)
                .or(() -> BadInputException.foundIn(failure, conf))
                .orElseThrow(() -> CheckedJob.unchanged(failure));
    }
}
