package io.sparkbackprop.io;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Scaling;
import io.sparkbackprop.nn.Topology;
import java.util.SplittableRandom;

/** Networks shared by the io tests. */
final class TestModels {
    private TestModels() {
    }

    /**
     * 4 → 5 relu → 3 tanh → 2 linear, mse, with feature and label scaling. Besides random weights it holds
     * doubles that only survive a text round trip when printed in full: 0.1 + 0.2, -0.0, the smallest
     * subnormal, the largest double, and numbers needing all 17 significant digits.
     */
    static Network threeLayerWithScaling(long seed) {
        Topology t = new Topology(new int[] {4, 5, 3, 2},
                new Activation[] {Activation.RELU, Activation.TANH, Activation.LINEAR}, Loss.MSE);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = new double[t.numParams()];
        for (int i = 0; i < w.length; i++) w[i] = rng.nextGaussian() * Math.pow(10, rng.nextInt(-8, 8));
        double[] awkward = {0.1 + 0.2, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
                1.0 / 3.0, 2.0 / 3.0 * 1e-300, Math.nextUp(1.0), 123456789.12345678};
        System.arraycopy(awkward, 0, w, 3, awkward.length);
        Scaling s = new Scaling(new double[] {0.5, -1.25, 1e-9, 0.1 + 0.7}, new double[] {1.0, 2.5, Math.PI, 1e-5},
                new double[] {Math.E, -0.0}, new double[] {7.0, 0.3});
        return new Network(t, w, s);
    }

    /** A small classifier without scaling: 3 → 4 sigmoid → 3 softmax, cross-entropy. */
    static Network classifier(long seed) {
        Topology t = Topology.of(3, new int[] {4}, Activation.SIGMOID, 3, Loss.CROSS_ENTROPY);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] w = new double[t.numParams()];
        for (int i = 0; i < w.length; i++) w[i] = rng.nextDouble(-1, 1);
        return new Network(t, w);
    }
}
