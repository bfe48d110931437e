package io.sparkbackprop.nn;

import java.io.Serializable;

/**
 * One dense layer of a {@link Topology}: Z = W·A + b, A = g(Z), with W an (outputs × inputs) column-major
 * matrix. Tiny and serializable, it travels in every task; its weights are not here but a view into the
 * network's one flat vector: W at {@link #weightOffset()}, followed by b at {@link #biasOffset()}.
 * <p>
 * A plain class, not a record: Spark's Kryo (4.x) cannot read a record's fields, and a {@link Network} goes into
 * broadcasts, which Kryo serializes.
 */
public final class DenseLayer implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int inputs;
    private final int outputs;
    private final Activation activation;
    private final int weightOffset;

    public DenseLayer(int inputs, int outputs, Activation activation, int weightOffset) {
        if (inputs <= 0 || outputs <= 0) throw new IllegalArgumentException("a layer needs positive sizes, got " + inputs + " -> " + outputs);
        if (activation == null) throw new IllegalArgumentException("a layer needs an activation");
        this.inputs = inputs;
        this.outputs = outputs;
        this.activation = activation;
        this.weightOffset = weightOffset;
    }

    public int inputs() {
        return inputs;
    }

    public int outputs() {
        return outputs;
    }

    public Activation activation() {
        return activation;
    }

    public int weightOffset() {
        return weightOffset;
    }

    public int biasOffset() {
        return weightOffset + outputs * inputs;
    }

    /** Weights and biases: outputs × (inputs + 1). */
    public long numParams() {
        return (long) outputs * (inputs + 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DenseLayer d && d.inputs == inputs && d.outputs == outputs && d.activation == activation
                && d.weightOffset == weightOffset;
    }

    @Override
    public int hashCode() {
        return ((inputs * 31 + outputs) * 31 + activation.hashCode()) * 31 + weightOffset;
    }

    @Override
    public String toString() {
        return inputs + " -> " + outputs + " " + activation.id();
    }
}
