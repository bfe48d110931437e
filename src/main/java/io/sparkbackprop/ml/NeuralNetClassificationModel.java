package io.sparkbackprop.ml;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.scoring.ChunkScorer;
import io.sparkbackprop.scoring.FeatureReader;
import io.sparkbackprop.scoring.ScoredChunks;
import io.sparkbackprop.scoring.VectorColumn;
import java.util.NoSuchElementException;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A fitted {@link NeuralNetClassifier}. rawPrediction holds logits: (−z, z) for a binary network's sigmoid
 * unit z, the softmax inputs otherwise; probability is σ(z) or the softmax.
 */
public final class NeuralNetClassificationModel extends ProbabilisticClassificationModel<Vector, NeuralNetClassificationModel>
        implements NeuralNetParams, MLWritable, NetworkModelIO.HasNetwork {
    private static final long serialVersionUID = 1L;
    private String uid; // no initializer: uid() may set it while the superclass is constructed (see Uids)
    private final Network network;
    private transient NeuralNetTrainingSummary summary;
    /** The named columns fitted on (null when the features had no names); kept in data/model.json. */
    private io.sparkbackprop.io.InputColumns inputColumns;

    /**
     * An empty model, for Spark Connect's class registry only (it finds ML classes with {@code ServiceLoader}, which
     * makes one of each, as Spark's own models have such a constructor): any use of it says to fit or load a model.
     */
    public NeuralNetClassificationModel() {
        this(Uids.random("nnClassifier"), null);
    }

    NeuralNetClassificationModel(String uid, Network network) {
        this(Uids.stash(uid), network, true);
    }

    private NeuralNetClassificationModel(String uid, Network network, boolean stashed) {
        super();
        this.uid = uid;
        Uids.clear();
        this.network = network;
        NeuralNetParams.setDefaults(this);
    }

    /** Builds a model around an existing network (e.g. one read from a portable model.json). */
    public static NeuralNetClassificationModel fromNetwork(Network network) {
        return new NeuralNetClassificationModel(Uids.random("nnClassifier"), network);
    }

    @Override
    public String uid() {
        if (uid == null) uid = Uids.pending();
        return uid;
    }

    /**
     * Spark declares this in two Scala supertypes with different generic return types, which javac cannot
     * reconcile; the raw type satisfies both and Spark's own implementation does the work.
     */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    @Override
    public io.sparkbackprop.io.InputColumns inputColumns() {
        return inputColumns;
    }

    /** Set by the fit (and the reader): the columns the network was fitted on. */
    NeuralNetClassificationModel withInputColumns(io.sparkbackprop.io.InputColumns columns) {
        this.inputColumns = columns;
        return this;
    }

    @Override
    public Network network() {
        if (network == null) {
            throw new IllegalStateException("this NeuralNetClassificationModel (" + uid() + ") is empty: it was made by the no-argument"
                    + " constructor, which is for Spark Connect's class registry; fit a NeuralNetClassifier or load a saved model");
        }
        return network;
    }

    @Override
    public int numClasses() {
        int k = network().topology().outputSize();
        return k == 1 ? 2 : k;
    }

    @Override
    public int numFeatures() {
        return network().topology().inputSize();
    }


    @Override
    public Vector predictRaw(Vector features) {
        SchemaChecks.checkFeatureSize(features, numFeatures());
        double[] z = features instanceof org.apache.spark.ml.linalg.SparseVector s ? network().logits(s.indices(), s.values())
                : network().logits(features.toArray());
        return rawOf(z, 0, z.length);
    }

    /** rawPrediction from the k logits at z[off…]: (−z, z) for a binary network's one sigmoid unit, the logits otherwise. */
    private static Vector rawOf(double[] z, int off, int k) {
        return k == 1 ? Vectors.dense(-z[off], z[off]) : Vectors.dense(java.util.Arrays.copyOfRange(z, off, off + k));
    }

    @Override
    public Vector raw2probabilityInPlace(Vector raw) {
        double[] v = ((DenseVector) raw).values();
        if (v.length == 2 && network().topology().outputSize() == 1) {
            double p = 1.0 / (1.0 + Math.exp(-v[1]));
            v[0] = 1 - p;
            v[1] = p;
            return raw;
        }
        Activation.softmaxInPlace(v);
        return raw;
    }

    /**
     * Scores the rows in chunks ({@link ChunkScorer}): one forward pass per chunk of rows, then per row the columns
     * asked for (an empty column name skips one), with Spark's own rules between them: the probability from
     * rawPrediction ({@link #raw2probabilityInPlace}), the prediction from rawPrediction when that column is wanted
     * or neither is (its argmax), else from the probability, and with {@code thresholds} always by the probability's
     * rule. The same values as scoring row by row.
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType checked = transformSchema(dataset.schema(), true);
        NetworkModelIO.requireSameFeatures(inputColumns, dataset.schema(), getFeaturesCol());
        if (isDefined(thresholds()) && getThresholds().length != numClasses()) {
            throw new IllegalArgumentException("thresholds has " + getThresholds().length + " values but the model has " + numClasses()
                    + " classes: give one threshold per class");
        }
        Dataset<Row> rows = dataset.toDF();
        StructType own = rows.schema();
        if (checked.size() == own.size()) return rows;
        boolean raw = !getRawPredictionCol().isEmpty();
        boolean probability = !getProbabilityCol().isEmpty();
        boolean prediction = !getPredictionCol().isEmpty();
        // The columns in the order Spark's own transform appends them: rawPrediction, probability, prediction.
        StructType schema = own;
        for (String col : new String[] {getRawPredictionCol(), getProbabilityCol(), getPredictionCol()}) {
            if (!col.isEmpty()) schema = schema.add(checked.apply(col));
        }
        int rawAt = raw ? 0 : -1;
        int probabilityAt = probability ? (raw ? 1 : 0) : -1;
        int predictionAt = prediction ? (raw ? 1 : 0) + (probability ? 1 : 0) : -1;
        boolean thresholds = isDefined(thresholds());
        // Spark's order: the prediction from rawPrediction when that column is wanted (or neither is), else from the
        // probability; raw2prediction is the argmax of raw, or with thresholds the probability's rule.
        boolean byArgmax = (raw || !probability) && !thresholds;
        NeuralNetClassificationModel self = this;
        ChunkScorer.Outputs outputs = (chunk, j, values, from) -> {
            int k = chunk.width();
            Vector rawVector = rawOf(chunk.z(), j * k, k);
            if (raw) values[from + rawAt] = rawVector;
            Vector p = probability || (prediction && thresholds) ? self.raw2probabilityInPlace(rawVector.copy()) : null;
            if (probability) values[from + probabilityAt] = p;
            if (prediction) values[from + predictionAt] = byArgmax ? (double) rawVector.argmax() : self.probability2prediction(p);
        };
        FeatureReader features = new VectorColumn(getFeaturesCol(), own.fieldIndex(getFeaturesCol()), numFeatures());
        return ChunkScorer.score(rows, schema, features, network(), ScoredChunks.DEFAULT_CHUNK_ROWS, true, false, outputs);
    }

    /** Spark's own row-by-row scoring (a UDF per output column calling {@link #predictRaw}): the reference for tests and the bench. */
    public Dataset<Row> transformRowByRow(Dataset<?> dataset) {
        return super.transform(dataset);
    }

    void setSummary(NeuralNetTrainingSummary s) {
        this.summary = s;
    }

    public boolean hasSummary() {
        return summary != null;
    }

    public NeuralNetTrainingSummary summary() {
        if (summary == null) throw new NoSuchElementException("no training summary: this model was loaded or copied, not fitted");
        return summary;
    }

    /** Accuracy, weighted F1 and log-loss of this model on a dataset. */
    public NeuralNetClassificationEvaluation evaluate(Dataset<?> dataset) {
        NeuralNetClassificationModel m = copy(ParamMap.empty());
        m.setPredictionCol("prediction").setProbabilityCol("probability");
        Dataset<Row> scored = m.transform(dataset);
        MulticlassClassificationEvaluator e = new MulticlassClassificationEvaluator().setLabelCol(getLabelCol())
                .setPredictionCol("prediction").setProbabilityCol("probability");
        return new NeuralNetClassificationEvaluation(e.setMetricName("accuracy").evaluate(scored),
                e.setMetricName("f1").evaluate(scored), e.setMetricName("logLoss").evaluate(scored));
    }


    @Override
    public NeuralNetClassificationModel copy(ParamMap extra) {
        NeuralNetClassificationModel copy = new NeuralNetClassificationModel(uid(), network).withInputColumns(inputColumns);
        copyValues(copy, extra);
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new NetworkModelIO.Writer(this);
    }

    public static MLReader<NeuralNetClassificationModel> read() {
        return new NetworkModelIO.Reader<>(NeuralNetClassificationModel.class,
                (uid, net, columns) -> new NeuralNetClassificationModel(uid, net).withInputColumns(columns));
    }

    public static NeuralNetClassificationModel load(String path) {
        return read().load(path);
    }
}
