package io.sparkbackprop.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The arithmetic of the training tasks' forward/backward pass. Weights, the optimizer, model files and the
 * evaluation passes are double in either mode; FLOAT runs the gradient pass's products as sgemm (about twice
 * the gemm rate, half the memory traffic) and its hidden layers in float, see {@link LayerArithmetic}.
 */
public enum Precision {
    DOUBLE, FLOAT;

    /** The name used on the command line, in job files and in the estimators' {@code precision} Param. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "double, float". */
    public static String validIds() {
        return Arrays.stream(values()).map(Precision::id).collect(Collectors.joining(", "));
    }

    public static Precision fromId(String id) {
        for (Precision p : values()) {
            if (p.id().equalsIgnoreCase(id.trim())) return p;
        }
        throw new IllegalArgumentException("unknown precision '" + id + "'; valid precisions: " + validIds());
    }

    /** The gradient pass's arithmetic in this precision, for the weights w (FLOAT converts them once, here). */
    LayerArithmetic arithmetic(double[] w) {
        return switch (this) {
            case DOUBLE -> LayerArithmetic.DOUBLE;
            case FLOAT -> new LayerArithmetic.Single(w);
        };
    }
}
