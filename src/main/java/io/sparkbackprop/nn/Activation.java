package io.sparkbackprop.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Element-wise activation functions g with their derivatives, applied in place to column-major
 * (n × m) blocks. Softmax is the one column-wise activation; it is only legal on the output layer
 * paired with cross-entropy, whose gradient with respect to Z is taken directly (see {@link Loss}).
 */
public enum Activation {
    RELU {
        @Override void apply(double[] z, double[] a, int len, int rows) {
            Lanes.CPU.relu(z, a, len);
        }
        @Override void multiplyDerivative(double[] z, double[] a, double[] delta, int len) {
            // relu'(0) = 0, as the reference network defines it.
            Lanes.CPU.reluDerivative(z, delta, len);
        }
        @Override void apply(float[] z, float[] a, int len) {
            Lanes.CPU.relu(z, a, len);
        }
        @Override void multiplyDerivative(float[] z, float[] a, float[] delta, int len) {
            Lanes.CPU.reluDerivative(z, delta, len);
        }
    },
    SIGMOID {
        @Override void apply(double[] z, double[] a, int len, int rows) {
            Lanes.CPU.sigmoid(z, a, len);
        }
        @Override void multiplyDerivative(double[] z, double[] a, double[] delta, int len) {
            for (int i = 0; i < len; i++) delta[i] *= a[i] * (1.0 - a[i]);
        }
        @Override void apply(float[] z, float[] a, int len) {
            Lanes.CPU.sigmoid(z, a, len);
        }
        @Override void multiplyDerivative(float[] z, float[] a, float[] delta, int len) {
            for (int i = 0; i < len; i++) delta[i] *= a[i] * (1f - a[i]);
        }
    },
    TANH {
        @Override void apply(double[] z, double[] a, int len, int rows) {
            Lanes.CPU.tanh(z, a, len);
        }
        @Override void multiplyDerivative(double[] z, double[] a, double[] delta, int len) {
            for (int i = 0; i < len; i++) delta[i] *= 1.0 - a[i] * a[i];
        }
        @Override void apply(float[] z, float[] a, int len) {
            Lanes.CPU.tanh(z, a, len);
        }
        @Override void multiplyDerivative(float[] z, float[] a, float[] delta, int len) {
            for (int i = 0; i < len; i++) delta[i] *= 1f - a[i] * a[i];
        }
    },
    LINEAR {
        @Override void apply(double[] z, double[] a, int len, int rows) {
            System.arraycopy(z, 0, a, 0, len);
        }
        @Override void multiplyDerivative(double[] z, double[] a, double[] delta, int len) {
            // g'(z) = 1
        }
        @Override void apply(float[] z, float[] a, int len) {
            System.arraycopy(z, 0, a, 0, len);
        }
        @Override void multiplyDerivative(float[] z, float[] a, float[] delta, int len) {
            // g'(z) = 1
        }
    },
    SOFTMAX {
        @Override void apply(double[] z, double[] a, int len, int rows) {
            for (int col = 0; col < len; col += rows) {
                double max = Double.NEGATIVE_INFINITY;
                for (int r = 0; r < rows; r++) max = Math.max(max, z[col + r]);
                double sum = 0;
                for (int r = 0; r < rows; r++) {
                    double e = Math.exp(z[col + r] - max); // shifted so exp cannot overflow
                    a[col + r] = e;
                    sum += e;
                }
                for (int r = 0; r < rows; r++) a[col + r] /= sum;
            }
        }
        @Override void multiplyDerivative(double[] z, double[] a, double[] delta, int len) {
            throw new UnsupportedOperationException(
                    "softmax is only supported on the output layer with the cross-entropy loss");
        }
    };

    /** a[i] = g(z[i]) for the first {@code len} entries; {@code rows} is the column height. */
    abstract void apply(double[] z, double[] a, int len, int rows);

    /** delta[i] *= g'(z[i]); {@code a} holds g(z), which several derivatives reuse. */
    abstract void multiplyDerivative(double[] z, double[] a, double[] delta, int len);

    /** The same on a float pass's hidden layer (softmax is never one). */
    void apply(float[] z, float[] a, int len) {
        throw new UnsupportedOperationException(id() + " is not a hidden layer's activation");
    }

    void multiplyDerivative(float[] z, float[] a, float[] delta, int len) {
        throw new UnsupportedOperationException(id() + " is not a hidden layer's activation");
    }

    /** The name used on the command line and in model.json. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Activation fromId(String id) {
        for (Activation a : values()) {
            if (a.id().equalsIgnoreCase(id.trim())) return a;
        }
        throw new IllegalArgumentException("unknown activation '" + id + "'; valid activations: "
                + Arrays.stream(values()).map(Activation::id).collect(Collectors.joining(", ")));
    }

    /** Softmax of one vector, in place (what a softmax output layer computes per column). */
    public static void softmaxInPlace(double[] v) {
        SOFTMAX.apply(v, v, v.length, v.length);
    }
}
