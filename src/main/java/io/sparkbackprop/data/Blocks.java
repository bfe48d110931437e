package io.sparkbackprop.data;

import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
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
        DataType labelType = df.schema().apply(labelCol).dataType();
        boolean numericLabel = labelType instanceof NumericType;
        if (numericLabel && labelWidth != 1) {
            throw new IllegalArgumentException("label column '" + labelCol + "' holds one number per row, but " + labelWidth + " are needed");
        }
        Dataset<Row> selected = df.select(df.col(featuresCol), numericLabel
                ? df.col(labelCol).cast(DataTypes.DoubleType) : df.col(labelCol));
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
                return new BlockStacker.Row(v.toArray(), label);
            }
        }, numFeatures, labelWidth, capacity));
    }
}
