package io.sparkbackprop.cli;

import picocli.CommandLine.Option;

/** Checkpointing and resuming a run. */
public final class CheckpointOptions {
    @Option(names = "--checkpoint-dir", description = "Write checkpoints (weights, optimizer state, epoch, history) to this "
            + "directory of any Hadoop filesystem (file:, hdfs:, s3a:, ...).")
    String dir;

    @Option(names = "--checkpoint-every", defaultValue = "1", description = "Epochs between checkpoints. Default: ${DEFAULT-VALUE}")
    int every;

    @Option(names = "--resume", description = "Continue from the latest complete checkpoint in --checkpoint-dir up to --epochs "
            + "in all (starts fresh when there is none).")
    boolean resume;

    void validate() {
        if (every <= 0) throw new IllegalArgumentException("--checkpoint-every must be positive, got " + every);
        if (resume && dir == null) throw new IllegalArgumentException("--resume needs --checkpoint-dir");
    }
}
