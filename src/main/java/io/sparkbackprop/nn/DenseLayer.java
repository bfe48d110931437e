package io.sparkbackprop.nn;

import java.io.Serializable;

/**
 * One dense layer of a {@link Topology}: Z = W·A + b, A = g(Z), with W an (outputs × inputs) column-major
 * matrix. Tiny and serializable, it travels in every task; its weights are not here but a view into the
 * network's one flat vector: W at {@link #weightOffset()}, followed by b at {@link #biasOffset()}.
 */
public record DenseLayer(int inputs, int outputs, Activation activation, int weightOffset) implements Serializable {
    public DenseLayer {
        if (inputs <= 0 || outputs <= 0) throw new IllegalArgumentException("a layer needs positive sizes, got " + inputs + " -> " + outputs);
        if (activation == null) throw new IllegalArgumentException("a layer needs an activation");
    }

    public int biasOffset() {
        return weightOffset + outputs * inputs;
    }

    /** Weights and biases: outputs × (inputs + 1). */
    public long numParams() {
        return (long) outputs * (inputs + 1);
    }
}
