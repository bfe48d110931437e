package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DropoutTest {

    /** Random weights, inputs, labels and row keys for a network of the given shape. */
    private record Problem(Topology t, double[] w, double[] x, double[] y, long[] keys, int m) {
        static Problem of(Topology t, int m, long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[] w = new double[t.numParams()];
            for (int i = 0; i < w.length; i++) w[i] = rng.nextGaussian() * 0.6;
            double[] x = new double[t.inputSize() * m];
            for (int i = 0; i < x.length; i++) x[i] = rng.nextDouble(-2, 2);
            double[] y = new double[t.labelWidth() * m];
            for (int i = 0; i < y.length; i++) y[i] = rng.nextGaussian();
            long[] keys = new long[m];
            for (int j = 0; j < m; j++) keys[j] = Dropout.rowKey(7, 2, 3, 1, j);
            return new Problem(t, w, x, y, keys, m);
        }

        double lossAt(double[] weights, double rate) {
            return new Backprop(weights, new Workspace(t, 4)).accumulateGradient(x, 0, y, 0, null, 0, m, new double[t.numParams()], new Dropout(rate, keys, 0));
        }
    }

    @Test
    void theLossIsTheThinnedNetworksComputedByHand() {
        // 2 → 3 relu → 1 linear, mse: h = relu(W1 x + b1); kept units are divided by 1 − p, dropped ones are 0.
        Topology t = new Topology(new int[] {2, 3, 1}, new Activation[] {Activation.RELU, Activation.LINEAR}, Loss.MSE);
        Problem p = Problem.of(t, 9, 1);
        double rate = 0.4;
        double expected = 0;
        int keptCount = 0;
        for (int j = 0; j < p.m; j++) {
            double out = p.w[t.biasOffset(1)];
            for (int u = 0; u < 3; u++) {
                double z = p.w[t.biasOffset(0) + u];
                for (int i = 0; i < 2; i++) z += p.w[t.weightOffset(0) + i * 3 + u] * p.x[j * 2 + i]; // column-major W1 (3 × 2)
                double h = Math.max(0, z);
                boolean kept = Dropout.kept(p.keys[j], 0, u, rate);
                keptCount += kept ? 1 : 0;
                out += p.w[t.weightOffset(1) + u] * (kept ? h / (1 - rate) : 0);
            }
            expected += (out - p.y[j]) * (out - p.y[j]);
        }
        assertTrue(keptCount > 0 && keptCount < 27, "the masks keep some units and drop others: " + keptCount);
        assertEquals(expected, p.lossAt(p.w, rate), 1e-12 * expected);
        // Rate 0 is the plain network.
        assertEquals(new Backprop(p.w, new Workspace(t, 4)).loss(p.x, 0, p.y, 0, p.m), p.lossAt(p.w, 0), 0.0);
    }

    @Test
    void theGradientIsTheThinnedNetworksByFiniteDifferences() {
        // Two hidden layers of sigmoid and tanh, whose derivatives read the activations: the mask must not corrupt them.
        Topology t = new Topology(new int[] {4, 6, 5, 2}, new Activation[] {Activation.SIGMOID, Activation.TANH, Activation.LINEAR},
                Loss.MSE);
        Problem p = Problem.of(t, 11, 2);
        double rate = 0.3;
        double[] grad = new double[t.numParams()];
        // Workspace of 4 columns: 11 rows run in three chunks, whose masks must line up with their rows' keys.
        new Backprop(p.w, new Workspace(t, 4)).accumulateGradient(p.x, 0, p.y, 0, null, 0, p.m, grad, new Dropout(rate, p.keys, 0));
        double h = 1e-6;
        double worst = 0;
        for (int i = 0; i < t.numParams(); i++) {
            double[] plus = p.w.clone();
            double[] minus = p.w.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (p.lossAt(plus, rate) - p.lossAt(minus, rate)) / (2 * h);
            double err = Math.abs(numeric - grad[i]) / Math.max(1e-3, Math.abs(numeric) + Math.abs(grad[i]));
            worst = Math.max(worst, err);
        }
        assertTrue(worst < 1e-6, "worst relative error " + worst);
    }

    @Test
    void masksKeepTheExpectedShareAndDependOnEveryPartOfTheKey() {
        int kept = 0;
        int n = 0;
        for (long row = 0; row < 2000; row++) {
            long key = Dropout.rowKey(42, 1, 0, 0, row);
            for (int u = 0; u < 100; u++, n++) kept += Dropout.kept(key, 1, u, 0.3) ? 1 : 0;
        }
        assertEquals(0.7, kept / (double) n, 0.005);
        Set<Long> keys = new HashSet<>();
        keys.add(Dropout.rowKey(42, 1, 0, 0, 5));
        keys.add(Dropout.rowKey(43, 1, 0, 0, 5));
        keys.add(Dropout.rowKey(42, 2, 0, 0, 5));
        keys.add(Dropout.rowKey(42, 1, 1, 0, 5));
        keys.add(Dropout.rowKey(42, 1, 0, 1, 5));
        keys.add(Dropout.rowKey(42, 1, 0, 0, 6));
        assertEquals(6, keys.size(), "seed, epoch, step, partition and row each change the key");
        assertEquals(Dropout.rowKey(42, 1, 0, 0, 5), Dropout.rowKey(42, 1, 0, 0, 5));
    }
}
