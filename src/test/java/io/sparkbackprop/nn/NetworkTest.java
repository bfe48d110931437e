package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import breeze.linalg.DenseMatrix;
import breeze.linalg.DenseVector;
import org.junit.jupiter.api.Test;

class NetworkTest {
    private static final Topology T = new Topology(new int[] {3, 2, 1},
            new Activation[] {Activation.RELU, Activation.LINEAR}, Loss.MSE);

    @Test
    void breezeViewsShareTheFlatWeightsInColumnMajorOrder() {
        double[] w = new double[T.numParams()];
        for (int i = 0; i < w.length; i++) w[i] = i + 1;
        Network net = new Network(T, w);
        DenseMatrix<Object> w1 = net.weightMatrix(0);
        assertEquals(2, w1.rows());
        assertEquals(3, w1.cols());
        // Column-major: W[r][c] = flat[c·rows + r]
        assertEquals(1.0, (double) w1.apply(0, 0));
        assertEquals(2.0, (double) w1.apply(1, 0));
        assertEquals(3.0, (double) w1.apply(0, 1));
        DenseVector<Object> b1 = net.bias(0);
        assertEquals(7.0, (double) b1.apply(0));
        assertEquals(8.0, (double) b1.apply(1));
        assertEquals(10.0, (double) net.weightMatrix(1).apply(0, 1));
        assertEquals(11.0, (double) net.bias(1).apply(0));
        w[T.weightOffset(1)] = -5; // a view, not a copy
        assertEquals(-5.0, (double) net.weightMatrix(1).apply(0, 0));
    }

    @Test
    void predictionUndoesTheLabelScaling() {
        double[] w = new double[T.numParams()];
        // Hidden unit 0 passes x0 through; the output copies it: ŷ_scaled = (x0 − 10)/2.
        w[T.weightOffset(0)] = 1;
        w[T.weightOffset(1)] = 1;
        Scaling s = new Scaling(new double[] {10, 0, 0}, new double[] {2, 1, 1}, new double[] {100}, new double[] {50});
        Network net = new Network(T, w, s);
        // x0 = 14 → scaled 2 → relu 2 → output 2 → label units 2·50 + 100
        assertEquals(200.0, net.predict(new double[] {14, 3, 3})[0], 1e-12);
        // x0 = 6 → scaled −2 → relu 0 → output 0 → 100
        assertEquals(100.0, net.predict(new double[] {6, 3, 3})[0], 1e-12);
    }
}
