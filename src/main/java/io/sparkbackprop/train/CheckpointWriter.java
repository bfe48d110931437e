package io.sparkbackprop.train;

import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.nn.Topology;
import java.util.Map;
import java.util.function.Supplier;

/** Writes a checkpoint every N epochs (and never a half-written one: see {@link Checkpoints}). */
public final class CheckpointWriter implements TrainingListener {
    private final Checkpoints checkpoints;
    private final int every;
    private final Topology topology;
    private final Scaling scaling;
    private final Map<String, String> settings;

    public CheckpointWriter(Checkpoints checkpoints, int every, Topology topology, Scaling scaling, Map<String, String> settings) {
        if (every <= 0) throw new IllegalArgumentException("checkpoint interval must be positive, got " + every);
        this.checkpoints = checkpoints;
        this.every = every;
        this.topology = topology;
        this.scaling = scaling;
        this.settings = Map.copyOf(settings);
    }

    @Override
    public void afterEpoch(int epoch, Supplier<TrainingState> state) {
        if (epoch % every == 0) checkpoints.write(state.get(), topology, scaling, settings);
    }

    /** The settings a resumed run must share with the run that wrote the checkpoint. */
    public static Map<String, String> settingsOf(Topology t, TrainingConfig c, TrainingSet train) {
        return Map.of("topology", t.toString(), "seed", Long.toString(c.seed()), "batch_size", Integer.toString(c.batchSize()),
                "optimizer", c.optimizer().id(), "learning_rate", Double.toString(c.learningRate()),
                "partitions", Integer.toString(train.numPartitions()), "rows", Long.toString(train.rows()));
    }
}
