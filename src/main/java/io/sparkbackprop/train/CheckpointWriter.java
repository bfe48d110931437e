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
        Map<String, String> s = new java.util.TreeMap<>(Map.of("topology", t.toString(), "seed", Long.toString(c.seed()),
                "batch_size", Integer.toString(c.batchSize()), "optimizer", c.optimizer().id(),
                "learning_rate", Double.toString(c.learningRate()), "partitions", Integer.toString(train.numPartitions()),
                "rows", Long.toString(train.rows())));
        // Everything else that shapes the trajectory; a checkpoint written before these existed lacks them and
        // is not held to them.
        s.put("lr_schedule", c.schedule().describe());
        s.put("regularisation", "l2 " + c.l2() + ", dropout " + c.dropout() + ", clip-norm " + c.clipNorm());
        switch (c.optimizer()) {
            case MOMENTUM -> s.put("momentum", c.momentum() + (c.nesterov() ? " nesterov" : ""));
            case ADAMW -> s.put("weight_decay", Double.toString(c.weightDecay()));
            default -> { }
        }
        s.put("early_stopping", Integer.toString(c.earlyStopping()));
        // Local steps average the partitions' models every K steps: another trajectory than K = 1's.
        s.put("local_steps", Integer.toString(c.localSteps()));
        // Float products round differently, so a float run resumed in double (or back) is another trajectory.
        s.put("precision", c.precision().id());
        // Lazy and exact updates of a sparse first layer are different trajectories too (on sparse input only).
        if (c.localSteps() == 1 && train.sparseInput()) s.put("sparse_updates", c.lazySparseUpdates() ? "lazy" : "exact");
        return Map.copyOf(s);
    }
}
