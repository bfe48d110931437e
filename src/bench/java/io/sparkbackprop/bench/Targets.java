package io.sparkbackprop.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The bench's acceptance targets, one key per figure: the resource {@value #RESOURCE} beside this class (in the
 * bench jar; src/bench/resources/io/sparkbackprop/bench, where each key is documented), optionally overridden key by key from a file of the same form ({@code --targets FILE}). A key
 * with an empty value, or left out, is a figure reported without target.
 *
 * @param byKey  the target of each key that has one
 * @param source where they came from, for the report
 */
public record Targets(Map<String, Target> byKey, String source) {
    public static final String RESOURCE = "bench-targets.properties";

    /** Every figure's key, in the order the report lists the figures. */
    public static final List<String> KEYS = List.of(
            "mllib.iteration", "mllib.iteration-float",
            "blas.kernel", "blas.kernel-float", "blas.bundled-vs-java",
            "speedup.cluster",
            "accuracy.adam", "accuracy.local-steps",
            "memory.cache",
            "overhead.step",
            "memory.driver-heap", "memory.executor-heap",
            "levers.native-blas", "levers.work-buffers", "levers.chunk-32", "levers.chunk-128", "levers.chunk-2048", "levers.depth",
            "pytorch.iteration", "pytorch.iteration-float", "pytorch.wide-step", "pytorch.wide-step-float",
            "partitions.two-hundred", "partitions.kept",
            "rows.two-million",
            "scoring.mllib", "scoring.row-by-row", "scoring.products", "scoring.mllib-bound", "scoring.tabular",
            "sparse.steps", "sparse.result-bytes",
            "speedup.two-cores",
            "levers.kryo");

    public Targets {
        byKey = Collections.unmodifiableMap(new LinkedHashMap<>(byKey));
    }

    /** The target of a figure, or null when it has none. */
    public Target get(String key) {
        if (!KEYS.contains(key)) throw new IllegalStateException("no figure has the target key '" + key + "'");
        return byKey.get(key);
    }

    /** The targets the bench jar carries. */
    public static Targets defaults() {
        try (InputStream in = Targets.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the bench's classpath");
            Properties p = new Properties();
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            return new Targets(parse(p, RESOURCE, Map.of()), RESOURCE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }

    /** These targets with the keys a file sets replaced (an empty value removes a target). */
    public Targets overriddenBy(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("--targets " + file + ": no such file");
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return new Targets(parse(p, file.toString(), byKey), file + " over " + source);
    }

    private static Map<String, Target> parse(Properties p, String where, Map<String, Target> base) {
        Map<String, Target> out = new LinkedHashMap<>(base);
        for (String key : p.stringPropertyNames()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(where + ": unknown target key '" + key + "'; keys: " + String.join(", ", KEYS));
            }
            String value = p.getProperty(key).trim();
            if (value.isEmpty()) {
                out.remove(key);
                continue;
            }
            try {
                out.put(key, Target.parse(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + key + ": " + e.getMessage() + " (or nothing, for no target)");
            }
        }
        // In the report's order, whatever the file's.
        Map<String, Target> ordered = new LinkedHashMap<>();
        for (String key : KEYS) {
            if (out.containsKey(key)) ordered.put(key, out.get(key));
        }
        return ordered;
    }
}
