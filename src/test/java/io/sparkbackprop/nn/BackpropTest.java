package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.ReferenceNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BackpropTest {

    /** Every hidden activation with every loss, and every output activation mse allows. */
    static Stream<Arguments> networks() {
        List<Arguments> cases = new ArrayList<>();
        for (String hidden : new String[] {"relu", "sigmoid", "tanh", "linear"}) {
            cases.add(Arguments.of(hidden, "linear", "mse", 2));
            cases.add(Arguments.of(hidden, "sigmoid", "bce", 2));
            cases.add(Arguments.of(hidden, "softmax", "cross-entropy", 3));
        }
        for (String out : new String[] {"relu", "sigmoid", "tanh"}) cases.add(Arguments.of("tanh", out, "mse", 2));
        return cases.stream();
    }

    private record Problem(Topology topology, double[] w, double[] x, double[] y, int m, ReferenceNetwork ref,
                           double[][] xs, double[][] ys) {
    }

    private static Problem problem(String hidden, String output, String lossId, int k, long seed) {
        int[] sizes = {4, 5, 3, k};
        Activation[] acts = {Activation.fromId(hidden), Activation.fromId(hidden), Activation.fromId(output)};
        Topology t = new Topology(sizes, acts, Loss.fromId(lossId));
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = new double[t.numParams()];
        for (int i = 0; i < w.length; i++) w[i] = rng.nextGaussian() * 0.7;
        int m = 7;
        int lw = t.labelWidth();
        double[] x = new double[4 * m];
        double[] y = new double[lw * m];
        double[][] xs = new double[m][4];
        double[][] ys = new double[m][lw];
        for (int j = 0; j < m; j++) {
            for (int i = 0; i < 4; i++) xs[j][i] = x[j * 4 + i] = rng.nextDouble(-2, 2);
            for (int i = 0; i < lw; i++) {
                double v = switch (lossId) {
                    case "cross-entropy" -> rng.nextInt(k);
                    case "bce" -> rng.nextDouble();
                    default -> rng.nextGaussian();
                };
                ys[j][i] = y[j * lw + i] = v;
            }
        }
        ReferenceNetwork ref = new ReferenceNetwork(sizes, new String[] {hidden, hidden, output}, lossId);
        ref.setFlat(w);
        return new Problem(t, w, x, y, m, ref, xs, ys);
    }

    @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
    @MethodSource("networks")
    void gradientMatchesCentralFiniteDifferences(String hidden, String output, String lossId, int k) {
        Problem p = problem(hidden, output, lossId, k, 11);
        // capacity 3 < m = 7 also exercises the chunking of wide blocks
        Workspace ws = new Workspace(p.topology, 3);
        double[] grad = new double[p.w.length];
        new Backprop(p.w, ws).accumulateGradient(p.x, 0, p.y, 0, p.m, grad);
        double h = 1e-6;
        double diffNorm = 0;
        double norm = 0;
        for (int i = 0; i < p.w.length; i++) {
            double[] plus = p.w.clone();
            double[] minus = p.w.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (new Backprop(plus, ws).loss(p.x, 0, p.y, 0, p.m) - new Backprop(minus, ws).loss(p.x, 0, p.y, 0, p.m)) / (2 * h);
            diffNorm += (fd - grad[i]) * (fd - grad[i]);
            norm += fd * fd + grad[i] * grad[i];
        }
        double relError = Math.sqrt(diffNorm) / Math.sqrt(norm);
        assertTrue(norm > 0, "gradient is all zeros");
        assertTrue(relError < 1e-6, "relative error " + relError);
    }

    @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
    @MethodSource("networks")
    void lossAndGradientMatchThePlainReferenceNetwork(String hidden, String output, String lossId, int k) {
        Problem p = problem(hidden, output, lossId, k, 5);
        Workspace ws = new Workspace(p.topology, 4);
        double lossSum = new Backprop(p.w, ws).loss(p.x, 0, p.y, 0, p.m);
        assertEquals(p.ref.cost(p.xs, p.ys), lossSum / p.m, 1e-12 * Math.max(1, lossSum));
        double[] grad = new double[p.w.length];
        double lossFromBackward = new Backprop(p.w, ws).accumulateGradient(p.x, 0, p.y, 0, p.m, grad);
        assertEquals(lossSum, lossFromBackward, 1e-12 * Math.max(1, lossSum));
        double[] refGrad = p.ref.gradient(p.xs, p.ys);
        for (int i = 0; i < grad.length; i++) assertEquals(refGrad[i], grad[i] / p.m, 1e-12, "parameter " + i);
        double[] out = new double[k * p.m];
        new Backprop(p.w, ws).predict(p.x, 0, p.m, out, 0);
        for (int j = 0; j < p.m; j++) {
            double[] expected = p.ref.predict(p.xs[j]);
            for (int r = 0; r < k; r++) assertEquals(expected[r], out[j * k + r], 1e-12);
        }
    }

    @ParameterizedTest(name = "{0} hidden, {1} output, {2}")
    @MethodSource("networks")
    void integerRowWeightsEqualRepeatingRows(String hidden, String output, String lossId, int k) {
        Problem p = problem(hidden, output, lossId, k, 21);
        int[] repeats = {2, 0, 1, 3, 1, 0, 2};
        double[] weights = new double[p.m];
        int total = 0;
        for (int j = 0; j < p.m; j++) {
            weights[j] = repeats[j];
            total += repeats[j];
        }
        int f = 4;
        int lw = p.topology.labelWidth();
        double[] x = new double[total * f];
        double[] y = new double[total * lw];
        int n = 0;
        for (int j = 0; j < p.m; j++) {
            for (int r = 0; r < repeats[j]; r++, n++) {
                System.arraycopy(p.x, j * f, x, n * f, f);
                System.arraycopy(p.y, j * lw, y, n * lw, lw);
            }
        }
        Workspace ws = new Workspace(p.topology, 3);
        double[] weighted = new double[p.w.length];
        double[] repeated = new double[p.w.length];
        double lw1 = new Backprop(p.w, ws).accumulateGradient(p.x, 0, p.y, 0, weights, 0, p.m, weighted, null);
        double lw2 = new Backprop(p.w, ws).accumulateGradient(x, 0, y, 0, total, repeated);
        assertEquals(lw2, lw1, 1e-12 * Math.max(1, Math.abs(lw2)));
        assertEquals(lw2, new Backprop(p.w, ws).loss(p.x, 0, p.y, 0, weights, 0, p.m), 1e-12 * Math.max(1, Math.abs(lw2)));
        for (int i = 0; i < weighted.length; i++) assertEquals(repeated[i], weighted[i], 1e-12, "parameter " + i);
    }
}
