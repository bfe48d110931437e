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

    /**
     * The one way an optimizer restores itself: checks that this is {@code name}'s state with one slot per
     * target array, of the same length, copies each slot into its target and returns the updates taken.
     */
    long restoreInto(String name, double[]... targets) {
        if (!optimizer.equals(name)) {
            throw new IllegalArgumentException("the saved optimizer state is " + optimizer + "'s, not " + name + "'s");
        }
        if (slots.length != targets.length) {
            throw new IllegalArgumentException("the saved " + name + " state has " + slots.length + " slots, expected " + targets.length);
        }
        for (int i = 0; i < slots.length; i++) {
            if (slots[i].length != targets[i].length) {
                throw new IllegalArgumentException("the saved " + name + " state is for " + slots[i].length + " weights, not "
                        + targets[i].length);
            }
        }
        for (int i = 0; i < slots.length; i++) System.arraycopy(slots[i], 0, targets[i], 0, targets[i].length);
        return steps;
    }
}
