package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float kernel against the double kernel (itself checked against the plain reference network in
 * {@link BackpropTest}) and against central finite differences of the double loss. Float products carry
 * about 7 significant digits, so the bound is 1e-5 of the gradient's norm where the two kernels meet, 1e-4
 * against finite differences (whose own error is about 1e-7 here).
 */
class FloatKernelTest {
    private static final double FLOAT_BOUND = 1e-5;

    private record Problem(Topology t, double[] w, double[] x, double[] y, double[] rowWeights, long[] keys, int m) {
        static Problem of(String hidden, String output, String lossId, int k, int[] hiddenSizes, int inputs, int m, long seed) {
            int[] sizes = new int[hiddenSizes.length + 2];
            sizes[0] = inputs;
            System.arraycopy(hiddenSizes, 0, sizes, 1, hiddenSizes.length);
            sizes[sizes.length - 1] = k;
            Activation[] acts = new Activation[hiddenSizes.length + 1];
            Arrays.fill(acts, Activation.fromId(hidden));
            acts[hiddenSizes.length] = Activation.fromId(output);
            Topology t = new Topology(sizes, acts, Loss.fromId(lossId));
            SplittableRandom rng = new SplittableRandom(seed);
            double[] w = new double[t.numParams()];
            for (int i = 0; i < w.length; i++) w[i] = rng.nextGaussian() * 0.7 / Math.sqrt(Math.max(1, inputs / 4.0));
            double[] x = new double[inputs * m];
            for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble(-2, 2);
            int lw = t.labelWidth();
            double[] y = new double[lw * m];
            for (int i = 0; i < y.length; i++) {
                y[i] = switch (lossId) {
                    case "cross-entropy" -> rng.nextInt(k);
                    case "bce" -> rng.nextDouble();
                    default -> rng.nextGaussian();
                };
            }
            double[] rowWeights = new double[m];
            for (int j = 0; j < m; j++) rowWeights[j] = rng.nextDouble(0.1, 3);
            long[] keys = new long[m];
            for (int j = 0; j < m; j++) keys[j] = Dropout.rowKey(seed, 1, 2, 3, j);
            return new Problem(t, w, x, y, rowWeights, keys, m);
        }

        /** The small networks of BackpropTest: 4 → 5 → 3 → k, seven rows, in chunks of three. */
        static Problem small(String hidden, String output, String lossId, int k, long seed) {
            return of(hidden, output, lossId, k, new int[] {5, 3}, 4, 7, seed);
        }

        Dropout dropout(double rate) {
            return rate == 0 ? null : new Dropout(rate, keys, 0);
        }

        double[] weights(boolean weighted) {
            return weighted ? rowWeights : null;
        }

        /** {loss, gradient...} of the double kernel. */
        double[] doubleGradient(double[] weights, boolean weighted, double rate, int capacity) {
            double[] grad = new double[t.numParams()];
            double loss = new Backprop(weights, new Workspace(t, capacity)).accumulateGradient(x, 0, y, 0, weights(weighted), 0, m, grad, dropout(rate));
            return withLoss(loss, grad);
        }

        double[] floatGradient(boolean weighted, double rate, int capacity) {
            double[] grad = new double[t.numParams()];
            double loss = new Backprop(w, new Workspace(t, capacity), Precision.FLOAT).accumulateGradient(x, 0, y, 0, weights(weighted), 0, m, grad,
                    dropout(rate));
            return withLoss(loss, grad);
        }

        private static double[] withLoss(double loss, double[] grad) {
            double[] out = new double[grad.length + 1];
            out[0] = loss;
            System.arraycopy(grad, 0, out, 1, grad.length);
            return out;
        }
    }

    /** ‖a − b‖ / ‖b‖ over the gradient entries (index 1 on). */
    private static double relativeGradientError(double[] a, double[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 1; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
        }
        assertTrue(norm > 0, "the reference gradient is all zeros");
        return Math.sqrt(diff / norm);
    }

    @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
    @MethodSource("io.sparkbackprop.nn.BackpropTest#networks")
    void lossAndGradientMatchTheDoubleKernelPlainWeightedAndWithDropout(String hidden, String output, String lossId, int k) {
        Problem p = Problem.small(hidden, output, lossId, k, 31);
        for (boolean weighted : new boolean[] {false, true}) {
            for (double rate : new double[] {0, 0.3}) {
                String what = (weighted ? "row weights" : "unweighted") + ", dropout " + rate;
                double[] expected = p.doubleGradient(p.w, weighted, rate, 3);
                double[] actual = p.floatGradient(weighted, rate, 3);
                assertEquals(expected[0], actual[0], FLOAT_BOUND * Math.abs(expected[0]), "loss, " + what);
                double err = relativeGradientError(actual, expected);
                assertTrue(err <= FLOAT_BOUND, "relative gradient error " + err + ", " + what);
            }
        }
    }

    @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
    @MethodSource("io.sparkbackprop.nn.BackpropTest#networks")
    void gradientMatchesCentralFiniteDifferencesOfTheWeightedThinnedLoss(String hidden, String output, String lossId, int k) {
        Problem p = Problem.small(hidden, output, lossId, k, 41);
        double rate = 0.25;
        double[] actual = p.floatGradient(true, rate, 3);
        double h = 1e-6;
        double[] numeric = new double[actual.length];
        for (int i = 0; i < p.w.length; i++) {
            double[] plus = p.w.clone();
            double[] minus = p.w.clone();
            plus[i] += h;
            minus[i] -= h;
            numeric[i + 1] = (p.doubleGradient(plus, true, rate, 3)[0] - p.doubleGradient(minus, true, rate, 3)[0]) / (2 * h);
        }
        double err = relativeGradientError(actual, numeric);
        assertTrue(err <= 1e-4, "relative error against finite differences " + err);
    }

    @Test
    void aWiderNetworkOverManyChunksStaysWithinFloatRounding() {
        // Long dot products (200 inputs, 64 rows per chunk, 300 rows) are where float rounding adds up.
        Problem p = Problem.of("sigmoid", "softmax", "cross-entropy", 10, new int[] {64, 32}, 200, 300, 5);
        double[] expected = p.doubleGradient(p.w, true, 0.2, 64);
        double[] actual = p.floatGradient(true, 0.2, 64);
        assertEquals(expected[0], actual[0], FLOAT_BOUND * Math.abs(expected[0]), "loss");
        double err = relativeGradientError(actual, expected);
        assertTrue(err <= FLOAT_BOUND, "relative gradient error " + err);
        // ...and it really is float arithmetic: not the double kernel's bits.
        assertTrue(err > 0, "the float kernel returned the double kernel's gradient exactly");
    }

    @Test
    void theKernelAddsToTheGradientBufferAndRepeatsBitForBit() {
        Problem p = Problem.small("tanh", "linear", "mse", 2, 7);
        double[] once = p.floatGradient(true, 0.3, 3);
        double[] twice = new double[p.t.numParams()];
        Backprop kernel = new Backprop(p.w, new Workspace(p.t, 3), Precision.FLOAT);
        double first = kernel.accumulateGradient(p.x, 0, p.y, 0, p.rowWeights, 0, p.m, twice, p.dropout(0.3));
        double second = kernel.accumulateGradient(p.x, 0, p.y, 0, p.rowWeights, 0, p.m, twice, p.dropout(0.3));
        assertEquals(once[0], first, 0.0);
        assertEquals(first, second, 0.0);
        for (int i = 0; i < twice.length; i++) assertEquals(2 * once[i + 1], twice[i], 1e-15 * Math.abs(once[i + 1]), "parameter " + i);
    }

    /** The float kernel sums dW aside over a call's chunks: a call that failed half-way must not leave them to the next. */
    @Test
    void aPassThatFailedHalfWayLeavesNothingBehindOnItsThread() {
        Problem p = Problem.small("sigmoid", "softmax", "cross-entropy", 3, 11);
        double[] expected = p.floatGradient(false, 0, 3);
        Workspace ws = new Workspace(p.t, 3);
        double[] badLabels = p.y.clone();
        badLabels[6] = 7; // the third chunk's row: the first two chunks' dW are summed when it throws
        assertThrows(IllegalArgumentException.class, () -> new Backprop(p.w, ws, Precision.FLOAT)
                .accumulateGradient(p.x, 0, badLabels, 0, null, 0, p.m, new double[p.t.numParams()], null));
        double[] grad = new double[p.t.numParams()];
        double loss = new Backprop(p.w, ws, Precision.FLOAT).accumulateGradient(p.x, 0, p.y, 0, null, 0, p.m, grad, null);
        assertEquals(expected[0], loss, 0.0);
        assertArrayEquals(Arrays.copyOfRange(expected, 1, expected.length), grad, 0.0);
    }

    @Test
    void theDoublePrecisionKernelIsBackpropBitForBit() {
        Problem p = Problem.small("relu", "sigmoid", "bce", 2, 9);
        double[] expected = p.doubleGradient(p.w, true, 0.3, 3);
        double[] grad = new double[p.t.numParams()];
        double loss = Backprop.forThread(p.t, p.w, Precision.DOUBLE, 3).accumulateGradient(p.x, 0, p.y, 0, p.rowWeights, 0, p.m, grad, p.dropout(0.3));
        assertEquals(expected[0], loss, 0.0);
        assertArrayEquals(Arrays.copyOfRange(expected, 1, expected.length), grad, 0.0);
        assertEquals(Precision.FLOAT, Backprop.forThread(p.t, p.w, Precision.FLOAT, 3).precision());
    }

    @Test
    void precisionIdsParseAndABadOneNamesTheValidOnes() {
        assertEquals(Precision.FLOAT, Precision.fromId(" Float "));
        assertEquals(Precision.DOUBLE, Precision.fromId("double"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.fromId("half"));
        assertTrue(e.getMessage().contains("'half'") && e.getMessage().contains("double, float"), e.getMessage());
        assertFalse(Precision.validIds().isEmpty());
    }
}
