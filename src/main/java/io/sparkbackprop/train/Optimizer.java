package io.sparkbackprop.train;

/**
 * Applies one update to the flat weights given the batch-mean gradient. Implementations keep their state
 * (moments, step count) in arrays laid out like the weights, exposed through {@link #state()} so a
 * checkpoint can save it and {@link #restore} can bring a run back bit for bit.
 * <p>
 * The learning rate is an argument of each step rather than a field, so a schedule can change it from one
 * step to the next without the optimizer knowing about schedules.
 */
public interface Optimizer {
    /** w ← update(w, g) with step size lr; g is the mean gradient of this step's batch and may be overwritten. */
    void step(double[] weights, double[] gradient, double learningRate);

    /**
     * The lazy form of {@link #step}: only the weights at {@code indices} (increasing) and their slots change, every other
     * weight and slot stays as it is (PyTorch's {@code SparseAdam} semantics for the ones left out); the step count
     * advances as in {@code step}. What a sparse first layer's rarely touched columns get.
     */
    void step(double[] weights, double[] gradient, double learningRate, int[] indices);

    /** The learning rate the optimizer was created with (the schedule's base rate). */
    double learningRate();

    /** A copy of the state: updates taken and the per-weight slots (empty for stateless optimizers). */
    OptimizerState state();

    /** Continues from a saved state of the same optimizer and size. */
    void restore(OptimizerState state);
}
