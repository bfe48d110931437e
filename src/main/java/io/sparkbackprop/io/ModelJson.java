package io.sparkbackprop.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sparkbackprop.nn.Network;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The portable model file, {@code model.json}: plain JSON a numpy or PyTorch user can load without us.
 * <pre>
 * {"format": "spark-backprop-model", "version": 1, "loss": "mse", "input_size": 10,
 *  "layers": [{"activation": "relu", "weights": [[...n_in numbers], ...n_out rows], "bias": [...n_out]}, ...],
 *  "scaling": {"feature_mean": [...], "feature_std": [...], "label_mean": [...], "label_std": [...]}}
 * </pre>
 * {@code weights} holds W's rows, so {@code np.array(w) @ x + np.array(b)} is the layer's Z; {@code scaling}
 * is optional and so are its {@code label_*} arrays. Doubles are written in full round-trip precision, so
 * writing and reading gives back the same bits. Keys the reader does not know are ignored, which lets other
 * tools annotate the file.
 * <p>
 * The readers throw {@link ModelFormatException} and nothing else, whatever the input: its message names the
 * source and says what is wrong (layers and rows are counted from 1).
 */
public final class ModelJson {
    /** Every model file starts with this marker, so a stray JSON file is recognised as not ours. */
    public static final String FORMAT = "spark-backprop-model";
    /** The layout version this code writes and the newest it reads. */
    public static final int VERSION = 1;

    /** Marks the message of a failure no explicit check caught (see {@link #guarded}). */
    static final String UNEXPECTED = "unexpected problem reading the model: ";

    /** Strict on purpose: a duplicated key or trailing text means the file is damaged, not annotated. */
    private static final ObjectMapper READER = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // The caller owns the stream it hands us; closing it is the caller's business.
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();

    private static final JsonFactory WRITER = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private ModelJson() {
    }

    /** A model file's network and the named input columns it was trained on (null when it does not name them). */
    public record Saved(Network network, InputColumns columns) {
    }

    /** Writes {@code net} to {@code file}, replacing it. Refuses (IllegalArgumentException) non-finite weights. */
    public static void write(Network net, Path file) throws IOException {
        write(net, null, file);
    }

    /** As {@link #write(Network, Path)}, with the input columns it was trained on ({@code input_columns}; null: none). */
    public static void write(Network net, InputColumns columns, Path file) throws IOException {
        ModelJsonWriter.requireWritable(net); // before the file is opened, so a refusal leaves no stub behind
        requireFits(net, columns);
        try (OutputStream out = Files.newOutputStream(file); JsonGenerator g = WRITER.createGenerator(out)) {
            ModelJsonWriter.write(net, columns, g);
        }
    }

    /** Writes {@code net} as UTF-8 JSON to {@code out}, flushing but not closing it. */
    public static void write(Network net, OutputStream out) throws IOException {
        write(net, null, out);
    }

    /** As {@link #write(Network, OutputStream)}, with the input columns it was trained on (null: none). */
    public static void write(Network net, InputColumns columns, OutputStream out) throws IOException {
        ModelJsonWriter.requireWritable(net);
        requireFits(net, columns);
        try (JsonGenerator g = WRITER.createGenerator(out)) {
            ModelJsonWriter.write(net, columns, g);
        }
    }

    private static void requireFits(Network net, InputColumns columns) {
        if (columns != null && columns.features().size() != net.topology().inputSize()) {
            throw new IllegalArgumentException(columns.features().size() + " feature names for a network of " + net.topology().inputSize()
                    + " inputs");
        }
    }

    public static String toJson(Network net) {
        ModelJsonWriter.requireWritable(net);
        Writer text = new StringWriter();
        try (JsonGenerator g = WRITER.createGenerator(text)) {
            ModelJsonWriter.write(net, null, g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a string cannot fail", e);
        }
        return text.toString();
    }

    /** Reads a model file; the path, as given, names the source in error messages. */
    public static Network read(Path file) {
        return readSaved(file).network();
    }

    /** Reads a model file with the input columns it names, if any. */
    public static Saved readSaved(Path file) {
        String source = String.valueOf(file);
        return guarded(source, () -> {
            try (InputStream in = Files.newInputStream(file)) {
                return ModelJsonReader.toSaved(tree(in, source), source);
            } catch (NoSuchFileException e) {
                throw new ModelFormatException(source + ": no such file", e);
            } catch (IOException e) {
                // One exception type for every way a model cannot be loaded keeps the callers simple.
                throw new ModelFormatException(source + ": cannot read the file: " + e, e);
            }
        });
    }

    /** Reads a model with the input columns it names, if any, from {@code in} (not closed). */
    public static Saved readSaved(InputStream in, String sourceName) {
        String source = sourceNameOrDefault(sourceName);
        return guarded(source, () -> {
            try {
                return ModelJsonReader.toSaved(tree(in, source), source);
            } catch (IOException e) {
                throw new ModelFormatException(source + ": cannot read: " + e, e);
            }
        });
    }

    /** Reads a model from {@code in} (not closed); {@code sourceName} names it in error messages. */
    public static Network read(InputStream in, String sourceName) {
        return readSaved(in, sourceName).network();
    }

    public static Network fromJson(String json, String sourceName) {
        String source = sourceNameOrDefault(sourceName);
        return guarded(source, () -> {
            if (json == null) throw new ModelFormatException(source + ": no JSON text (null)");
            try {
                return ModelJsonReader.toSaved(READER.readTree(json), source).network();
            } catch (JsonProcessingException e) {
                throw ModelJsonReader.malformed(source, e);
            }
        });
    }

    private static com.fasterxml.jackson.databind.JsonNode tree(InputStream in, String source) throws IOException {
        try {
            return READER.readTree(in);
        } catch (JsonProcessingException e) {
            throw ModelJsonReader.malformed(source, e);
        }
    }

    /**
     * The last line of defence for the "only ModelFormatException" promise. The reader validates explicitly,
     * so reaching the catch means a check is missing; the message says so, and the fuzz test looks for it.
     */
    private static <T> T guarded(String source, Supplier<T> reading) {
        try {
            return reading.get();
        } catch (ModelFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelFormatException(source + ": " + UNEXPECTED + e, e);
        }
    }

    private static String sourceNameOrDefault(String sourceName) {
        return sourceName == null || sourceName.isBlank() ? "model" : sourceName;
    }
}
