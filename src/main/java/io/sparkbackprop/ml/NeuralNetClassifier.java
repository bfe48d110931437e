package io.sparkbackprop.ml;

import io.sparkbackprop.data.ClassLabels;
import io.sparkbackprop.nn.Loss;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A neural-network classifier. Labels are class indices 0..k−1; with two classes the network ends in one
 * sigmoid unit trained with the logistic loss, with more in a k-way softmax trained with cross-entropy.
 */
public final class NeuralNetClassifier extends ProbabilisticClassifier<Vector, NeuralNetClassifier, NeuralNetClassificationModel>
        implements NeuralNetParams, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private String uid; // no initializer: uid() may set it while the superclass is constructed (see Uids)

    public NeuralNetClassifier() {
        this(Uids.random("nnClassifier"));
    }

    public NeuralNetClassifier(String uid) {
        this(Uids.stash(uid), true);
    }

    private NeuralNetClassifier(String uid, boolean stashed) {
        super();
        this.uid = uid;
        Uids.clear();
        NeuralNetParams.setDefaults(this);
    }

    @Override
    public String uid() {
        if (uid == null) uid = Uids.pending();
        return uid;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SchemaChecks.requireVector(schema, getFeaturesCol(), "featuresCol");
        SchemaChecks.requireNumeric(schema, getLabelCol(), "labelCol");
        if (SchemaChecks.isSet(getWeightCol())) SchemaChecks.requireNumeric(schema, getWeightCol(), "weightCol");
        if (SchemaChecks.isSet(getValidationIndicatorCol())) {
            SchemaChecks.requireBoolean(schema, getValidationIndicatorCol(), "validationIndicatorCol");
        }
        return super.transformSchema(schema);
    }

    @Override
    public NeuralNetClassificationModel train(Dataset<?> dataset) {
        FitInput input = FitInput.of(dataset, getFeaturesCol(), getLabelCol(), getWeightCol(), getValidationIndicatorCol());
        NeuralNetFitting.Fitted fitted;
        try {
            int numClasses = numClasses(input.rows(), getLabelCol());
            int numFeatures = SchemaChecks.vectorSize(input.rows(), getFeaturesCol(), "featuresCol");
            Loss loss = numClasses == 2 ? Loss.BCE : Loss.CROSS_ENTROPY;
            fitted = NeuralNetFitting.fit(input, this, getFeaturesCol(), getLabelCol(), loss, numClasses == 2 ? 1 : numClasses,
                    numFeatures, false);
        } finally {
            input.release();
        }
        NeuralNetClassificationModel model = new NeuralNetClassificationModel(uid(), fitted.network())
                .withInputColumns(NetworkModelIO.fittedColumns(dataset.schema(), getFeaturesCol(), getLabelCol()));
        model.setSummary(fitted.summary());
        return model;
    }

    /** 1 + the largest label, after checking that every label is a class index. */
    static int numClasses(Dataset<Row> df, String labelCol) {
        return ClassLabels.of(df, labelCol).orElseThrow(() -> new IllegalArgumentException(
                "labelCol '" + labelCol + "' has no values: the dataset is empty")).numClasses();
    }

    @Override
    public NeuralNetClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<NeuralNetClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static NeuralNetClassifier load(String path) {
        return read().load(path);
    }

    public NeuralNetClassifier setHiddenLayers(int... v) {
        set(hiddenLayers(), v);
        return this;
    }

    public NeuralNetClassifier setActivation(String v) {
        set(activation(), v);
        return this;
    }

    public NeuralNetClassifier setActivations(String... v) {
        set(activations(), v);
        return this;
    }

    public NeuralNetClassifier setOptimizer(String v) {
        set(optimizer(), v);
        return this;
    }

    public NeuralNetClassifier setStepSize(double v) {
        set(stepSize(), v);
        return this;
    }

    public NeuralNetClassifier setMaxIter(int v) {
        set(maxIter(), v);
        return this;
    }

    public NeuralNetClassifier setBatchSize(int v) {
        set(batchSize(), v);
        return this;
    }

    public NeuralNetClassifier setSeed(long v) {
        set(seed(), v);
        return this;
    }

    public NeuralNetClassifier setTol(double v) {
        set(tol(), v);
        return this;
    }

    public NeuralNetClassifier setInitMode(String v) {
        set(initMode(), v);
        return this;
    }

    public NeuralNetClassifier setInitialModel(String path) {
        set(initialModel(), path);
        return this;
    }

    public NeuralNetClassifier setInitialWeights(Vector v) {
        set(initialWeights(), v);
        return this;
    }

    public NeuralNetClassifier setAggregationDepth(int v) {
        set(aggregationDepth(), v);
        return this;
    }

    public NeuralNetClassifier setBlockSize(int v) {
        set(blockSize(), v);
        return this;
    }

    public NeuralNetClassifier setChunkSize(int v) {
        set(chunkSize(), v);
        return this;
    }

    public NeuralNetClassifier setKeepPartitioning(boolean v) {
        set(keepPartitioning(), v);
        return this;
    }

    public NeuralNetClassifier setValidationIndicatorCol(String v) {
        set(validationIndicatorCol(), v);
        return this;
    }

    public NeuralNetClassifier setWeightCol(String v) {
        set(weightCol(), v);
        return this;
    }

    public NeuralNetClassifier setCheckpointDir(String v) {
        set(checkpointDir(), v);
        return this;
    }

    public NeuralNetClassifier setCheckpointInterval(int v) {
        set(checkpointInterval(), v);
        return this;
    }

    public NeuralNetClassifier setStandardization(boolean v) {
        set(standardization(), v);
        return this;
    }

    public NeuralNetClassifier setMomentum(double v) {
        set(momentum(), v);
        return this;
    }

    public NeuralNetClassifier setNesterov(boolean v) {
        set(nesterov(), v);
        return this;
    }

    public NeuralNetClassifier setWeightDecay(double v) {
        set(weightDecay(), v);
        return this;
    }

    public NeuralNetClassifier setLrSchedule(String v) {
        set(lrSchedule(), v);
        return this;
    }

    public NeuralNetClassifier setLrDecay(double v) {
        set(lrDecay(), v);
        return this;
    }

    public NeuralNetClassifier setLrDecayEvery(int v) {
        set(lrDecayEvery(), v);
        return this;
    }

    public NeuralNetClassifier setLrMin(double v) {
        set(lrMin(), v);
        return this;
    }

    public NeuralNetClassifier setWarmupEpochs(int v) {
        set(warmupEpochs(), v);
        return this;
    }

    public NeuralNetClassifier setL2(double v) {
        set(l2(), v);
        return this;
    }

    public NeuralNetClassifier setDropout(double v) {
        set(dropout(), v);
        return this;
    }

    /** "double" (default) or "float": the training tasks' products in single precision. */
    public NeuralNetClassifier setPrecision(String v) {
        set(precision(), NeuralNetParams.checkPrecision(v));
        return this;
    }

    public NeuralNetClassifier setClipNorm(double v) {
        set(clipNorm(), v);
        return this;
    }

    public NeuralNetClassifier setLocalSteps(int v) {
        set(localSteps(), v);
        return this;
    }

    public NeuralNetClassifier setEarlyStopping(int v) {
        set(earlyStopping(), v);
        return this;
    }
}
