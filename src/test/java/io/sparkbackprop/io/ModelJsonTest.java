package io.sparkbackprop.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.nn.Topology;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelJsonTest {

    /** A 2-2-1 network written by hand: W1 = [[1, 2], [3, 4]], b1 = [5, 6], W2 = [[7, 8]], b2 = [9]. */
    static final String HAND_WRITTEN = """
            {"format": "spark-backprop-model", "version": 1, "loss": "mse", "input_size": 2,
             "layers": [
               {"activation": "tanh", "weights": [[1, 2], [3, 4]], "bias": [5, 6]},
               {"activation": "linear", "weights": [[7, 8]], "bias": [9]}
             ]}
            """;

    /** The portable form a numpy or PyTorch user writes by hand: no format, version or input_size; an extra key. */
    static final String PORTABLE = """
            {"loss": "mse", "saved_by": "numpy",
             "layers": [
               {"activation": "tanh", "weights": [[1, 2], [3, 4]], "bias": [5, 6]},
               {"activation": "linear", "weights": [[7, 8]], "bias": [9]}
             ]}
            """;

    @Test
    void thePortableFormReadsWithTheInputSizeFromTheFirstLayer() {
        Network portable = ModelJson.fromJson(PORTABLE, "portable.json");
        assertEquals(2, portable.topology().inputSize());
        // The same network as the full form of the same layers, and numpy's reading of it (computed by hand).
        assertBitIdentical(ModelJson.fromJson(HAND_WRITTEN, "hand.json"), portable);
        double[] x = {0.1, 0.2};
        double expected = 7 * Math.tanh(1 * 0.1 + 2 * 0.2 + 5) + 8 * Math.tanh(3 * 0.1 + 4 * 0.2 + 6) + 9;
        assertEquals(expected, portable.predict(x)[0], 1e-12);
        // Writing keeps every key: the file written back has the format, the version and the input size.
        String written = ModelJson.toJson(portable);
        assertTrue(written.contains("\"format\": \"spark-backprop-model\"") && written.contains("\"version\": 1")
                && written.contains("\"input_size\": 2"), written);
    }

    @Test
    void roundTripThroughAFileIsBitIdentical(@TempDir Path dir) throws IOException {
        Network net = TestModels.threeLayerWithScaling(42);
        Path file = dir.resolve("model.json");
        ModelJson.write(net, file);
        assertBitIdentical(net, ModelJson.read(file));
    }

    @Test
    void roundTripThroughStringsAndStreamsIsBitIdentical() throws IOException {
        Network net = TestModels.threeLayerWithScaling(7);
        assertBitIdentical(net, ModelJson.fromJson(ModelJson.toJson(net), "string"));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelJson.write(net, bytes);
        assertEquals(ModelJson.toJson(net), bytes.toString(StandardCharsets.UTF_8));
        assertBitIdentical(net, ModelJson.read(new ByteArrayInputStream(bytes.toByteArray()), "bytes"));
    }

    @Test
    void roundTripWithoutScalingAndWithFeatureScalingOnly() {
        Network plain = TestModels.classifier(3);
        Network back = ModelJson.fromJson(ModelJson.toJson(plain), "plain");
        assertBitIdentical(plain, back);
        assertNull(back.scaling());

        Scaling featuresOnly = new Scaling(new double[] {1, 2, 3}, new double[] {0.5, 0.25, 4}, null, null);
        Network scaled = new Network(plain.topology(), plain.weights(), featuresOnly);
        Network scaledBack = ModelJson.fromJson(ModelJson.toJson(scaled), "scaled");
        assertBitIdentical(scaled, scaledBack);
        assertFalse(scaledBack.scaling().scalesLabels());
    }

    @Test
    void handWrittenJsonLandsColumnMajorInTheFlatWeights() {
        Network net = ModelJson.fromJson(HAND_WRITTEN, "hand.json");
        Topology t = net.topology();
        assertEquals(new Topology(new int[] {2, 2, 1}, new Activation[] {Activation.TANH, Activation.LINEAR}, Loss.MSE), t);
        // W1 column-major: column 1 is (1, 3), column 2 is (2, 4); then b1, W2, b2.
        assertArrayEquals(new double[] {1, 3, 2, 4, 5, 6, 7, 8, 9}, net.weights());

        double[][] w1 = {{1, 2}, {3, 4}};
        double[] w = net.weights();
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) assertEquals(w1[r][c], w[t.weightOffset(0) + c * 2 + r], "W1[" + r + "][" + c + "]");
        }
        assertEquals(5, w[t.biasOffset(0)]);
        assertEquals(6, w[t.biasOffset(0) + 1]);
        assertEquals(9, w[t.biasOffset(1)]);
    }

    @Test
    void predictionsFollowTheNumpyReadingOfTheFile() {
        // np.array(weights) @ x + bias, layer by layer, computed by hand.
        Network net = ModelJson.fromJson(HAND_WRITTEN, "hand.json");
        double[] x = {0.1, 0.2};
        double z1 = 1 * 0.1 + 2 * 0.2 + 5;
        double z2 = 3 * 0.1 + 4 * 0.2 + 6;
        double expected = 7 * Math.tanh(z1) + 8 * Math.tanh(z2) + 9;
        assertEquals(expected, net.predict(x)[0], 1e-12);
    }

    @Test
    void writtenFileIsPlainJsonWithOneWeightRowPerLine() throws IOException {
        Network net = ModelJson.fromJson(HAND_WRITTEN, "hand.json");
        String json = ModelJson.toJson(net);
        assertTrue(json.contains("\n        [1.0, 2.0],\n        [3.0, 4.0]\n"), json);
        assertTrue(json.contains("\"bias\": [5.0, 6.0]"), json);
        assertTrue(json.endsWith("}\n"));

        JsonNode tree = new ObjectMapper().readTree(json);
        assertEquals("spark-backprop-model", tree.get("format").asText());
        assertEquals(1, tree.get("version").asInt());
        assertEquals("mse", tree.get("loss").asText());
        assertEquals(2, tree.get("input_size").asInt());
        assertEquals("tanh", tree.at("/layers/0/activation").asText());
        assertEquals(4.0, tree.at("/layers/0/weights/1/1").asDouble());
        assertFalse(tree.has("scaling"));
    }

    @Test
    void extraKeysAndNullOptionalsAreIgnored() {
        String json = HAND_WRITTEN.replace("\"version\": 1,", "\"version\": 1, \"comment\": {\"by\": \"numpy\"},")
                .replace("\"bias\": [9]", "\"bias\": [9], \"note\": [1, \"x\", null]")
                .replace("\"input_size\": 2,", "\"input_size\": 2, \"scaling\": null,");
        Network net = ModelJson.fromJson(json, "extra.json");
        assertArrayEquals(new double[] {1, 3, 2, 4, 5, 6, 7, 8, 9}, net.weights());
        assertNull(net.scaling());
    }

    @Test
    void writeRefusesNonFiniteWeightsBeforeCreatingTheFile(@TempDir Path dir) {
        Network net = TestModels.classifier(1);
        net.weights()[net.topology().biasOffset(0) + 2] = Double.NaN;
        Path file = dir.resolve("model.json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelJson.write(net, file));
        assertEquals("cannot write the model: layer 1 bias 3 is NaN; model.json holds finite numbers only "
                + "(did training diverge?)", e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void readingAMissingFileIsAFormatException(@TempDir Path dir) {
        Path file = dir.resolve("nope.json");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelJson.read(file));
        assertEquals(file + ": no such file", e.getMessage());
    }

    @Test
    void theSourceNameDefaultsWhenNoneIsGiven() {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelJson.fromJson("[]", null));
        assertTrue(e.getMessage().startsWith("model: "), e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> ModelJson.fromJson(null, "x.json"));
        assertEquals("x.json: no JSON text (null)", e.getMessage());
    }

    static void assertBitIdentical(Network expected, Network actual) {
        assertEquals(expected.topology(), actual.topology());
        assertBitsEqual(expected.weights(), actual.weights(), "weights");
        Scaling s = expected.scaling();
        Scaling a = actual.scaling();
        assertEquals(s == null, a == null, "scaling presence");
        if (s == null) return;
        assertBitsEqual(s.featureMean(), a.featureMean(), "feature_mean");
        assertBitsEqual(s.featureStd(), a.featureStd(), "feature_std");
        assertEquals(s.scalesLabels(), a.scalesLabels(), "label scaling presence");
        if (s.scalesLabels()) {
            assertBitsEqual(s.labelMean(), a.labelMean(), "label_mean");
            assertBitsEqual(s.labelStd(), a.labelStd(), "label_std");
        }
    }

    private static void assertBitsEqual(double[] expected, double[] actual, String what) {
        assertArrayEquals(bits(expected), bits(actual), what);
    }

    private static long[] bits(double[] values) {
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
