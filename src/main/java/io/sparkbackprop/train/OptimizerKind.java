package io.sparkbackprop.train;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The optimizers by name, each with its default learning rate. Adding one is a new constant here. */
public enum OptimizerKind {
    SGD(0.01, 0) {
        @Override public Optimizer create(int numParams, double learningRate, Hyper h) {
            return new Sgd(learningRate);
        }
    },
    MOMENTUM(0.01, 1) {
        @Override public Optimizer create(int numParams, double learningRate, Hyper h) {
            return new Momentum(numParams, learningRate, h.momentum(), h.nesterov());
        }
    },
    ADAM(1e-3, 2) {
        @Override public Optimizer create(int numParams, double learningRate, Hyper h) {
            return new Adam(numParams, learningRate);
        }
    },
    ADAMW(1e-3, 2) {
        @Override public Optimizer create(int numParams, double learningRate, Hyper h) {
            return Adam.adamW(numParams, learningRate, h.weightDecay(), h.decayed());
        }
    },
    RMSPROP(1e-3, 1) {
        @Override public Optimizer create(int numParams, double learningRate, Hyper h) {
            return new RmsProp(numParams, learningRate);
        }
    },
    ADAGRAD(0.01, 1) {
        @Override public Optimizer create(int numParams, double learningRate, Hyper h) {
            return new Adagrad(numParams, learningRate);
        }
    };

    /**
     * The settings only some optimizers read: momentum's μ and Nesterov flag, AdamW's decoupled weight decay
     * and which weights it applies to (null: all).
     */
    public record Hyper(double momentum, boolean nesterov, double weightDecay, boolean[] decayed) {
        public static final double DEFAULT_MOMENTUM = 0.9;
        public static final double DEFAULT_WEIGHT_DECAY = 0.01;

        public static Hyper defaults() {
            return new Hyper(DEFAULT_MOMENTUM, false, DEFAULT_WEIGHT_DECAY, null);
        }
    }

    private final double defaultLearningRate;
    private final int slots;

    OptimizerKind(double defaultLearningRate, int slots) {
        this.defaultLearningRate = defaultLearningRate;
        this.slots = slots;
    }

    /** Arrays the size of the weights the optimizer keeps (Adam's two moments, momentum's velocity...). */
    public int slots() {
        return slots;
    }

    public abstract Optimizer create(int numParams, double learningRate, Hyper hyper);

    /** With the default momentum and weight decay. */
    public Optimizer create(int numParams, double learningRate) {
        return create(numParams, learningRate, Hyper.defaults());
    }

    public double defaultLearningRate() {
        return defaultLearningRate;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "sgd, momentum, adam, adamw, rmsprop, adagrad". */
    public static String validIds() {
        return Arrays.stream(values()).map(OptimizerKind::id).collect(Collectors.joining(", "));
    }

    public static OptimizerKind fromId(String id) {
        for (OptimizerKind k : values()) {
            if (k.id().equalsIgnoreCase(id.trim())) return k;
        }
        throw new IllegalArgumentException("unknown optimizer '" + id + "'; valid optimizers: " + validIds());
    }
}
