package io.sparkbackprop.io;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.nn.Topology;
import java.io.IOException;

/** Streams a {@link Network} out in the {@link ModelJson} layout. */
final class ModelJsonWriter {
    private ModelJsonWriter() {
    }

    /**
     * JSON has no NaN or infinity, and the reader rejects them, so a network holding one (training diverged)
     * is refused up front with a message that says where, rather than written as a file nobody can load.
     */
    static void requireWritable(Network net) {
        Topology t = net.topology();
        double[] w = net.weights();
        for (int l = 0; l < t.numLayers(); l++) {
            int rows = t.outputsOf(l);
            int cols = t.inputsOf(l);
            for (int c = 0; c < cols; c++) {
                for (int r = 0; r < rows; r++) {
                    double v = w[t.weightOffset(l) + c * rows + r];
                    if (!Double.isFinite(v)) {
                        throw notFinite("layer " + (l + 1) + " weight row " + (r + 1) + " column " + (c + 1), v);
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                double v = w[t.biasOffset(l) + r];
                if (!Double.isFinite(v)) throw notFinite("layer " + (l + 1) + " bias " + (r + 1), v);
            }
        }
        Scaling s = net.scaling();
        if (s != null) {
            requireFinite("feature_mean", s.featureMean());
            requireFinite("feature_std", s.featureStd());
            if (s.scalesLabels()) {
                requireFinite("label_mean", s.labelMean());
                requireFinite("label_std", s.labelStd());
            }
        }
    }

    private static void requireFinite(String name, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) throw notFinite("scaling " + name + " entry " + (i + 1), values[i]);
        }
    }

    private static IllegalArgumentException notFinite(String where, double v) {
        return new IllegalArgumentException("cannot write the model: " + where + " is " + v
                + "; model.json holds finite numbers only (did training diverge?)");
    }

    static void write(Network net, InputColumns columns, JsonGenerator g) throws IOException {
        Topology t = net.topology();
        g.setPrettyPrinter(new ModelJsonLayout());
        g.writeStartObject();
        g.writeStringField("format", ModelJson.FORMAT);
        g.writeNumberField("version", ModelJson.VERSION);
        g.writeStringField("loss", t.loss().id());
        g.writeNumberField("input_size", t.inputSize());
        g.writeArrayFieldStart("layers");
        for (int l = 0; l < t.numLayers(); l++) writeLayer(net, l, g);
        g.writeEndArray();
        if (net.scaling() != null) writeScaling(net.scaling(), g);
        if (columns != null) {
            g.writeObjectFieldStart("input_columns");
            g.writeArrayFieldStart("features");
            for (String name : columns.features()) g.writeString(name);
            g.writeEndArray();
            if (columns.label() != null) g.writeStringField("label", columns.label());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeRaw('\n'); // text files end with a newline
    }

    private static void writeLayer(Network net, int layer, JsonGenerator g) throws IOException {
        Topology t = net.topology();
        double[] w = net.weights();
        int rows = t.outputsOf(layer);
        int cols = t.inputsOf(layer);
        int offset = t.weightOffset(layer);
        g.writeStartObject();
        g.writeStringField("activation", t.activation(layer).id());
        g.writeArrayFieldStart("weights");
        for (int r = 0; r < rows; r++) {
            // W is column-major in memory; the file holds its rows, so walk across columns.
            g.writeStartArray();
            for (int c = 0; c < cols; c++) g.writeNumber(w[offset + c * rows + r]);
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeFieldName("bias");
        g.writeArray(w, t.biasOffset(layer), rows);
        g.writeEndObject();
    }

    private static void writeScaling(Scaling s, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("scaling");
        writeNumbers("feature_mean", s.featureMean(), g);
        writeNumbers("feature_std", s.featureStd(), g);
        if (s.scalesLabels()) {
            writeNumbers("label_mean", s.labelMean(), g);
            writeNumbers("label_std", s.labelStd(), g);
        }
        g.writeEndObject();
    }

    private static void writeNumbers(String name, double[] values, JsonGenerator g) throws IOException {
        g.writeFieldName(name);
        g.writeArray(values, 0, values.length);
    }
}
