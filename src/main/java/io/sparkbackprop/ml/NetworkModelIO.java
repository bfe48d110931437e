package io.sparkbackprop.ml;

import io.sparkbackprop.io.InputColumns;
import io.sparkbackprop.io.ModelJson;
import io.sparkbackprop.nn.Network;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;

/**
 * Spark ML persistence for our models: Spark's metadata JSON (class, uid, params) as every Spark stage
 * writes it, plus the network as the portable model.json in {@code data/}, so a saved model directory is
 * also readable by numpy or PyTorch.
 */
final class NetworkModelIO {
    static final String MODEL_FILE = "data/model.json";

    private NetworkModelIO() {
    }

    /** What both model classes share, whatever Spark base class they extend. */
    interface HasNetwork extends Params {
        Network network();

        /** The named columns fitted on (the features' ML attribute names, the label column), or null when unnamed. */
        InputColumns inputColumns();

        /** Layer sizes, input first. */
        default int[] layers() {
            return network().topology().sizes();
        }

        /** The flat weights: per layer W column-major, then b. */
        default org.apache.spark.ml.linalg.Vector weights() {
            return org.apache.spark.ml.linalg.Vectors.dense(network().weights().clone());
        }

        /** Writes the portable model.json (numpy/PyTorch friendly) to a Hadoop filesystem path. */
        default void exportJson(String path) {
            NetworkModelIO.exportJson(network(), inputColumns(), SparkSession.active(), path);
        }
    }

    /** Builds a model of a given uid around a network; its params are then set from the metadata. */
    @FunctionalInterface
    interface ModelFactory<M> {
        M create(String uid, Network network, InputColumns columns);
    }

    static final class Writer extends MLWriter {
        private final HasNetwork model;

        Writer(HasNetwork model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
            Path file = new Path(path, MODEL_FILE);
            try {
                FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                try (OutputStream out = fs.create(file, true)) {
                    ModelJson.write(model.network(), model.inputColumns(), out);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
    }

    static final class Reader<M extends Params> extends MLReader<M> {
        private final Class<M> type;
        private final ModelFactory<M> factory;

        Reader(Class<M> type, ModelFactory<M> factory) {
            this.type = type;
            this.factory = factory;
        }

        @Override
        public M load(String path) {
            SparkSession spark = sparkSession();
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, spark, type.getName());
            ModelJson.Saved saved = readSaved(spark, new Path(path, MODEL_FILE));
            M model = factory.create(metadata.uid(), saved.network(), saved.columns());
            metadata.getAndSetParams(model, scala.Option.empty());
            return model;
        }
    }

    static ModelJson.Saved readSaved(SparkSession spark, Path file) {
        try {
            FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (InputStream in = fs.open(file)) {
                return ModelJson.readSaved(in, file.toString());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes just the portable model.json to any Hadoop filesystem path. */
    static void exportJson(Network network, InputColumns columns, SparkSession spark, String path) {
        Path file = new Path(path);
        try {
            FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (OutputStream out = fs.create(file, true)) {
                ModelJson.write(network, columns, out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The names of a vector column's entries from its ML attributes (VectorAssembler's, for one), or null when the column
     * has none or leaves any entry unnamed.
     */
    static java.util.List<String> attributeNames(org.apache.spark.sql.types.StructType schema, String column) {
        org.apache.spark.ml.attribute.AttributeGroup group = org.apache.spark.ml.attribute.AttributeGroup.fromStructField(schema.apply(column));
        if (group.attributes().isEmpty()) return null;
        java.util.List<String> names = new java.util.ArrayList<>();
        for (org.apache.spark.ml.attribute.Attribute a : group.attributes().get()) {
            if (a.name().isEmpty()) return null;
            names.add(a.name().get());
        }
        return new java.util.HashSet<>(names).size() == names.size() ? names : null;
    }

    /** The named columns a fit saw, for the model to keep: null when the features have no names. */
    static InputColumns fittedColumns(org.apache.spark.sql.types.StructType schema, String featuresCol, String labelCol) {
        java.util.List<String> names = attributeNames(schema, featuresCol);
        if (names == null) return null;
        return new InputColumns(names, names.contains(labelCol) ? null : labelCol);
    }

    /**
     * Refuses features whose ML attribute names differ from those fitted on (the same columns assembled in another
     * order, or others): the vectors would have the right size and silently mean something else.
     */
    static void requireSameFeatures(InputColumns fitted, org.apache.spark.sql.types.StructType schema, String featuresCol) {
        if (fitted == null) return;
        java.util.List<String> given = attributeNames(schema, featuresCol);
        if (given == null || given.equals(fitted.features())) return;
        throw new IllegalArgumentException("the features column '" + featuresCol + "' holds " + given + " but the model was fitted on "
                + fitted.features() + ": assemble the same columns in the same order as at fit time");
    }
}
