package io.sparkbackprop.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code history.json}: a run's settings, timings and per-epoch figures in one file, for tools that want more
 * than history.csv's losses. Numbers are written so they read back to the same double; a figure that was
 * not measured (a test loss on an epoch without evaluation, a regression's accuracy) is {@code null}.
 * <pre>
 * {"format": "spark-backprop-history", "version": 1,
 *  "settings": {"optimizer": "adam", "learning_rate": "0.001", ...},
 *  "timings": {"started": "2026-11-27T10:30:12Z", "training_seconds": 64.2, "total_seconds": 71.9, "steps": 6240,
 *              "rows_per_second": 99700.0},
 *  "best_epoch": null,
 *  "epochs": [{"epoch": 1, "train_loss": 5.1, "test_loss": 3.2, "test_accuracy": null, "seconds": 0.9,
 *              "learning_rate": 0.001}, ...]}
 * </pre>
 */
public final class HistoryJson {
    public static final String FORMAT = "spark-backprop-history";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HistoryJson() {
    }

    /** What a run knows about itself besides its epochs. */
    public record Run(Map<String, String> settings, String started, double trainingSeconds, double totalSeconds, long steps,
                      double rowsPerSecond, int bestEpoch) {
    }

    public static void write(Run run, List<EpochRecord> history, Path file) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("version", 1);
        ObjectNode settings = o.putObject("settings");
        new TreeMap<>(run.settings()).forEach(settings::put);
        ObjectNode timings = o.putObject("timings");
        timings.put("started", run.started());
        put(timings, "training_seconds", run.trainingSeconds());
        put(timings, "total_seconds", run.totalSeconds());
        timings.put("steps", run.steps());
        put(timings, "rows_per_second", run.rowsPerSecond());
        if (run.bestEpoch() > 0) o.put("best_epoch", run.bestEpoch()); else o.putNull("best_epoch");
        ArrayNode epochs = o.putArray("epochs");
        for (EpochRecord r : history) {
            ObjectNode e = epochs.addObject();
            e.put("epoch", r.epoch());
            put(e, "train_loss", r.trainLoss());
            put(e, "test_loss", r.testLoss());
            put(e, "test_accuracy", r.testAccuracy());
            put(e, "seconds", r.seconds());
            put(e, "learning_rate", r.learningRate());
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), o);
    }

    /** The per-epoch figures of a history.json. */
    public static List<EpochRecord> readEpochs(Path file) throws IOException {
        JsonNode o = JSON.readTree(file.toFile());
        if (o == null || !FORMAT.equals(o.path("format").asText())) {
            throw new IOException(file + ": not a spark-backprop history.json (no \"format\": \"" + FORMAT + "\")");
        }
        List<EpochRecord> out = new ArrayList<>();
        for (JsonNode e : o.path("epochs")) {
            out.add(new EpochRecord(e.path("epoch").asInt(), number(e, "train_loss"), number(e, "test_loss"), number(e, "seconds"),
                    number(e, "test_accuracy"), number(e, "learning_rate")));
        }
        return out;
    }

    /** The settings object of a history.json. */
    public static Map<String, String> readSettings(Path file) throws IOException {
        Map<String, String> settings = new TreeMap<>();
        JSON.readTree(file.toFile()).path("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
        return settings;
    }

    private static double number(JsonNode o, String key) {
        JsonNode n = o.get(key);
        return n == null || n.isNull() ? Double.NaN : n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
    }

    /** JSON has no NaN: unmeasured is null; an infinite (diverged) value is kept as a string. */
    private static void put(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) o.putNull(key);
        else if (Double.isInfinite(v)) o.put(key, Double.toString(v));
        else o.put(key, v);
    }
}
