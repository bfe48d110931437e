package io.sparkbackprop.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkbackprop.io.EpochRecord;
import io.sparkbackprop.io.ModelJson;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.nn.Topology;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training checkpoints in a directory of any Hadoop filesystem. Each is a folder {@code checkpoint-NNNNNN}
 * (N = epochs done) holding model.json (topology, weights, scaling), state.json (epoch, steps, history,
 * tol and early-stopping bookkeeping and the settings that must match to resume), optimizer.bin (the
 * optimizer's slots, raw doubles, so a resume is bit-exact) and, with early stopping, best.bin (the best
 * weights so far, raw doubles). A checkpoint is written under a temporary name and renamed when
 * complete; only then is the previous one deleted, so a crash at any moment leaves a usable checkpoint.
 */
public final class Checkpoints {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final String PREFIX = "checkpoint-";
    private static final String TEMP_PREFIX = "_writing-";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Configuration conf;

    public Checkpoints(String dir, Configuration conf) {
        this.dir = new Path(dir);
        this.conf = conf;
    }

    /** The directory. */
    @Override
    public String toString() {
        return dir.toString();
    }

    /** What a checkpoint restores. */
    public record Saved(Network network, TrainingState state, Map<String, String> settings, String location) {
    }

    /** Writes a checkpoint of the state after epoch {@code state.epoch()} and removes older ones. */
    public void write(TrainingState state, Topology topology, Scaling scaling, Map<String, String> settings) {
        try {
            FileSystem fs = dir.getFileSystem(conf);
            fs.mkdirs(dir);
            Path temp = new Path(dir, TEMP_PREFIX + UUID.randomUUID());
            fs.mkdirs(temp);
            try (OutputStream out = fs.create(new Path(temp, "model.json"), false)) {
                ModelJson.write(new Network(topology, state.weights(), scaling), out);
            }
            try (OutputStream out = fs.create(new Path(temp, "state.json"), false)) {
                JSON.writerWithDefaultPrettyPrinter().writeValue(out, stateJson(state, settings));
            }
            if (state.bestWeights() != null) {
                // Before optimizer.bin, whose presence marks a checkpoint folder complete.
                try (DataOutputStream out = new DataOutputStream(fs.create(new Path(temp, "best.bin"), false))) {
                    writeSlots(out, new double[][] {state.bestWeights()});
                }
            }
            try (DataOutputStream out = new DataOutputStream(fs.create(new Path(temp, "optimizer.bin"), false))) {
                writeSlots(out, state.optimizer() == null ? new double[0][] : state.optimizer().slots());
            }
            Path target = new Path(dir, String.format("%s%06d", PREFIX, state.epoch()));
            if (fs.exists(target)) fs.delete(target, true);
            if (!fs.rename(temp, target)) throw new IOException("could not rename " + temp + " to " + target);
            for (FileStatus old : fs.listStatus(dir)) {
                String name = old.getPath().getName();
                boolean olderCheckpoint = name.startsWith(PREFIX) && !old.getPath().equals(fs.makeQualified(target))
                        && !name.equals(target.getName());
                if (olderCheckpoint || (name.startsWith(TEMP_PREFIX) && !name.equals(temp.getName()))) fs.delete(old.getPath(), true);
            }
            LOG.info("checkpoint after epoch {} written to {}", state.epoch(), target);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a checkpoint to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void writeSlots(DataOutputStream out, double[][] slots) throws IOException {
        out.writeInt(slots.length);
        for (double[] slot : slots) {
            out.writeInt(slot.length);
            for (double v : slot) out.writeDouble(v);
        }
    }

    private static double[][] readSlots(DataInputStream in) throws IOException {
        double[][] slots = new double[in.readInt()][];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new double[in.readInt()];
            for (int j = 0; j < slots[i].length; j++) slots[i][j] = in.readDouble();
        }
        return slots;
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Saved> latest() {
        try {
            FileSystem fs = dir.getFileSystem(conf);
            if (!fs.exists(dir)) return Optional.empty();
            TreeMap<Integer, Path> complete = new TreeMap<>();
            for (FileStatus s : fs.listStatus(dir)) {
                String name = s.getPath().getName();
                if (s.isDirectory() && name.startsWith(PREFIX) && fs.exists(new Path(s.getPath(), "optimizer.bin"))) {
                    try {
                        complete.put(Integer.parseInt(name.substring(PREFIX.length())), s.getPath());
                    } catch (NumberFormatException ignored) {
                        // not one of ours
                    }
                }
            }
            if (complete.isEmpty()) return Optional.empty();
            return Optional.of(read(fs, complete.lastEntry().getValue()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read checkpoints in " + dir + ": " + e.getMessage(), e);
        }
    }

    private Saved read(FileSystem fs, Path cp) throws IOException {
        Network network;
        try (InputStream in = fs.open(new Path(cp, "model.json"))) {
            network = ModelJson.read(in, cp + "/model.json");
        }
        JsonNode s;
        try (InputStream in = fs.open(new Path(cp, "state.json"))) {
            s = JSON.readTree(in);
        }
        double[][] slots;
        try (DataInputStream in = new DataInputStream(fs.open(new Path(cp, "optimizer.bin")))) {
            slots = readSlots(in);
        }
        double[] bestWeights = null;
        Path best = new Path(cp, "best.bin");
        if (fs.exists(best)) {
            try (DataInputStream in = new DataInputStream(fs.open(best))) {
                bestWeights = readSlots(in)[0];
            }
        }
        List<EpochRecord> history = new ArrayList<>();
        for (JsonNode h : s.get("history")) {
            // Checkpoints written before accuracy and learning rate were recorded have four entries.
            history.add(new EpochRecord(h.get(0).asInt(), number(h.get(1)), number(h.get(2)), number(h.get(3)),
                    h.size() > 4 ? number(h.get(4)) : Double.NaN, h.size() > 5 ? number(h.get(5)) : Double.NaN));
        }
        OptimizerState opt = new OptimizerState(s.get("optimizer").asText(), s.get("optimizer_steps").asLong(), slots);
        TrainingState state = new TrainingState(s.get("epoch").asInt(), s.get("steps").asLong(), network.weights(), opt, history,
                number(s.get("best_train_loss")), s.get("epochs_without_progress").asInt(),
                s.has("best_test_loss") ? number(s.get("best_test_loss")) : Double.POSITIVE_INFINITY,
                s.path("best_epoch").asInt(0), bestWeights, s.path("evals_without_improvement").asInt(0));
        Map<String, String> settings = new TreeMap<>();
        s.get("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
        return new Saved(network, state, settings, cp.toString());
    }

    private static ObjectNode stateJson(TrainingState state, Map<String, String> settings) {
        ObjectNode o = JSON.createObjectNode();
        o.put("epoch", state.epoch());
        o.put("steps", state.steps());
        o.put("optimizer", state.optimizer() == null ? "none" : state.optimizer().optimizer());
        o.put("optimizer_steps", state.optimizer() == null ? 0 : state.optimizer().steps());
        putNumber(o, "best_train_loss", state.bestTrainLoss());
        o.put("epochs_without_progress", state.epochsWithoutProgress());
        putNumber(o, "best_test_loss", state.bestTestLoss());
        o.put("best_epoch", state.bestEpoch());
        o.put("evals_without_improvement", state.evalsWithoutImprovement());
        ObjectNode s = o.putObject("settings");
        new TreeMap<>(settings).forEach(s::put);
        ArrayNode history = o.putArray("history");
        for (EpochRecord r : state.history()) {
            ArrayNode row = history.addArray();
            row.add(r.epoch());
            addNumber(row, r.trainLoss());
            addNumber(row, r.testLoss());
            addNumber(row, r.seconds());
            addNumber(row, r.testAccuracy());
            addNumber(row, r.learningRate());
        }
        return o;
    }

    /** JSON has no NaN or infinity: they are stored as strings, finite doubles as round-trip-exact numbers. */
    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v); else o.put(key, Double.toString(v));
    }

    private static void addNumber(ArrayNode a, double v) {
        if (Double.isFinite(v)) a.add(v); else a.add(Double.toString(v));
    }

    private static double number(JsonNode n) {
        return n.isTextual() ? Double.parseDouble(n.asText()) : n.asDouble();
    }

    /** Refuses to resume when the saved run's settings differ from this run's. */
    public static void requireSameSettings(Saved saved, Map<String, String> current) {
        for (Map.Entry<String, String> e : current.entrySet()) {
            String before = saved.settings().get(e.getKey());
            if (before != null && !before.equals(e.getValue())) {
                throw new IllegalArgumentException("the checkpoint in " + saved.location() + " was written with " + e.getKey() + " = "
                        + before + ", this run has " + e.getValue() + "; resume with the same settings or use another checkpoint directory");
            }
        }
    }
}
