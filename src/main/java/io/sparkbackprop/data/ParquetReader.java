package io.sparkbackprop.data;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Reads Parquet data holding a Spark ML vector column "features" and a numeric label column. */
final class ParquetReader {
    private static final String FEATURES = "features";

    private ParquetReader() {
    }

    /** @param labelName the label column, or null for "label" */
    static LabeledData read(SparkSession spark, String path, String labelName, int expectedFeatures, boolean dropInvalid) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        if (InputFiles.list(conf, path).isEmpty()) throw InputFiles.noDataRows(path);
        String label = labelName == null ? LabeledData.LABEL : labelName;
        Dataset<Row> raw = load(spark, path);
        requireColumn(raw.schema(), path, FEATURES, SQLDataTypes.VectorType().equals(type(raw.schema(), FEATURES)),
                "a Spark ML vector column (assemble one with VectorAssembler, or convert an array column with "
                        + "org.apache.spark.ml.functions.array_to_vector)");
        requireColumn(raw.schema(), path, label, type(raw.schema(), label) instanceof NumericType, "a numeric column");
        Column features = raw.col(quoted(FEATURES));
        int size = featureCount(raw, features, path);
        if (expectedFeatures > 0 && expectedFeatures != size) {
            throw new BadInputException(path + ": column '" + FEATURES + "' holds vectors of size " + size + " where "
                    + expectedFeatures + " features were expected");
        }
        Dataset<Row> checked = raw.select(
                CheckedColumns.checkedFeatures(path, FEATURES, size, dropInvalid).apply(features).as(LabeledData.FEATURES),
                CheckedColumns.finiteLabel(path, label, dropInvalid).apply(raw.col(quoted(label)).cast(DataTypes.DoubleType))
                        .as(LabeledData.LABEL));
        Dataset<Row> frame = dropInvalid ? InvalidRows.dropNulls(checked) : checked;
        // One pass now, so that bad rows fail here with a clear message, not in the caller's first job; it caches them.
        long rows = CheckedJob.countAndCache(conf, frame);
        if (dropInvalid) InvalidRows.report(path, raw.count() - rows);
        if (rows == 0) {
            frame.unpersist(false);
            throw InputFiles.noDataRows(path);
        }
        return new LabeledData(frame, size, LabeledData.positionalNames(size), label);
    }

    private static Dataset<Row> load(SparkSession spark, String path) {
        try {
            return spark.read().parquet(path);
        } catch (Exception e) {
            // Spark's AnalysisException (e.g. "unable to infer schema") is checked in Java's eyes.
            throw new BadInputException("cannot read " + path + " as Parquet: " + e.getMessage());
        }
    }

    /** From the column's ML metadata when the writer kept it, else from the first row. */
    private static int featureCount(Dataset<Row> raw, Column features, String path) {
        int fromMetadata = AttributeGroup.fromStructField(raw.schema().apply(FEATURES)).size();
        if (fromMetadata > 0) return fromMetadata;
        List<Row> first = raw.select(features).where(features.isNotNull()).takeAsList(1);
        if (first.isEmpty()) throw InputFiles.noDataRows(path);
        return first.get(0).<Vector>getAs(0).size();
    }

    private static void requireColumn(StructType schema, String path, String column, boolean ok, String needed) {
        if (ok) return;
        String found = type(schema, column) == null ? "there is no column '" + column + "'"
                : "column '" + column + "' has type " + type(schema, column).simpleString();
        throw new BadInputException(path + ": " + found + " where " + needed + " is needed; the columns are: "
                + Arrays.stream(schema.fields()).map(f -> f.name() + " (" + f.dataType().simpleString() + ")")
                        .collect(Collectors.joining(", ")));
    }

    private static DataType type(StructType schema, String column) {
        for (StructField field : schema.fields()) {
            if (field.name().equals(column)) return field.dataType();
        }
        return null;
    }

    /** Backquoted, so that a name holding a dot is not taken for a nested field. */
    private static String quoted(String column) {
        return "`" + column.replace("`", "``") + "`";
    }
}
