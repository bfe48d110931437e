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
    private final int[] offsets;
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
        this.offsets = new int[sizes.length];
        long total = 0;
        for (int l = 0; l < numLayers(); l++) {
            offsets[l] = (int) total;
            total += (long) sizes[l + 1] * (sizes[l] + 1);
            if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("network has more than 2^31 parameters");
        }
        offsets[numLayers()] = (int) total;
        this.numParams = (int) total;
    }

    /** A network with the given hidden layers, all using {@code hidden}; the output activation follows the loss. */
    public static Topology of(int inputs, int[] hiddenSizes, Activation hidden, int outputs, Loss loss) {
        int[] sizes = new int[hiddenSizes.length + 2];
        sizes[0] = inputs;
        System.arraycopy(hiddenSizes, 0, sizes, 1, hiddenSizes.length);
        sizes[sizes.length - 1] = outputs;
        Activation[] acts = new Activation[hiddenSizes.length + 1];
        Arrays.fill(acts, hidden);
        acts[acts.length - 1] = loss.defaultOutput();
        return new Topology(sizes, acts, loss);
    }

    public int numLayers() {
        return activations.length;
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
        return offsets[layer];
    }

    public int biasOffset(int layer) {
        return offsets[layer] + sizes[layer + 1] * sizes[layer];
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

    public int widestLayer() {
        int w = 0;
        for (int s : sizes) w = Math.max(w, s);
        return w;
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
