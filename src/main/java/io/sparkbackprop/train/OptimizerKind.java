package io.sparkbackprop.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The optimizers by name, each with its default learning rate. Adding one is a new constant here. */
public enum OptimizerKind {
    SGD(0.01) {
        @Override public Optimizer create(int numParams, double learningRate) {
            return new Sgd(learningRate);
        }
    },
    ADAM(1e-3) {
        @Override public Optimizer create(int numParams, double learningRate) {
            return new Adam(numParams, learningRate);
        }
    };

    private final double defaultLearningRate;

    OptimizerKind(double defaultLearningRate) {
        this.defaultLearningRate = defaultLearningRate;
    }

    public abstract Optimizer create(int numParams, double learningRate);

    public double defaultLearningRate() {
        return defaultLearningRate;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OptimizerKind fromId(String id) {
        for (OptimizerKind k : values()) {
            if (k.id().equalsIgnoreCase(id.trim())) return k;
        }
        throw new IllegalArgumentException("unknown optimizer '" + id + "'; valid optimizers: "
                + Arrays.stream(values()).map(OptimizerKind::id).collect(Collectors.joining(", ")));
    }
}
