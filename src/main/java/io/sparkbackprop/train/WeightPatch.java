package io.sparkbackprop.train;

import java.io.Serializable;

/**
 * What one lazy step changed in the weights: the first layer's columns it updated (their o new values each) and every
 * other parameter (the first layer's biases and the layers above, all updated every step). Applied to the weights
 * before the step, it gives the weights after it, bit for bit.
 */
final class WeightPatch implements Serializable {
    private static final long serialVersionUID = 1L;

    final int[] columns;
    final double[] values;
    final double[] rest;

    WeightPatch(int[] columns, double[] values, double[] rest) {
        this.columns = columns;
        this.values = values;
        this.rest = rest;
    }

    /** The patch of weights {@code w} at these columns (o values each, from offset 0) and after the first layer's weights. */
    static WeightPatch of(double[] w, int[] columns, int o, int firstLayerWeights) {
        double[] values = new double[columns.length * o];
        for (int k = 0; k < columns.length; k++) System.arraycopy(w, columns[k] * o, values, k * o, o);
        return new WeightPatch(columns, values, java.util.Arrays.copyOfRange(w, firstLayerWeights, w.length));
    }

    void applyTo(double[] w) {
        int o = columns.length == 0 ? 0 : values.length / columns.length;
        for (int k = 0; k < columns.length; k++) System.arraycopy(values, k * o, w, columns[k] * o, o);
        System.arraycopy(rest, 0, w, w.length - rest.length, rest.length);
    }

    /** Values it carries: what it costs to ship, against a full copy's {@code numParams}. */
    long size() {
        return values.length + rest.length;
    }

    /** Java serialization writes the {@link Packed} form ({@link DoubleArrays}); Kryo copies the fields. */
    private Object writeReplace() {
        return new Packed(DoubleArrays.pack(columns), DoubleArrays.pack(values), DoubleArrays.pack(rest));
    }

    private static final class Packed implements Serializable {
        private static final long serialVersionUID = 1L;
        private final byte[] columns;
        private final byte[] values;
        private final byte[] rest;

        Packed(byte[] columns, byte[] values, byte[] rest) {
            this.columns = columns;
            this.values = values;
            this.rest = rest;
        }

        private Object readResolve() {
            return new WeightPatch(DoubleArrays.unpackInts(columns), DoubleArrays.unpackDoubles(values), DoubleArrays.unpackDoubles(rest));
        }
    }
}
