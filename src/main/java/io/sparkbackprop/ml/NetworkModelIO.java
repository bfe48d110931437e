package io.sparkbackprop.ml;

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
            NetworkModelIO.exportJson(network(), SparkSession.active(), path);
        }
    }

    /** Builds a model of a given uid around a network; its params are then set from the metadata. */
    @FunctionalInterface
    interface ModelFactory<M> {
        M create(String uid, Network network);
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
                    ModelJson.write(model.network(), out);
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
            M model = factory.create(metadata.uid(), readNetwork(spark, new Path(path, MODEL_FILE)));
            metadata.getAndSetParams(model, scala.Option.empty());
            return model;
        }
    }

    static Network readNetwork(SparkSession spark, Path file) {
        try {
            FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (InputStream in = fs.open(file)) {
                return ModelJson.read(in, file.toString());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes just the portable model.json to any Hadoop filesystem path. */
    static void exportJson(Network network, SparkSession spark, String path) {
        Path file = new Path(path);
        try {
            FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (OutputStream out = fs.create(file, true)) {
                ModelJson.write(network, out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
