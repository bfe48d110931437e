package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import org.junit.jupiter.api.Test;

/**
 * What Spark Connect's server does with third-party ML classes (it is not served here, so its steps are re-enacted):
 * it finds them with {@code ServiceLoader} under {@code org.apache.spark.ml.Estimator} and {@code Transformer}, builds
 * an estimator from a uid with {@code getConstructor(String.class)}, and sets each Param from a literal (primitives,
 * strings, arrays of them, vectors, matrices) before calling fit.
 */
class ConnectRegistrationTest {
    private static final List<String> ESTIMATORS = List.of(NeuralNetRegressor.class.getName(), NeuralNetClassifier.class.getName());
    private static final List<String> MODELS = List.of(NeuralNetRegressionModel.class.getName(), NeuralNetClassificationModel.class.getName());
    /** Values for the Params that have no default, each what a Connect client could send. */
    private static final Map<String, Object> WITHOUT_DEFAULT = Map.of("initialModel", "", "initialWeights", Vectors.dense(0.5, -0.5),
            "activations", new String[] {"relu", "tanh"}, "thresholds", new double[] {0.4, 0.6});

    private static List<String> registered(Class<?> service) {
        return ServiceLoader.load(service).stream().map(p -> p.type().getName()).collect(Collectors.toList());
    }

    @Test
    void bothEstimatorsAndBothModelsAreRegisteredForServiceLoader() {
        assertTrue(registered(Estimator.class).containsAll(ESTIMATORS), registered(Estimator.class).toString());
        assertTrue(registered(Transformer.class).containsAll(MODELS), registered(Transformer.class).toString());
        // The server reads the classes (stream(), type()) and builds instances itself; a provider's get() (the no-argument
        // constructor, which Spark's own models also have for Connect) must work for ours too.
        List<String> made = new ArrayList<>();
        ServiceLoader.load(Transformer.class).stream().filter(p -> MODELS.contains(p.type().getName()))
                .forEach(p -> made.add(p.get().getClass().getName()));
        ServiceLoader.load(Estimator.class).stream().filter(p -> ESTIMATORS.contains(p.type().getName()))
                .forEach(p -> made.add(p.get().getClass().getName()));
        assertEquals(List.of(MODELS.get(0), MODELS.get(1), ESTIMATORS.get(0), ESTIMATORS.get(1)), made);
    }

    @Test
    void anEmptyModelFromTheRegistrySaysToFitOrLoadOne() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new NeuralNetClassificationModel().numFeatures());
        assertTrue(e.getMessage().contains("is empty") && e.getMessage().contains("fit a NeuralNetClassifier or load a saved model"),
                e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> new NeuralNetRegressionModel().network());
        assertTrue(e.getMessage().contains("fit a NeuralNetRegressor or load a saved model"), e.getMessage());
    }

    @Test
    void eachEstimatorBuildsFromAUidAndTakesEveryParamAsAConnectLiteral() throws Exception {
        for (String name : ESTIMATORS) {
            Params estimator = (Params) Class.forName(name).getConstructor(String.class).newInstance("connect_" + name.hashCode());
            assertEquals("connect_" + name.hashCode(), estimator.uid());
            for (Param<?> p : estimator.params()) {
                Object value = literalFor(estimator, p);
                @SuppressWarnings("unchecked")
                Param<Object> param = (Param<Object>) p;
                estimator.set(param, value);
                Object back = estimator.getOrDefault(param);
                if (value.getClass().isArray()) {
                    assertEquals(java.util.Arrays.deepToString(new Object[] {value}), java.util.Arrays.deepToString(new Object[] {back}), p.name());
                } else {
                    assertEquals(value, back, name + " " + p.name());
                }
            }
        }
        // Values a client sends for the structure: arrays of ints and strings as Params of those types.
        NeuralNetRegressor r = (NeuralNetRegressor) Class.forName(ESTIMATORS.get(0)).getConstructor(String.class).newInstance("r");
        r.set(r.hiddenLayers(), new int[] {8, 4});
        assertArrayEquals(new int[] {8, 4}, r.getHiddenLayers());
    }

    /** The value a Connect literal of the Param's type gives: its default when it has one, else a sample of its type. */
    private static Object literalFor(Params owner, Param<?> p) {
        if (!(p instanceof IntParam || p instanceof LongParam || p instanceof DoubleParam || p instanceof FloatParam
                || p instanceof BooleanParam || p instanceof IntArrayParam || p instanceof DoubleArrayParam
                || p instanceof StringArrayParam || p.getClass() == Param.class)) {
            fail(owner.getClass().getSimpleName() + "." + p.name() + " is a " + p.getClass().getName() + ": Connect sets only primitive,"
                    + " string, array, vector and matrix Params");
        }
        Object value = owner.hasDefault(p) ? owner.getDefault(p).get() : WITHOUT_DEFAULT.get(p.name());
        if (value == null) fail(owner.getClass().getSimpleName() + "." + p.name() + " has no default and no sample value in this test");
        if (p.getClass() == Param.class && !(value instanceof String || value instanceof Vector || value instanceof Matrix)) {
            fail(owner.getClass().getSimpleName() + "." + p.name() + " holds a " + value.getClass().getName() + ", which Connect cannot send");
        }
        return value;
    }
}
