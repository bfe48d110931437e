package io.sparkbackprop.nn;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The shape of a network: layer sizes, one activation per layer and the loss. Small and serializable,
 * it travels inside every task. The weights live apart, in one flat {@code double[]}: layer l owns
 * W_l, an (n_l × n_{l-1}) column-major matrix at {@link #weightOffset(int)}, followed by b_l (n_l values)
 * at {@link #biasOffset(int)}.
 */
public final class Topology implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] sizes;
    private final Activation[] activations;
    private final Loss loss;
    private final DenseLayer[] layers;
    private final int numParams;

    /**
     * @param sizes       input size, then each layer's output size (at least one layer)
     * @param activations one per layer, output layer last
     */
    public Topology(int[] sizes, Activation[] activations, Loss loss) {
        if (sizes.length < 2) throw new IllegalArgumentException("a network needs an input size and at least one layer");
        if (activations.length != sizes.length - 1) {
            throw new IllegalArgumentException("expected " + (sizes.length - 1) + " activations (one per layer, output "
                    + "included), got " + activations.length);
        }
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] <= 0) {
                throw new IllegalArgumentException((i == 0 ? "input size" : "layer " + i + " size") + " must be positive, got " + sizes[i]);
            }
        }
        int last = activations.length - 1;
        for (int l = 0; l < last; l++) {
            if (activations[l] == Activation.SOFTMAX) {
                throw new IllegalArgumentException("softmax is only allowed on the output layer (layer " + (l + 1) + " has it)");
            }
        }
        if (loss.requiredOutput() != null && activations[last] != loss.requiredOutput()) {
            throw new IllegalArgumentException("loss " + loss.id() + " needs a " + loss.requiredOutput().id()
                    + " output layer, got " + activations[last].id());
        }
        if (loss.requiredOutput() == null && activations[last] == Activation.SOFTMAX) {
            throw new IllegalArgumentException("a softmax output layer needs the cross-entropy loss, got " + loss.id());
        }
        if (loss == Loss.CROSS_ENTROPY && sizes[sizes.length - 1] < 2) {
            throw new IllegalArgumentException("cross-entropy needs at least 2 output classes");
        }
        this.sizes = sizes.clone();
        this.activations = activations.clone();
        this.loss = loss;
        this.layers = new DenseLayer[activations.length];
        long total = 0;
        for (int l = 0; l < layers.length; l++) {
            layers[l] = new DenseLayer(sizes[l], sizes[l + 1], activations[l], (int) total);
            total += layers[l].numParams();
            if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("network has more than 2^31 parameters");
        }
        this.numParams = (int) total;
    }

    /** A network with the given hidden layers, all using {@code hidden}; the output activation follows the loss. */
    public static Topology of(int inputs, int[] hiddenSizes, Activation hidden, int outputs, Loss loss) {
        Builder b = input(inputs);
        for (int units : hiddenSizes) b.layer(units, hidden);
        return b.output(outputs, loss);
    }

    /**
     * Starts a network that reads {@code inputs} features; it reads like the math:
     * {@code Topology.input(784).layer(128, RELU).output(10, CROSS_ENTROPY)}.
     */
    public static Builder input(int inputs) {
        return new Builder(inputs);
    }

    /** Hidden layers bottom up, then the output layer, whose activation follows the loss. */
    public static final class Builder {
        private final java.util.List<Integer> sizes = new java.util.ArrayList<>();
        private final java.util.List<Activation> activations = new java.util.ArrayList<>();

        private Builder(int inputs) {
            sizes.add(inputs);
        }

        /** A hidden layer of {@code units} with activation g. */
        public Builder layer(int units, Activation g) {
            sizes.add(units);
            activations.add(g);
            return this;
        }

        /** The output layer, with the loss's own output activation (linear for MSE, sigmoid for BCE, softmax for CE). */
        public Topology output(int units, Loss loss) {
            return output(units, loss.defaultOutput(), loss);
        }

        public Topology output(int units, Activation g, Loss loss) {
            int[] s = new int[sizes.size() + 1];
            for (int i = 0; i < sizes.size(); i++) s[i] = sizes.get(i);
            s[s.length - 1] = units;
            Activation[] acts = activations.toArray(new Activation[activations.size() + 1]);
            acts[acts.length - 1] = g;
            return new Topology(s, acts, loss);
        }
    }

    public int numLayers() {
        return activations.length;
    }

    /** Layer l (0-based), its sizes, activation and place in the flat weights. */
    public DenseLayer layer(int l) {
        return layers[l];
    }

    public java.util.List<DenseLayer> layers() {
        return java.util.List.of(layers);
    }

    public int inputSize() {
        return sizes[0];
    }

    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    /** Input size of layer l (0-based). */
    public int inputsOf(int layer) {
        return sizes[layer];
    }

    /** Output size of layer l (0-based). */
    public int outputsOf(int layer) {
        return sizes[layer + 1];
    }

    public int[] sizes() {
        return sizes.clone();
    }

    public Activation activation(int layer) {
        return activations[layer];
    }

    public Activation[] activations() {
        return activations.clone();
    }

    public Loss loss() {
        return loss;
    }

    public int weightOffset(int layer) {
        return layers[layer].weightOffset();
    }

    public int biasOffset(int layer) {
        return layers[layer].biasOffset();
    }

    public int numParams() {
        return numParams;
    }

    /** True at the flat positions of weight-matrix entries, false at biases: what L2 and weight decay apply to. */
    public boolean[] weightMask() {
        boolean[] mask = new boolean[numParams];
        for (int l = 0; l < numLayers(); l++) {
            java.util.Arrays.fill(mask, weightOffset(l), biasOffset(l), true);
        }
        return mask;
    }

    /** Label values stored per row. */
    public int labelWidth() {
        return loss.labelWidth(outputSize());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Topology t && Arrays.equals(sizes, t.sizes) && Arrays.equals(activations, t.activations) && loss == t.loss;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(sizes) + Arrays.hashCode(activations)) + loss.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(sizes[0]);
        for (int l = 0; l < numLayers(); l++) sb.append(" -> ").append(sizes[l + 1]).append(' ').append(activations[l].id());
        return sb.append(" (").append(loss.id()).append(", ").append(numParams).append(" parameters)").toString();
    }
}
