package io.sparkbackprop.data;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Spark SQL functions that check a source's feature vectors (dense ones kept dense, sparse ones kept sparse) and
 * make its labels doubles, failing on the values training cannot use (nulls, wrong sizes, NaN, infinities) rather
 * than passing them on.
 */
final class CheckedColumns {
    private CheckedColumns() {
    }

    /** @param dropInvalid give null (for the caller to filter out) instead of failing on NaN or infinite values */
    static UserDefinedFunction checkedFeatures(String source, String column, int numFeatures, boolean dropInvalid) {
        UDF1<Vector, Vector> dense = v -> {
            if (v == null) throw new BadInputException(source + ": column '" + column + "' has a null (missing) vector");
            if (v.size() != numFeatures) {
                throw new BadInputException(source + ": column '" + column + "' has a vector of size " + v.size()
                        + " where " + numFeatures + " features are expected; all rows must have the same number of features");
            }
            // A sparse vector's values are its nonzeros: checked without making it dense.
            boolean sparse = v instanceof org.apache.spark.ml.linalg.SparseVector;
            double[] values = sparse ? ((org.apache.spark.ml.linalg.SparseVector) v).values() : v.toArray();
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    if (dropInvalid) return null;
                    int feature = sparse ? ((org.apache.spark.ml.linalg.SparseVector) v).indices()[i] : i;
                    throw new BadInputException(source + ": column '" + column + "' has " + values[i] + " at feature "
                            + feature + "; NaN and infinite values cannot be trained on: replace them or drop those rows");
                }
            }
            return v;
        };
        UserDefinedFunction udf = functions.udf(dense, SQLDataTypes.VectorType());
        return dropInvalid ? udf : udf.asNonNullable();
    }

    static UserDefinedFunction finiteLabel(String source, String column) {
        return finiteLabel(source, column, false);
    }

    static UserDefinedFunction finiteLabel(String source, String column, boolean dropInvalid) {
        UDF1<Double, Double> finite = y -> {
            if (y == null) throw new BadInputException(source + ": label column '" + column + "' has a null (missing) value");
            if (!Double.isFinite(y)) {
                if (dropInvalid) return null;
                throw new BadInputException(source + ": label column '" + column + "' has the value " + y
                        + "; NaN and infinite labels cannot be trained on: replace them or drop those rows");
            }
            return y;
        };
        UserDefinedFunction udf = functions.udf(finite, DataTypes.DoubleType);
        return dropInvalid ? udf : udf.asNonNullable();
    }
}
