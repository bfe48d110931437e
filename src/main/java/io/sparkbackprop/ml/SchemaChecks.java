package io.sparkbackprop.ml;

import java.util.Arrays;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/** Schema validation with messages that say which column, what it is, and what it should be. */
final class SchemaChecks {
    private SchemaChecks() {
    }

    static DataType typeOf(StructType schema, String col, String role) {
        if (col == null || !Arrays.asList(schema.fieldNames()).contains(col)) {
            throw new IllegalArgumentException(role + " '" + col + "' does not exist; the columns are "
                    + Arrays.toString(schema.fieldNames()) + " (set " + role + " to one of them)");
        }
        return schema.apply(col).dataType();
    }

    static void requireVector(StructType schema, String col, String role) {
        DataType t = typeOf(schema, col, role);
        if (!(t instanceof VectorUDT)) {
            throw new IllegalArgumentException(role + " '" + col + "' has type " + t.simpleString()
                    + "; it must be a Vector column (assemble numeric columns with VectorAssembler)");
        }
    }

    static void requireNumeric(StructType schema, String col, String role) {
        DataType t = typeOf(schema, col, role);
        if (!(t instanceof NumericType)) {
            throw new IllegalArgumentException(role + " '" + col + "' has type " + t.simpleString() + "; it must be numeric");
        }
    }

    static void requireNumericOrVector(StructType schema, String col, String role) {
        DataType t = typeOf(schema, col, role);
        if (!(t instanceof NumericType) && !(t instanceof VectorUDT)) {
            throw new IllegalArgumentException(role + " '" + col + "' has type " + t.simpleString() + "; it must be numeric, or "
                    + "a Vector for several outputs");
        }
    }

    static void requireBoolean(StructType schema, String col, String role) {
        DataType t = typeOf(schema, col, role);
        if (!(t instanceof BooleanType)) {
            throw new IllegalArgumentException(role + " '" + col + "' has type " + t.simpleString() + "; it must be boolean");
        }
    }

    static boolean isSet(String col) {
        return col != null && !col.isEmpty();
    }

    /** Vector size from the column's ML attributes when known, else from the first row. */
    static int vectorSize(Dataset<?> dataset, String col, String role) {
        int size = AttributeGroup.fromStructField(dataset.schema().apply(col)).size();
        if (size >= 0) return size;
        java.util.List<Row> first = dataset.toDF().select(col).filter(dataset.col(col).isNotNull()).takeAsList(1);
        if (first.isEmpty()) throw new IllegalArgumentException("the dataset has no rows with a " + role + " ('" + col + "')");
        return ((Vector) first.get(0).get(0)).size();
    }

    static void checkFeatureSize(Vector features, int expected) {
        if (features.size() != expected) {
            throw new IllegalArgumentException("a features vector has " + features.size() + " values but the model was fitted on "
                    + expected + " features; assemble the same feature columns as at fit time");
        }
    }
}
