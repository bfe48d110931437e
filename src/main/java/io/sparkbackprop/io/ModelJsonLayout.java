package io.sparkbackprop.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.PrettyPrinter;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;

/**
 * Indents model.json so a person can read it: objects one entry per line, the {@code layers} list and each
 * {@code weights} matrix one element per line, and every array of numbers on a single line. A weight matrix
 * thus reads as its rows, and a large layer costs one line per neuron rather than one per weight.
 * Stateful: use one instance per generator.
 */
final class ModelJsonLayout implements PrettyPrinter {
    /** Arrays whose elements are themselves containers; everything else is a row of numbers. */
    private static final Set<String> ONE_ELEMENT_PER_LINE = Set.of("layers", "weights");
    private static final String INDENT = "  ";

    private final Deque<Boolean> arrayIsMultiLine = new ArrayDeque<>();
    private int depth;

    @Override
    public void writeRootValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw('\n');
    }

    @Override
    public void writeStartObject(JsonGenerator g) throws IOException {
        g.writeRaw('{');
        depth++;
    }

    @Override
    public void beforeObjectEntries(JsonGenerator g) throws IOException {
        newLine(g);
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
        g.writeRaw(',');
        newLine(g);
    }

    @Override
    public void writeEndObject(JsonGenerator g, int entries) throws IOException {
        depth--;
        if (entries > 0) newLine(g);
        g.writeRaw('}');
    }

    @Override
    public void writeStartArray(JsonGenerator g) throws IOException {
        boolean multiLine = isMultiLine(g.getOutputContext());
        arrayIsMultiLine.push(multiLine);
        if (multiLine) depth++;
        g.writeRaw('[');
    }

    @Override
    public void beforeArrayValues(JsonGenerator g) throws IOException {
        if (arrayIsMultiLine.peek()) newLine(g);
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
        g.writeRaw(',');
        if (arrayIsMultiLine.peek()) newLine(g);
        else g.writeRaw(' ');
    }

    @Override
    public void writeEndArray(JsonGenerator g, int values) throws IOException {
        if (arrayIsMultiLine.pop()) {
            depth--;
            if (values > 0) newLine(g);
        }
        g.writeRaw(']');
    }

    /** The generator has already entered the new array, so its parent holds the field name it belongs to. */
    private static boolean isMultiLine(JsonStreamContext array) {
        JsonStreamContext parent = array == null ? null : array.getParent();
        return parent != null && parent.inObject() && ONE_ELEMENT_PER_LINE.contains(parent.getCurrentName());
    }

    private void newLine(JsonGenerator g) throws IOException {
        g.writeRaw('\n');
        for (int i = 0; i < depth; i++) g.writeRaw(INDENT);
    }
}
