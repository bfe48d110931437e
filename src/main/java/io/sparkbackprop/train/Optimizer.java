package io.sparkbackprop.train;

/**
 * Applies one update to the flat weights given the batch-mean gradient. Implementations keep their state
 * (moments, step count) in arrays laid out like the weights, so it can be checkpointed and restored as is.
 */
public interface Optimizer {
    /** w ← update(w, g); g is the mean gradient of this step's batch and may be overwritten. */
    void step(double[] weights, double[] gradient);
}
