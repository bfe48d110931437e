package io.sparkbackprop.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/** Seeded weight initialisation schemes, filling the flat weight layout of a {@link Topology}. */
public enum Initializer {
    /** W ~ N(0, 2/n_in), b = 0: keeps relu activations' variance stable. */
    HE("he"),
    /** W ~ N(0, 2/(n_in+n_out)) (Glorot normal), b = 0: for sigmoid, tanh and linear layers. */
    XAVIER("xavier"),
    /** W ~ N(0,1)/√n_out, b ~ N(0,1): the reference numpy network's scheme. */
    SCALED_NORMAL("scaled-normal");

    private final String id;

    Initializer(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public double[] initialize(Topology t, long seed) {
        double[] w = new double[t.numParams()];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int l = 0; l < t.numLayers(); l++) {
            int in = t.inputsOf(l);
            int out = t.outputsOf(l);
            double scale = switch (this) {
                case HE -> Math.sqrt(2.0 / in);
                case XAVIER -> Math.sqrt(2.0 / (in + out));
                case SCALED_NORMAL -> 1.0 / Math.sqrt(out);
            };
            int wOff = t.weightOffset(l);
            for (int i = 0; i < in * out; i++) w[wOff + i] = scale * rng.nextGaussian();
            if (this == SCALED_NORMAL) {
                int bOff = t.biasOffset(l);
                for (int i = 0; i < out; i++) w[bOff + i] = rng.nextGaussian();
            }
        }
        return w;
    }

    /** He for relu hidden layers, Xavier otherwise. */
    public static Initializer defaultFor(Topology t) {
        return t.numLayers() > 1 && t.activation(0) == Activation.RELU ? HE : XAVIER;
    }

    public static Initializer fromId(String id) {
        for (Initializer i : values()) {
            if (i.id.equalsIgnoreCase(id.trim())) return i;
        }
        throw new IllegalArgumentException("unknown init '" + id + "'; valid schemes: "
                + Arrays.stream(values()).map(Initializer::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
