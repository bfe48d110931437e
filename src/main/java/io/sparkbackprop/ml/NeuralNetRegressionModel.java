package io.sparkbackprop.ml;

import io.sparkbackprop.nn.Network;
import io.sparkbackprop.scoring.ChunkScorer;
import io.sparkbackprop.scoring.FeatureReader;
import io.sparkbackprop.scoring.ScoredChunks;
import io.sparkbackprop.scoring.VectorColumn;
import java.util.NoSuchElementException;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** A fitted {@link NeuralNetRegressor}: predictions in label units, a Vector when the label was one. */
public final class NeuralNetRegressionModel extends RegressionModel<Vector, NeuralNetRegressionModel>
        implements NeuralNetRegressorParams, MLWritable, NetworkModelIO.HasNetwork {
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
    public NeuralNetRegressionModel() {
        this(Uids.random("nnRegressor"), null, false);
    }

    NeuralNetRegressionModel(String uid, Network network, boolean vectorOutput) {
        this(Uids.stash(uid), network, vectorOutput, true);
    }

    private NeuralNetRegressionModel(String uid, Network network, boolean vectorOutput, boolean stashed) {
        super();
        this.uid = uid;
        Uids.clear();
        this.network = network;
        NeuralNetRegressorParams.setRegressorDefaults(this);
        setDefault(vectorOutput(), false);
        set(vectorOutput(), vectorOutput);
    }

    /** Builds a model around an existing network (e.g. one read from a portable model.json). */
    public static NeuralNetRegressionModel fromNetwork(Network network) {
        return new NeuralNetRegressionModel(Uids.random("nnRegressor"), network, network.topology().outputSize() > 1);
    }

    @Override
    public String uid() {
        if (uid == null) uid = Uids.pending();
        return uid;
    }

    /** Whether predictions are Vectors (set by fit from the label's type). */
    public BooleanParam vectorOutput() {
        return new BooleanParam(this, "vectorOutput", "predictions are Vectors (the label was a Vector); set by fit");
    }

    public boolean isVectorOutput() {
        return (Boolean) getOrDefault(vectorOutput());
    }

    @Override
    public io.sparkbackprop.io.InputColumns inputColumns() {
        return inputColumns;
    }

    /** Set by the fit (and the reader): the columns the network was fitted on. */
    NeuralNetRegressionModel withInputColumns(io.sparkbackprop.io.InputColumns columns) {
        this.inputColumns = columns;
        return this;
    }

    @Override
    public Network network() {
        if (network == null) {
            throw new IllegalStateException("this NeuralNetRegressionModel (" + uid() + ") is empty: it was made by the no-argument"
                    + " constructor, which is for Spark Connect's class registry; fit a NeuralNetRegressor or load a saved model");
        }
        return network;
    }

    @Override
    public int numFeatures() {
        return network().topology().inputSize();
    }


    @Override
    public double predict(Vector features) {
        return predictVector(features).apply(0);
    }

    /** All outputs for one row. */
    public Vector predictVector(Vector features) {
        SchemaChecks.checkFeatureSize(features, numFeatures());
        return Vectors.dense(features instanceof org.apache.spark.ml.linalg.SparseVector s ? network().predict(s.indices(), s.values())
                : network().predict(features.toArray()));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SchemaChecks.requireVector(schema, getFeaturesCol(), "featuresCol");
        if (getPredictionCol().isEmpty()) return schema;
        if (java.util.Arrays.asList(schema.fieldNames()).contains(getPredictionCol())) {
            throw new IllegalArgumentException("the input already has a column '" + getPredictionCol() + "', which the model would add:"
                    + " drop or rename it, or set predictionCol to another name");
        }
        return schema.add(getPredictionCol(), isVectorOutput() ? new VectorUDT() : DataTypes.DoubleType, false);
    }

    /**
     * Scores the rows in chunks ({@link ChunkScorer}): one forward pass per chunk of rows, the prediction in label units
     * (a Vector of every output when the label was a Vector). The same values as scoring row by row.
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = transformSchema(dataset.schema(), true);
        NetworkModelIO.requireSameFeatures(inputColumns, dataset.schema(), getFeaturesCol());
        Dataset<Row> rows = dataset.toDF();
        if (getPredictionCol().isEmpty()) return rows;
        boolean vector = isVectorOutput();
        ChunkScorer.Outputs outputs = (chunk, j, values, from) -> {
            double[] a = chunk.a();
            int k = chunk.width();
            values[from] = vector ? Vectors.dense(java.util.Arrays.copyOfRange(a, j * k, j * k + k)) : (Object) a[j * k];
        };
        FeatureReader features = new VectorColumn(getFeaturesCol(), rows.schema().fieldIndex(getFeaturesCol()), numFeatures());
        return ChunkScorer.score(rows, schema, features, network(), ScoredChunks.DEFAULT_CHUNK_ROWS, false, true, outputs);
    }

    /** Row-by-row scoring (a UDF calling {@link #predict} or {@link #predictVector}): the reference for tests and the bench. */
    public Dataset<Row> transformRowByRow(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        if (getPredictionCol().isEmpty()) return dataset.toDF();
        NeuralNetRegressionModel self = this;
        if (isVectorOutput()) {
            return dataset.withColumn(getPredictionCol(), functions.udf((UDF1<Vector, Vector>) self::predictVector, new VectorUDT())
                    .apply(dataset.col(getFeaturesCol())));
        }
        return dataset.withColumn(getPredictionCol(), functions.udf((UDF1<Vector, Double>) self::predict, DataTypes.DoubleType)
                .apply(dataset.col(getFeaturesCol())));
    }

    void setSummary(NeuralNetTrainingSummary s) {
        this.summary = s;
    }

    public boolean hasSummary() {
        return summary != null;
    }

    /** The training summary of the fit that made this model (not kept by save/load). */
    public NeuralNetTrainingSummary summary() {
        if (summary == null) throw new NoSuchElementException("no training summary: this model was loaded or copied, not fitted");
        return summary;
    }

    /** RMSE, MSE, MAE and R² of this model's predictions on a dataset (single-output models). */
    public NeuralNetRegressionEvaluation evaluate(Dataset<?> dataset) {
        if (isVectorOutput()) throw new UnsupportedOperationException("evaluate supports single-output models; use transform");
        String prediction = getPredictionCol().isEmpty() ? "prediction" : getPredictionCol();
        Dataset<Row> scored = copy(ParamMap.empty()).setPredictionCol(prediction).transform(dataset);
        RegressionEvaluator e = new RegressionEvaluator().setLabelCol(getLabelCol()).setPredictionCol(prediction);
        return new NeuralNetRegressionEvaluation(e.setMetricName("rmse").evaluate(scored), e.setMetricName("mse").evaluate(scored),
                e.setMetricName("mae").evaluate(scored), e.setMetricName("r2").evaluate(scored));
    }


    @Override
    public NeuralNetRegressionModel copy(ParamMap extra) {
        NeuralNetRegressionModel copy = new NeuralNetRegressionModel(uid(), network, isVectorOutput()).withInputColumns(inputColumns);
        copyValues(copy, extra);
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new NetworkModelIO.Writer(this);
    }

    public static MLReader<NeuralNetRegressionModel> read() {
        return new NetworkModelIO.Reader<>(NeuralNetRegressionModel.class,
                (uid, net, columns) -> new NeuralNetRegressionModel(uid, net, net.topology().outputSize() > 1).withInputColumns(columns));
    }

    public static NeuralNetRegressionModel load(String path) {
        return read().load(path);
    }
}
