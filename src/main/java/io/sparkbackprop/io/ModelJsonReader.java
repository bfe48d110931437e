package io.sparkbackprop.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.nn.Topology;
import java.util.Locale;
import java.util.function.Function;

/**
 * Turns a parsed JSON tree into a {@link Network}, checking every key, type, size and number on the way so
 * that each problem becomes a {@link ModelFormatException} naming the source and the place, instead of a
 * NullPointerException or a silently wrong model. Layers, rows and entries are counted from 1.
 */
final class ModelJsonReader {
    private final String source;

    private ModelJsonReader(String source) {
        this.source = source;
    }

    static ModelJson.Saved toSaved(JsonNode root, String source) {
        ModelJsonReader reader = new ModelJsonReader(source);
        Network net = reader.network(root);
        JsonNode columns = root.get("input_columns");
        return new ModelJson.Saved(net, columns == null || columns.isNull() ? null : reader.columns(columns, net.topology().inputSize()));
    }

    /** {"features": [names, one per input], "label": name (optional)}. */
    private InputColumns columns(JsonNode node, int inputs) {
        if (!node.isObject()) throw problem("'input_columns' is " + describe(node) + ", expected an object");
        JsonNode features = required(node, "features", "input_columns");
        if (!features.isArray() || features.size() != inputs) {
            throw problem("input_columns 'features' is " + describe(features) + (features.isArray() ? " of " + features.size() : "")
                    + ", expected an array of " + inputs + " column names (input_size)");
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            JsonNode name = features.get(i);
            if (!name.isTextual()) throw problem("input_columns 'features' entry " + (i + 1) + " is " + describe(name) + ", expected a string");
            names.add(name.textValue());
        }
        if (new java.util.HashSet<>(names).size() != names.size()) throw problem("input_columns 'features' names a column twice");
        JsonNode label = node.get("label");
        if (label != null && !label.isNull() && !label.isTextual()) throw problem("input_columns 'label' is " + describe(label) + ", expected a string");
        try {
            return new InputColumns(names, label == null || label.isNull() ? null : label.textValue());
        } catch (IllegalArgumentException e) {
            throw problem("input_columns: " + e.getMessage(), e);
        }
    }

    /** Jackson's parse errors, reduced to what a user needs: where, and what the parser expected. */
    static ModelFormatException malformed(String source, JsonProcessingException e) {
        StringBuilder msg = new StringBuilder(source).append(": not valid JSON");
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            msg.append(" at line ").append(at.getLineNr()).append(", column ").append(at.getColumnNr());
        }
        String why = plainReason(e.getOriginalMessage());
        if (!why.isEmpty()) msg.append(": ").append(why);
        return new ModelFormatException(msg.toString(), e);
    }

    /** Jackson's wording minus what only makes sense to a Jackson programmer (feature names, Java types). */
    private static String plainReason(String jacksonMessage) {
        if (jacksonMessage == null) return "";
        String why = jacksonMessage.lines().findFirst().orElse("").strip();
        if (why.startsWith("Trailing token")) return "more text after the end of the model object";
        String plain = why.replaceAll("Source: [^\\]]*?; (line: )", "$1") // "[Source: REDACTED (...); line: 1, ...]"
                .replaceAll(":? ?enable `[^`]*` to allow", "")         // "Non-standard token 'NaN': enable `...` to allow"
                .replaceAll(", from `[^`]*`", "");                    // "maximum allowed (1000, from `StreamReadConstraints...`)"
        return why.contains("ALLOW_NON_NUMERIC_NUMBERS") ? plain + " (JSON numbers cannot be NaN or infinite)" : plain;
    }

    private Network network(JsonNode root) {
        if (root == null || root.isMissingNode()) throw problem("the file is empty");
        if (!root.isObject()) throw problem("expected a JSON object at the top level, found " + describe(root));
        checkFormatAndVersion(root);
        Loss loss = parseId(required(root, "loss", ""), "'loss'", Loss::fromId);

        JsonNode layersNode = required(root, "layers", "");
        if (!layersNode.isArray()) throw problem("'layers' is " + describe(layersNode) + ", expected an array of layer objects");
        if (layersNode.isEmpty()) throw problem("'layers' is empty; a model needs at least one layer");
        // The portable form a numpy or PyTorch user writes by hand has no 'input_size': the first layer's rows tell it.
        int inputSize = root.has("input_size") ? positiveInt(required(root, "input_size", ""), "'input_size'")
                : firstLayerWidth(layersNode.get(0));

        int numLayers = layersNode.size();
        int[] sizes = new int[numLayers + 1];
        sizes[0] = inputSize;
        Activation[] activations = new Activation[numLayers];
        double[][][] weightRows = new double[numLayers][][];
        double[][] biases = new double[numLayers][];
        for (int l = 0; l < numLayers; l++) {
            String name = "layer " + (l + 1);
            JsonNode layer = layersNode.get(l);
            if (!layer.isObject()) throw problem(name + " is " + describe(layer) + ", expected an object");
            activations[l] = parseId(required(layer, "activation", name), name + " 'activation'", Activation::fromId);
            String inputsAre = l == 0 ? "(input_size)" : "(the previous layer's size)";
            weightRows[l] = matrix(required(layer, "weights", name), name + " 'weights'", sizes[l], inputsAre);
            sizes[l + 1] = weightRows[l].length;
            biases[l] = numbers(required(layer, "bias", name), name + " 'bias'", sizes[l + 1], "(one per row of 'weights')");
        }

        Topology topology;
        try {
            topology = new Topology(sizes, activations, loss);
        } catch (IllegalArgumentException e) {
            throw problem(e.getMessage(), e);
        }
        double[] flat = flatten(topology, weightRows, biases);
        Scaling scaling = root.hasNonNull("scaling") ? scaling(root.get("scaling"), topology) : null;
        try {
            return new Network(topology, flat, scaling);
        } catch (IllegalArgumentException e) {
            throw problem(e.getMessage(), e);
        }
    }

    /** The inputs of the first layer of a file without 'input_size': the length of its first row of weights. */
    private int firstLayerWidth(JsonNode layer) {
        String what = "layer 1 'weights'";
        if (!layer.isObject()) throw problem("layer 1 is " + describe(layer) + ", expected an object");
        JsonNode weights = required(layer, "weights", "layer 1");
        if (!weights.isArray() || weights.isEmpty()) {
            throw problem(what + " is " + (weights.isArray() ? "empty; a layer needs at least one row (one per output)"
                    : describe(weights) + ", expected an array of rows"));
        }
        JsonNode first = weights.get(0);
        if (!first.isArray() || first.isEmpty()) {
            throw problem(what + " row 1 is " + (first.isArray() ? "empty" : describe(first)) + "; without 'input_size' the first"
                    + " row's length is the number of inputs, so it must be an array of at least one number");
        }
        return first.size();
    }

    /**
     * 'format' and 'version' are optional, so that a hand-written portable file reads (absent means version 1 of this
     * format); when present they must be this format's.
     */
    private void checkFormatAndVersion(JsonNode root) {
        if (root.has("format")) {
            JsonNode format = required(root, "format", "");
            if (!format.isTextual() || !ModelJson.FORMAT.equals(format.textValue())) {
                throw problem("'format' is " + describe(format) + ", expected \"" + ModelJson.FORMAT
                        + "\" (is this a spark-backprop model file?)");
            }
        }
        if (!root.has("version")) return;
        JsonNode version = required(root, "version", "");
        if (!version.isIntegralNumber() || !version.canConvertToInt()) {
            throw problem("'version' is " + describe(version) + ", expected an integer");
        }
        if (version.intValue() != ModelJson.VERSION) {
            throw problem("'version' " + version.intValue() + " is not supported; this reader understands version "
                    + ModelJson.VERSION);
        }
    }

    /** Rows of W, each checked to hold {@code inputs} finite numbers. */
    private double[][] matrix(JsonNode node, String what, int inputs, String inputsAre) {
        if (!node.isArray()) throw problem(what + " is " + describe(node) + ", expected an array of rows");
        if (node.isEmpty()) throw problem(what + " is empty; a layer needs at least one row (one per output)");
        double[][] rows = new double[node.size()][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = numbers(node.get(r), what + " row " + (r + 1), inputs, inputsAre);
        }
        return rows;
    }

    private double[] numbers(JsonNode node, String what, int expected, String expectedIs) {
        if (!node.isArray()) throw problem(what + " is " + describe(node) + ", expected an array of numbers");
        if (node.size() != expected) {
            throw problem(what + " has " + node.size() + (node.size() == 1 ? " number" : " numbers") + ", expected "
                    + expected + " " + expectedIs);
        }
        double[] values = new double[expected];
        for (int i = 0; i < expected; i++) values[i] = finite(node.get(i), what + " entry " + (i + 1));
        return values;
    }

    private double finite(JsonNode node, String what) {
        if (!node.isNumber()) throw problem(what + " is " + describe(node) + ", expected a number");
        double v = node.doubleValue();
        // JSON has no NaN or infinity literals, but a number too large for a double (1e999) reads as infinity.
        if (!Double.isFinite(v)) throw problem(what + " is too large for a double (it reads as " + v + ")");
        return v;
    }

    /** Lays the rows out as the flat vector expects: W column-major at weightOffset, then the bias. */
    private static double[] flatten(Topology t, double[][][] weightRows, double[][] biases) {
        double[] flat = new double[t.numParams()];
        for (int l = 0; l < t.numLayers(); l++) {
            int rows = t.outputsOf(l);
            int offset = t.weightOffset(l);
            for (int r = 0; r < rows; r++) {
                double[] row = weightRows[l][r];
                for (int c = 0; c < row.length; c++) flat[offset + c * rows + r] = row[c];
            }
            System.arraycopy(biases[l], 0, flat, t.biasOffset(l), rows);
        }
        return flat;
    }

    private Scaling scaling(JsonNode node, Topology t) {
        if (!node.isObject()) throw problem("'scaling' is " + describe(node) + ", expected an object");
        String features = "(input_size)";
        double[] featureMean = numbers(required(node, "feature_mean", "scaling"), "scaling 'feature_mean'", t.inputSize(), features);
        double[] featureStd = numbers(required(node, "feature_std", "scaling"), "scaling 'feature_std'", t.inputSize(), features);
        requireNonNegative(featureStd, "scaling 'feature_std'");
        boolean hasMean = node.hasNonNull("label_mean");
        boolean hasStd = node.hasNonNull("label_std");
        if (hasMean != hasStd) {
            throw problem("scaling has '" + (hasMean ? "label_mean" : "label_std") + "' without '"
                    + (hasMean ? "label_std" : "label_mean") + "'; give both or neither");
        }
        if (!hasMean) return new Scaling(featureMean, featureStd, null, null);
        // Predictions are unscaled output by output, so there is one label mean and deviation per output.
        String outputs = "(the output layer's size)";
        double[] labelMean = numbers(node.get("label_mean"), "scaling 'label_mean'", t.outputSize(), outputs);
        double[] labelStd = numbers(node.get("label_std"), "scaling 'label_std'", t.outputSize(), outputs);
        requireNonNegative(labelStd, "scaling 'label_std'");
        return new Scaling(featureMean, featureStd, labelMean, labelStd);
    }

    /**
     * Scaling maps a zero deviation (a constant column) to 1 by design, but a negative one can only come from
     * a damaged or hand-edited file, and quietly replacing it would give wrong predictions.
     */
    private void requireNonNegative(double[] std, String what) {
        for (int i = 0; i < std.length; i++) {
            if (std[i] < 0) throw problem(what + " entry " + (i + 1) + " is " + std[i] + "; a standard deviation cannot be negative");
        }
    }

    private int positiveInt(JsonNode node, String what) {
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() <= 0) {
            throw problem(what + " is " + describe(node) + ", expected a positive integer");
        }
        return node.intValue();
    }

    private <T> T parseId(JsonNode node, String what, Function<String, T> fromId) {
        if (!node.isTextual()) throw problem(what + " is " + describe(node) + ", expected a string");
        try {
            return fromId.apply(node.textValue());
        } catch (IllegalArgumentException e) {
            // fromId's message already lists the valid names.
            throw problem(what + ": " + e.getMessage(), e);
        }
    }

    /** A key that must be present and not null; {@code owner} is "" for the top level, else e.g. "layer 2". */
    private JsonNode required(JsonNode object, String key, String owner) {
        JsonNode value = object.get(key);
        if (value == null || value.isNull()) {
            throw problem((owner.isEmpty() ? "" : owner + ": ") + "missing key '" + key + "'"
                    + (value == null ? "" : " (it is null)"));
        }
        return value;
    }

    /** A short description of a node for messages, e.g. {@code a string ("abc")}; long values are cut. */
    static String describe(JsonNode node) {
        String kind = switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "the number";
            case BOOLEAN -> "the boolean";
            case NULL -> "null";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
        if (node.isContainerNode() || node.isNull()) return kind;
        String text = node.toString();
        if (text.length() > 40) text = text.substring(0, 37) + "...";
        return node.isTextual() ? kind + " (" + text + ")" : kind + " " + text;
    }

    private ModelFormatException problem(String what) {
        return new ModelFormatException(source + ": " + what);
    }

    private ModelFormatException problem(String what, Throwable cause) {
        return new ModelFormatException(source + ": " + what, cause);
    }
}
