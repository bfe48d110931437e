package io.sparkbackprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each way a model file can be wrong, and the exact message the user gets for it. */
class ModelJsonErrorsTest {
    private static final String GOOD = ModelJsonTest.HAND_WRITTEN;
    private static final String SCALING = "\"scaling\": {\"feature_mean\": [0, 1], \"feature_std\": [1, 2], "
            + "\"label_mean\": [3], \"label_std\": [4]},";

    /** GOOD with one piece of text replaced; fails loudly if the piece is absent, so a case cannot rot. */
    private static String edit(String from, String to) {
        return editOf(GOOD, from, to);
    }

    private static String editOf(String json, String from, String to) {
        if (!json.contains(from)) throw new AssertionError("test setup: '" + from + "' not in " + json);
        return json.replace(from, to);
    }

    private static String withScaling(String scaling) {
        return edit("\"input_size\": 2,", "\"input_size\": 2, " + scaling);
    }

    static Stream<Arguments> badModels() {
        return Stream.of(
                // Not JSON at all, or not one JSON object.
                Arguments.of("truncated", GOOD.substring(0, GOOD.indexOf("[3")),
                        "m.json: not valid JSON at line 3, column 47: Unexpected end-of-input within/between Array "
                                + "entries"),
                Arguments.of("a stray character", edit("\"loss\": \"mse\"", "\"loss\": mse"),
                        "m.json: not valid JSON at line 1, column 61: Unrecognized token 'mse': was expecting (JSON "
                                + "String, Number, Array, Object or token 'null', 'true' or 'false')"),
                Arguments.of("a NaN literal", edit("[5, 6]", "[NaN, 6]"),
                        "m.json: not valid JSON at line 3, column 68: Non-standard token 'NaN' (JSON numbers cannot "
                                + "be NaN or infinite)"),
                Arguments.of("trailing text", GOOD + "{}",
                        "m.json: not valid JSON at line 6, column 1: more text after the end of the model object"),
                Arguments.of("a duplicated key", edit("\"loss\": \"mse\",", "\"loss\": \"mse\", \"loss\": \"bce\","),
                        "m.json: not valid JSON at line 1, column 71: Duplicate field 'loss'"),
                Arguments.of("empty text", "  \n", "m.json: the file is empty"),
                Arguments.of("an array at the top", "[1, 2]",
                        "m.json: expected a JSON object at the top level, found an array"),

                // Keys missing or of the wrong type.
                // Without 'input_size' (the portable form) the first layer's first row gives it; then it must be a row.
                Arguments.of("no input size, an empty first row", editOf(ModelJsonTest.PORTABLE, "[[1, 2], [3, 4]]", "[[], [3, 4]]"),
                        "m.json: layer 1 'weights' row 1 is empty; without 'input_size' the first row's length is the number of"
                                + " inputs, so it must be an array of at least one number"),
                Arguments.of("no input size, rows of two lengths", editOf(ModelJsonTest.PORTABLE, "[3, 4]", "[3, 4, 5]"),
                        "m.json: layer 1 'weights' row 2 has 3 numbers, expected 2 (input_size)"),
                Arguments.of("no input size, no first-layer weights", editOf(ModelJsonTest.PORTABLE, "\"weights\": [[1, 2], [3, 4]]",
                        "\"weightz\": [[1, 2], [3, 4]]"), "m.json: layer 1: missing key 'weights'"),
                Arguments.of("another format", edit("spark-backprop-model", "keras"),
                        "m.json: 'format' is a string (\"keras\"), expected \"spark-backprop-model\" (is this a "
                                + "spark-backprop model file?)"),
                Arguments.of("a newer version", edit("\"version\": 1", "\"version\": 2"),
                        "m.json: 'version' 2 is not supported; this reader understands version 1"),
                Arguments.of("no layers", edit("\"layers\"", "\"layerz\""), "m.json: missing key 'layers'"),
                Arguments.of("null loss", edit("\"mse\"", "null"), "m.json: missing key 'loss' (it is null)"),
                Arguments.of("a string input size", edit("\"input_size\": 2", "\"input_size\": \"2\""),
                        "m.json: 'input_size' is a string (\"2\"), expected a positive integer"),
                Arguments.of("a fractional input size", edit("\"input_size\": 2", "\"input_size\": 2.5"),
                        "m.json: 'input_size' is the number 2.5, expected a positive integer"),
                Arguments.of("a zero input size", edit("\"input_size\": 2", "\"input_size\": 0"),
                        "m.json: 'input_size' is the number 0, expected a positive integer"),
                Arguments.of("layers as an object", "{\"format\": \"spark-backprop-model\", \"version\": 1, "
                                + "\"loss\": \"mse\", \"input_size\": 2, \"layers\": {\"first\": {}}}",
                        "m.json: 'layers' is an object, expected an array of layer objects"),
                Arguments.of("an empty layer list", "{\"format\": \"spark-backprop-model\", \"version\": 1, "
                                + "\"loss\": \"mse\", \"input_size\": 2, \"layers\": []}",
                        "m.json: 'layers' is empty; a model needs at least one layer"),
                Arguments.of("a layer that is not an object", edit("{\"activation\": \"linear\", \"weights\": [[7, 8]], "
                                + "\"bias\": [9]}", "7"),
                        "m.json: layer 2 is the number 7, expected an object"),
                Arguments.of("a layer without bias", edit(", \"bias\": [9]", ""), "m.json: layer 2: missing key 'bias'"),
                Arguments.of("a number activation", edit("\"tanh\"", "3"),
                        "m.json: layer 1 'activation' is the number 3, expected a string"),
                Arguments.of("weights as a number", edit("[[7, 8]]", "78"),
                        "m.json: layer 2 'weights' is the number 78, expected an array of rows"),
                Arguments.of("empty weights", edit("[[7, 8]]", "[]"),
                        "m.json: layer 2 'weights' is empty; a layer needs at least one row (one per output)"),
                Arguments.of("a row that is not an array", edit("[[1, 2], [3, 4]]", "[[1, 2], true]"),
                        "m.json: layer 1 'weights' row 2 is the boolean true, expected an array of numbers"),
                Arguments.of("a string weight", edit("[[1, 2]", "[[1, \"2\"]"),
                        "m.json: layer 1 'weights' row 1 entry 2 is a string (\"2\"), expected a number"),
                Arguments.of("a null bias entry", edit("[5, 6]", "[5, null]"),
                        "m.json: layer 1 'bias' entry 2 is null, expected a number"),

                // Sizes that do not fit together.
                Arguments.of("a ragged row", edit("[3, 4]", "[3, 4, 0]"),
                        "m.json: layer 1 'weights' row 2 has 3 numbers, expected 2 (input_size)"),
                Arguments.of("a layer reading the wrong width", edit("[[7, 8]]", "[[7, 8, 9]]"),
                        "m.json: layer 2 'weights' row 1 has 3 numbers, expected 2 (the previous layer's size)"),
                Arguments.of("a short bias", edit("[5, 6]", "[5]"),
                        "m.json: layer 1 'bias' has 1 number, expected 2 (one per row of 'weights')"),

                // Names and numbers the network cannot take.
                Arguments.of("an unknown activation", edit("\"linear\"", "\"swish\""),
                        "m.json: layer 2 'activation': unknown activation 'swish'; valid activations: relu, sigmoid, "
                                + "tanh, linear, softmax"),
                Arguments.of("an unknown loss", edit("\"mse\"", "\"hinge\""),
                        "m.json: 'loss': unknown loss 'hinge'; valid losses: mse, bce, cross-entropy"),
                Arguments.of("an overflowing number", edit("[[7, 8]]", "[[7, 8e999]]"),
                        "m.json: layer 2 'weights' row 1 entry 2 is too large for a double (it reads as Infinity)"),
                Arguments.of("bce without a sigmoid output", edit("\"mse\"", "\"bce\""),
                        "m.json: loss bce needs a sigmoid output layer, got linear"),
                Arguments.of("softmax on a hidden layer", edit("\"tanh\"", "\"softmax\""),
                        "m.json: softmax is only allowed on the output layer (layer 1 has it)"),

                // Scaling.
                Arguments.of("scaling as a list", withScaling("\"scaling\": [],"),
                        "m.json: 'scaling' is an array, expected an object"),
                Arguments.of("scaling without feature_std", withScaling(editOf(SCALING, "\"feature_std\": [1, 2], ", "")),
                        "m.json: scaling: missing key 'feature_std'"),
                Arguments.of("scaling of the wrong width", withScaling(editOf(SCALING, "[0, 1]", "[0, 1, 2]")),
                        "m.json: scaling 'feature_mean' has 3 numbers, expected 2 (input_size)"),
                Arguments.of("a label mean without its std", withScaling(editOf(SCALING, ", \"label_std\": [4]", "")),
                        "m.json: scaling has 'label_mean' without 'label_std'; give both or neither"),
                Arguments.of("a label scaling per feature", withScaling(editOf(SCALING, "[3]", "[3, 3]")),
                        "m.json: scaling 'label_mean' has 2 numbers, expected 1 (the output layer's size)"),
                Arguments.of("a negative deviation", withScaling(editOf(SCALING, "[1, 2]", "[1, -2]")),
                        "m.json: scaling 'feature_std' entry 2 is -2.0; a standard deviation cannot be negative"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badModels")
    void rejectsWithAMessageSayingWhatAndWhere(String problem, String json, String expectedMessage) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelJson.fromJson(json, "m.json"));
        assertEquals(expectedMessage, e.getMessage());
        // The stream reader goes through the same checks and says the same, except that Jackson's byte parser
        // may count a column differently from its text parser.
        ModelFormatException viaStream = assertThrows(ModelFormatException.class,
                () -> ModelJson.read(new ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "m.json"));
        assertEquals(anyColumn(expectedMessage), anyColumn(viaStream.getMessage()));
    }

    private static String anyColumn(String message) {
        return message.replaceAll("column \\d+", "column N");
    }

    @Test
    void topologyComplaintsKeepTheirCause() {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelJson.fromJson(edit("\"mse\"", "\"bce\""), "m.json"));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
    }

    @Test
    void invalidUtf8IsAFormatException() {
        byte[] bytes = GOOD.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        bytes[GOOD.indexOf("tanh") + 1] = (byte) 0xC3; // a two-byte sequence start followed by ASCII
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelJson.read(new ByteArrayInputStream(bytes), "m.json"));
        assertTrue(e.getMessage().startsWith("m.json: not valid JSON at line 3"), e.getMessage());
    }
}
