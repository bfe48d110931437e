package io.sparkbackprop.cli;

import io.sparkbackprop.train.LearningRateSchedule;
import io.sparkbackprop.train.TrainingConfig;
import picocli.CommandLine.Option;

/** How training converges: the optimizer's own settings, the learning-rate schedule, regularisation and stopping. */
public final class TrainingOptions {
    @Option(names = "--momentum", defaultValue = "0.9", description = "μ of --optimizer momentum. Default: ${DEFAULT-VALUE}")
    double momentum;

    @Option(names = "--nesterov", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
            description = "Nesterov's form of --optimizer momentum.")
    boolean nesterov;

    @Option(names = "--weight-decay", defaultValue = "0.01",
            description = "Decoupled weight decay λ of --optimizer adamw (weight matrices, not biases). Default: ${DEFAULT-VALUE}")
    double weightDecay;

    @Option(names = "--lr-schedule", defaultValue = "constant",
            description = "constant, step, exponential or cosine. Default: ${DEFAULT-VALUE}")
    String schedule;

    @Option(names = "--lr-decay", description = "Factor of step decay (default 0.5, every --lr-decay-every epochs) or of "
            + "exponential decay (default 0.95, per epoch).")
    Double decay;

    @Option(names = "--lr-decay-every", defaultValue = "10", description = "Epochs between step decays. Default: ${DEFAULT-VALUE}")
    int decayEvery;

    @Option(names = "--lr-min", defaultValue = "0", description = "The rate the cosine schedule ends at. Default: ${DEFAULT-VALUE}")
    double minRate;

    @Option(names = "--warmup-epochs", defaultValue = "0",
            description = "Epochs of linear warm-up to the learning rate before the schedule. Default: ${DEFAULT-VALUE}")
    int warmupEpochs;

    @Option(names = "--l2", defaultValue = "0", description = "L2 penalty λ: adds (λ/2)·ΣW² over the weight matrices to the "
            + "objective. Default: ${DEFAULT-VALUE}")
    double l2;

    @Option(names = "--dropout", defaultValue = "0", paramLabel = "P",
            description = "Drop each hidden unit's output with probability P while training (inverted dropout; off when "
            + "testing and predicting). Default: ${DEFAULT-VALUE}")
    double dropout;

    @Option(names = "--clip-norm", defaultValue = "0",
            description = "Scale a step's gradient down to this Euclidean norm when longer; 0 = no clipping. Default: ${DEFAULT-VALUE}")
    double clipNorm;

    @Option(names = "--early-stopping", defaultValue = "0", paramLabel = "PATIENCE",
            description = "Stop when the test loss has not improved for PATIENCE evaluations and keep the best epoch's "
            + "weights; needs a test set. 0 = off. Default: ${DEFAULT-VALUE}")
    int earlyStopping;

    @Option(names = "--tol", defaultValue = "0", description = "Stop when 3 epochs in a row improve the best train loss by less "
            + "than this fraction; 0 = off. Default: ${DEFAULT-VALUE}")
    double tol;

    @Option(names = "--local-steps", defaultValue = "1", paramLabel = "K",
            description = "Mini-batch steps each partition takes on its own per Spark job, after which the models are "
            + "averaged (parameter averaging); for when the per-job cost dominates small steps. 1 = synchronous, one job per "
            + "step. Needs a --batch-size. Default: ${DEFAULT-VALUE}")
    int localSteps;

    /** The config with these settings; the config checks each, with the message both front doors show. */
    TrainingConfig apply(TrainingConfig c) {
        LearningRateSchedule s = LearningRateSchedule.of(schedule, decay, decayEvery, minRate, warmupEpochs);
        return c.withMomentum(momentum).withNesterov(nesterov).withWeightDecay(weightDecay).withSchedule(s).withL2(l2)
                .withDropout(dropout).withClipNorm(clipNorm).withEarlyStopping(earlyStopping).withTol(tol)
                .withLocalSteps(localSteps);
    }
}
