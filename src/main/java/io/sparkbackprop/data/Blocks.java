package io.sparkbackprop.data;

import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;

/** Turns a DataFrame of (features vector, label) rows into column-major {@link Block}s, partition by partition. */
public final class Blocks {
    private Blocks() {
    }

    /**
     * @param featuresCol a column of Spark ML vectors with {@code numFeatures} entries
     * @param labelCol    a numeric column (one label value per row) or a vector column of {@code labelWidth}
     */
    public static JavaRDD<Block> fromDataFrame(Dataset<Row> df, String featuresCol, String labelCol, int numFeatures,
                                               int labelWidth, int capacity) {
        return fromDataFrame(df, featuresCol, labelCol, null, numFeatures, labelWidth, capacity);
    }

    /**
     * As above, with an optional numeric weight column (null or empty: every row weighs 1). Weights must be
     * finite and non-negative.
     */
    public static JavaRDD<Block> fromDataFrame(Dataset<Row> df, String featuresCol, String labelCol, String weightCol,
                                               int numFeatures, int labelWidth, int capacity) {
        return fromDataFrame(df, featuresCol, labelCol, weightCol, numFeatures, labelWidth, capacity, FeatureStorage.AUTO);
    }

    /** As above, with the blocks' {@link FeatureStorage}: sparse vectors are never made dense unless it says so. */
    public static JavaRDD<Block> fromDataFrame(Dataset<Row> df, String featuresCol, String labelCol, String weightCol,
                                               int numFeatures, int labelWidth, int capacity, FeatureStorage storage) {
        boolean weighted = weightCol != null && !weightCol.isEmpty();
        DataType labelType = df.schema().apply(labelCol).dataType();
        boolean numericLabel = labelType instanceof NumericType;
        if (numericLabel && labelWidth != 1) {
            throw new IllegalArgumentException("label column '" + labelCol + "' holds one number per row, but " + labelWidth + " are needed");
        }
        Dataset<Row> selected = df.select(df.col(featuresCol), numericLabel
                ? df.col(labelCol).cast(DataTypes.DoubleType) : df.col(labelCol),
                weighted ? df.col(weightCol).cast(DataTypes.DoubleType) : org.apache.spark.sql.functions.lit(1.0));
        return selected.javaRDD().mapPartitions(rows -> BlockStacker.stack(new Iterator<>() {
            @Override
            public boolean hasNext() {
                return rows.hasNext();
            }

            @Override
            public BlockStacker.Row next() {
                Row r = rows.next();
                Vector v = r.getAs(0);
                if (v == null) throw new IllegalArgumentException("column '" + featuresCol + "' has a null vector");
                if (v.size() != numFeatures) {
                    throw new IllegalArgumentException("column '" + featuresCol + "' has a vector of size " + v.size()
                            + " where " + numFeatures + " features are expected");
                }
                if (r.isNullAt(1)) throw new IllegalArgumentException("label column '" + labelCol + "' has a null value");
                double[] label = numericLabel ? new double[] {r.getDouble(1)} : ((Vector) r.getAs(1)).toArray();
                if (label.length != labelWidth) {
                    throw new IllegalArgumentException("label column '" + labelCol + "' has a vector of size " + label.length
                            + " where " + labelWidth + " values are expected");
                }
                double weight = 1.0;
                if (weighted) {
                    weight = r.isNullAt(2) ? Double.NaN : r.getDouble(2);
                    if (!(weight >= 0) || Double.isInfinite(weight)) {
                        throw new IllegalArgumentException("weight column '" + weightCol + "' has the value " + weight
                                + "; weights must be finite and non-negative");
                    }
                }
                // Sparse vectors go in as such whatever the storage: the stacker makes them dense if asked to, and the block
                // remembers that they came sparse (what makes sparse input).
                if (v instanceof SparseVector sv) {
                    return new BlockStacker.Row(sv.values(), sv.indices(), label, weight);
                }
                return new BlockStacker.Row(v.toArray(), label, weight);
            }
        }, numFeatures, labelWidth, capacity, weighted, storage));
    }
}
