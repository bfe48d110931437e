package io.sparkbackprop.train;

import java.io.Serializable;

/** An optimizer's state: its name, the updates it has taken and its per-weight slots (e.g. Adam's m and v). */
public record OptimizerState(String optimizer, long steps, double[][] slots) implements Serializable {

    public OptimizerState {
        slots = deepCopy(slots);
    }

    @Override
    public double[][] slots() {
        return deepCopy(slots);
    }

    private static double[][] deepCopy(double[][] s) {
        double[][] c = new double[s.length][];
        for (int i = 0; i < s.length; i++) c[i] = s[i].clone();
        return c;
    }

    /** Checks that a state fits an optimizer before it is restored. */
    void requireShape(String name, int slotCount, int numParams) {
        if (!optimizer.equals(name)) {
            throw new IllegalArgumentException("the saved optimizer state is " + optimizer + "'s, not " + name + "'s");
        }
        if (slots.length != slotCount) {
            throw new IllegalArgumentException("the saved " + name + " state has " + slots.length + " slots, expected " + slotCount);
        }
        for (double[] s : slots) {
            if (s.length != numParams) {
                throw new IllegalArgumentException("the saved " + name + " state is for " + s.length + " weights, not " + numParams);
            }
        }
    }
}
