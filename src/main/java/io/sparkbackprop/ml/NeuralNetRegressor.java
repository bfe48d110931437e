package io.sparkbackprop.ml;

import io.sparkbackprop.nn.Loss;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A neural-network regressor: dense layers trained by back-propagation with mini-batch steps distributed
 * over the data's partitions. The label is a number, or a Vector for several outputs (the prediction is
 * then a Vector). Labels are standardized inside by default, so values of any magnitude train well.
 */
public final class NeuralNetRegressor extends Regressor<Vector, NeuralNetRegressor, NeuralNetRegressionModel>
        implements NeuralNetRegressorParams, DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private String uid; // no initializer: uid() may set it while the superclass is constructed (see Uids)

    public NeuralNetRegressor() {
        this(Uids.random("nnRegressor"));
    }

    public NeuralNetRegressor(String uid) {
        this(Uids.stash(uid), true);
    }

    private NeuralNetRegressor(String uid, boolean stashed) {
        super();
        this.uid = uid;
        Uids.clear();
        NeuralNetRegressorParams.setRegressorDefaults(this);
    }

    @Override
    public String uid() {
        if (uid == null) uid = Uids.pending();
        return uid;
    }

    @Override
    public NeuralNetRegressionModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        return copyValues(train(dataset).setParent(this), ParamMap.empty());
    }

    @Override
    public NeuralNetRegressionModel train(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        boolean vectorLabel = schema.apply(getLabelCol()).dataType() instanceof VectorUDT;
        Loss loss = Loss.fromId(getLoss());
        boolean scaleLabels = getStandardizeLabel() && loss == Loss.MSE;
        FitInput input = FitInput.of(dataset, getFeaturesCol(), getLabelCol(), getWeightCol(), getValidationIndicatorCol());
        NeuralNetFitting.Fitted fitted;
        try {
            int outputs = vectorLabel ? SchemaChecks.vectorSize(input.rows(), getLabelCol(), "labelCol") : 1;
            int numFeatures = SchemaChecks.vectorSize(input.rows(), getFeaturesCol(), "featuresCol");
            fitted = NeuralNetFitting.fit(input, this, getFeaturesCol(), getLabelCol(), loss, outputs, numFeatures, scaleLabels);
        } finally {
            input.release();
        }
        NeuralNetRegressionModel model = new NeuralNetRegressionModel(uid(), fitted.network(), vectorLabel)
                .withInputColumns(NetworkModelIO.fittedColumns(dataset.schema(), getFeaturesCol(), getLabelCol()));
        model.setSummary(fitted.summary());
        return model;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        SchemaChecks.requireVector(schema, getFeaturesCol(), "featuresCol");
        SchemaChecks.requireNumericOrVector(schema, getLabelCol(), "labelCol");
        if (SchemaChecks.isSet(getWeightCol())) SchemaChecks.requireNumeric(schema, getWeightCol(), "weightCol");
        if (SchemaChecks.isSet(getValidationIndicatorCol())) {
            SchemaChecks.requireBoolean(schema, getValidationIndicatorCol(), "validationIndicatorCol");
        }
        boolean vectorLabel = schema.apply(getLabelCol()).dataType() instanceof VectorUDT;
        return schema.add(getPredictionCol(), vectorLabel ? new VectorUDT() : DataTypes.DoubleType, false);
    }

    @Override
    public NeuralNetRegressor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<NeuralNetRegressor> read() {
        return new DefaultParamsReader<>();
    }

    public static NeuralNetRegressor load(String path) {
        return read().load(path);
    }

    public NeuralNetRegressor setHiddenLayers(int... v) {
        set(hiddenLayers(), v);
        return this;
    }

    public NeuralNetRegressor setActivation(String v) {
        set(activation(), v);
        return this;
    }

    public NeuralNetRegressor setActivations(String... v) {
        set(activations(), v);
        return this;
    }

    public NeuralNetRegressor setLoss(String v) {
        set(loss(), v);
        return this;
    }

    public NeuralNetRegressor setOptimizer(String v) {
        set(optimizer(), v);
        return this;
    }

    public NeuralNetRegressor setStepSize(double v) {
        set(stepSize(), v);
        return this;
    }

    public NeuralNetRegressor setMaxIter(int v) {
        set(maxIter(), v);
        return this;
    }

    public NeuralNetRegressor setBatchSize(int v) {
        set(batchSize(), v);
        return this;
    }

    public NeuralNetRegressor setSeed(long v) {
        set(seed(), v);
        return this;
    }

    public NeuralNetRegressor setTol(double v) {
        set(tol(), v);
        return this;
    }

    public NeuralNetRegressor setInitMode(String v) {
        set(initMode(), v);
        return this;
    }

    public NeuralNetRegressor setInitialModel(String path) {
        set(initialModel(), path);
        return this;
    }

    public NeuralNetRegressor setInitialWeights(Vector v) {
        set(initialWeights(), v);
        return this;
    }

    public NeuralNetRegressor setAggregationDepth(int v) {
        set(aggregationDepth(), v);
        return this;
    }

    public NeuralNetRegressor setBlockSize(int v) {
        set(blockSize(), v);
        return this;
    }

    public NeuralNetRegressor setChunkSize(int v) {
        set(chunkSize(), v);
        return this;
    }

    public NeuralNetRegressor setKeepPartitioning(boolean v) {
        set(keepPartitioning(), v);
        return this;
    }

    public NeuralNetRegressor setValidationIndicatorCol(String v) {
        set(validationIndicatorCol(), v);
        return this;
    }

    public NeuralNetRegressor setWeightCol(String v) {
        set(weightCol(), v);
        return this;
    }

    public NeuralNetRegressor setStandardization(boolean v) {
        set(standardization(), v);
        return this;
    }

    public NeuralNetRegressor setCheckpointDir(String v) {
        set(checkpointDir(), v);
        return this;
    }

    public NeuralNetRegressor setCheckpointInterval(int v) {
        set(checkpointInterval(), v);
        return this;
    }

    public NeuralNetRegressor setStandardizeLabel(boolean v) {
        set(standardizeLabel(), v);
        return this;
    }

    public NeuralNetRegressor setMomentum(double v) {
        set(momentum(), v);
        return this;
    }

    public NeuralNetRegressor setNesterov(boolean v) {
        set(nesterov(), v);
        return this;
    }

    public NeuralNetRegressor setWeightDecay(double v) {
        set(weightDecay(), v);
        return this;
    }

    public NeuralNetRegressor setLrSchedule(String v) {
        set(lrSchedule(), v);
        return this;
    }

    public NeuralNetRegressor setLrDecay(double v) {
        set(lrDecay(), v);
        return this;
    }

    public NeuralNetRegressor setLrDecayEvery(int v) {
        set(lrDecayEvery(), v);
        return this;
    }

    public NeuralNetRegressor setLrMin(double v) {
        set(lrMin(), v);
        return this;
    }

    public NeuralNetRegressor setWarmupEpochs(int v) {
        set(warmupEpochs(), v);
        return this;
    }

    public NeuralNetRegressor setL2(double v) {
        set(l2(), v);
        return this;
    }

    public NeuralNetRegressor setDropout(double v) {
        set(dropout(), v);
        return this;
    }

    /** "double" (default) or "float": the training tasks' products in single precision. */
    public NeuralNetRegressor setPrecision(String v) {
        set(precision(), NeuralNetParams.checkPrecision(v));
        return this;
    }

    public NeuralNetRegressor setClipNorm(double v) {
        set(clipNorm(), v);
        return this;
    }

    public NeuralNetRegressor setLocalSteps(int v) {
        set(localSteps(), v);
        return this;
    }

    public NeuralNetRegressor setEarlyStopping(int v) {
        set(earlyStopping(), v);
        return this;
    }
}
