package io.sparkbackprop.train;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The learning rate of every step, a pure function of (epoch, step, steps per epoch, epochs): nothing to
 * save in a checkpoint, so a resumed run takes exactly the rates the uninterrupted one would.
 * <p>
 * An optional linear warm-up comes first: over the first {@code warmupEpochs} epochs the rate climbs step by
 * step from base/(W·S) to base (S steps per epoch). The schedule proper then runs over the remaining
 * epochs as if they were the whole run:
 * <ul>
 * <li>constant: base;</li>
 * <li>step: base · decay^⌊(e−1)/decayEvery⌋, e counting epochs after the warm-up from 1;</li>
 * <li>exponential: base · decay^(e−1);</li>
 * <li>cosine: min + (base − min)·(1 + cos(π·t/T))/2 per step, t the steps taken after the warm-up and T all
 * of them.</li>
 * </ul>
 * Step and exponential decay change the rate at epoch boundaries, cosine and warm-up at every step.
 */
public record LearningRateSchedule(Kind kind, double decay, int decayEvery, double minRate, int warmupEpochs)
        implements Serializable {

    public enum Kind {
        CONSTANT, STEP, EXPONENTIAL, COSINE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind fromId(String id) {
            for (Kind k : values()) {
                if (k.id().equalsIgnoreCase(id.trim())) return k;
            }
            throw new IllegalArgumentException("unknown learning-rate schedule '" + id + "' (--lr-schedule, lrSchedule); valid schedules: " + validIds());
        }

        public static String validIds() {
            return Arrays.stream(values()).map(Kind::id).collect(Collectors.joining(", "));
        }
    }

    /** Step decay halves the rate by default; exponential decay takes 5% off per epoch. */
    public static double defaultDecay(Kind kind) {
        return kind == Kind.EXPONENTIAL ? 0.95 : 0.5;
    }

    public static final int DEFAULT_DECAY_EVERY = 10;

    public LearningRateSchedule {
        if (kind == null) throw new IllegalArgumentException("a learning-rate schedule needs a kind: " + Kind.validIds());
        if (!(decay > 0 && decay <= 1)) throw new IllegalArgumentException("the learning-rate decay (--lr-decay, lrDecay) must be in (0, 1], got " + decay);
        if (decayEvery <= 0) throw new IllegalArgumentException("the learning-rate decay interval (--lr-decay-every, lrDecayEvery) must be at least 1 epoch, got " + decayEvery);
        if (!(minRate >= 0) || Double.isInfinite(minRate)) {
            throw new IllegalArgumentException("the minimum learning rate (--lr-min, lrMin) must be 0 or positive, got " + minRate);
        }
        if (warmupEpochs < 0) throw new IllegalArgumentException("warm-up epochs (--warmup-epochs, warmupEpochs) must be 0 or positive, got " + warmupEpochs);
    }

    /** A constant rate, no warm-up: what a run without schedule options gets. */
    public static LearningRateSchedule constant() {
        return new LearningRateSchedule(Kind.CONSTANT, 0.5, DEFAULT_DECAY_EVERY, 0, 0);
    }

    /** A schedule by name with the kind's default decay when {@code decay} is null. */
    public static LearningRateSchedule of(String kind, Double decay, int decayEvery, double minRate, int warmupEpochs) {
        Kind k = Kind.fromId(kind);
        return new LearningRateSchedule(k, decay != null ? decay : defaultDecay(k), decayEvery, minRate, warmupEpochs);
    }

    /**
     * @param base          the configured learning rate
     * @param epoch         1-based epoch
     * @param step          0-based step within the epoch
     * @param stepsPerEpoch steps in every epoch
     * @param epochs        epochs in the whole run
     */
    public double rate(double base, int epoch, int step, int stepsPerEpoch, int epochs) {
        long s = stepsPerEpoch;
        long t = (epoch - 1) * s + step;
        if (epoch <= warmupEpochs) return base * (t + 1) / (warmupEpochs * s);
        int e = epoch - warmupEpochs;
        return switch (kind) {
            case CONSTANT -> base;
            case STEP -> base * Math.pow(decay, (e - 1) / decayEvery);
            case EXPONENTIAL -> base * Math.pow(decay, e - 1);
            case COSINE -> {
                long after = t - warmupEpochs * s;
                long total = Math.max(1, (epochs - warmupEpochs) * s);
                yield minRate + (base - minRate) * (1 + Math.cos(Math.PI * after / total)) / 2;
            }
        };
    }

    /** Checked against the run's length once it is known. */
    void check(int epochs, double base) {
        if (warmupEpochs >= epochs && warmupEpochs > 0) {
            throw new IllegalArgumentException("a warm-up of " + warmupEpochs + " epochs (--warmup-epochs, warmupEpochs) leaves none of the " + epochs + " epochs to train in");
        }
        if (kind == Kind.COSINE && minRate > base) {
            throw new IllegalArgumentException("the cosine schedule's minimum rate " + minRate + " (--lr-min, lrMin) is above the learning rate " + base);
        }
    }

    /** e.g. "cosine to 0.0 after 2 warm-up epochs", for logs and checkpoint settings. */
    public String describe() {
        String s = switch (kind) {
            case CONSTANT -> "constant";
            case STEP -> "step (×" + decay + " every " + decayEvery + " epochs)";
            case EXPONENTIAL -> "exponential (×" + decay + " per epoch)";
            case COSINE -> "cosine (down to " + minRate + ")";
        };
        return warmupEpochs == 0 ? s : s + " after " + warmupEpochs + " warm-up epochs";
    }
}
