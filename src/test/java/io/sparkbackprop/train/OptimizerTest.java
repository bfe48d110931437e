package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each optimizer against two steps worked out by hand on w0 = (1, −2) with gradients g1 = (0.5, −1) and
 * g2 = (0.2, 0.4); the arithmetic of every expected value is written out below.
 */
class OptimizerTest {
    private static final double[] G1 = {0.5, -1};
    private static final double[] G2 = {0.2, 0.4};

    private static double[][] twoSteps(Optimizer o) {
        double[] w = {1, -2};
        o.step(w, G1.clone(), o.learningRate());
        double[] w1 = w.clone();
        o.step(w, G2.clone(), o.learningRate());
        return new double[][] {w1, w};
    }

    @Test
    void heavyBallMomentum() {
        // v1 = g1 = (0.5, −1); w1 = w0 − 0.1·v1 = (0.95, −1.9)
        // v2 = 0.9·v1 + g2 = (0.65, −0.5); w2 = w1 − 0.1·v2 = (0.885, −1.85)
        double[][] w = twoSteps(new Momentum(2, 0.1, 0.9, false));
        assertArrayEquals(new double[] {0.95, -1.9}, w[0], 1e-15);
        assertArrayEquals(new double[] {0.885, -1.85}, w[1], 1e-15);
    }

    @Test
    void nesterovMomentum() {
        // v1 = (0.5, −1); w1 = w0 − 0.1·(g1 + 0.9·v1) = w0 − 0.1·(0.95, −1.9) = (0.905, −1.81)
        // v2 = (0.65, −0.5); w2 = w1 − 0.1·(g2 + 0.9·v2) = w1 − 0.1·(0.785, −0.05) = (0.8265, −1.805)
        double[][] w = twoSteps(new Momentum(2, 0.1, 0.9, true));
        assertArrayEquals(new double[] {0.905, -1.81}, w[0], 1e-15);
        assertArrayEquals(new double[] {0.8265, -1.805}, w[1], 1e-15);
    }

    @Test
    void adamWDecaysTheWeightsOutsideTheAdaptiveStep() {
        double eps = 1e-8;
        // Step 1: m = 0.1·g1, v = 0.001·g1², bias corrections 0.1 and 0.001, so m̂ = g1, v̂ = g1² = (0.25, 1):
        // w1 = w0 − 0.1·(m̂/(√v̂ + ε) + 0.01·w0)
        double w1a = 1 - 0.1 * (0.5 / (0.5 + eps) + 0.01 * 1);
        double w1b = -2 - 0.1 * (-1 / (1 + eps) + 0.01 * -2);
        // Step 2: m = 0.9·(0.05, −0.1) + 0.1·(0.2, 0.4) = (0.065, −0.05);
        // v = 0.999·(0.00025, 0.001) + 0.001·(0.04, 0.16) = (0.00028975, 0.001159);
        // corrections 1 − 0.9² = 0.19 and 1 − 0.999² = 0.001999.
        double w2a = w1a - 0.1 * ((0.065 / 0.19) / (Math.sqrt(0.00028975 / 0.001999) + eps) + 0.01 * w1a);
        double w2b = w1b - 0.1 * ((-0.05 / 0.19) / (Math.sqrt(0.001159 / 0.001999) + eps) + 0.01 * w1b);
        double[][] w = twoSteps(Adam.adamW(2, 0.1, 0.01, null));
        assertArrayEquals(new double[] {w1a, w1b}, w[0], 1e-14);
        assertArrayEquals(new double[] {w2a, w2b}, w[1], 1e-14);
        // The mask leaves the second weight (a bias, say) undecayed: plain Adam there.
        double[][] masked = twoSteps(Adam.adamW(2, 0.1, 0.01, new boolean[] {true, false}));
        assertEquals(w1a, masked[0][0], 1e-14);
        assertEquals(-2 - 0.1 * (-1 / (1 + eps)), masked[0][1], 1e-14);
        // Without decay AdamW is Adam, bit for bit.
        assertArrayEquals(twoSteps(new Adam(2, 0.1))[1], twoSteps(Adam.adamW(2, 0.1, 0, null))[1], 0.0);
    }

    @Test
    void rmsProp() {
        // s1 = 0.1·g1² = (0.025, 0.1); w1 = w0 − 0.01·g1/(√s1 + ε): each weight moves 0.01·√10 against its gradient.
        // s2 = 0.9·s1 + 0.1·g2² = (0.0265, 0.106); w2 = w1 − 0.01·g2/(√s2 + ε).
        double eps = 1e-8;
        double w1a = 1 - 0.01 * 0.5 / (Math.sqrt(0.025) + eps);
        double w1b = -2 + 0.01 * 1 / (Math.sqrt(0.1) + eps);
        assertEquals(1 - 0.01 * Math.sqrt(10), w1a, 1e-8); // ε moves it by ~2e-9
        double[][] w = twoSteps(new RmsProp(2, 0.01));
        assertArrayEquals(new double[] {w1a, w1b}, w[0], 1e-15);
        assertArrayEquals(new double[] {w1a - 0.01 * 0.2 / (Math.sqrt(0.0265) + eps), w1b - 0.01 * 0.4 / (Math.sqrt(0.106) + eps)},
                w[1], 1e-15);
    }

    @Test
    void adagrad() {
        // G1 = g1² = (0.25, 1); w1 = w0 − 0.1·g1/√G1 = (0.9, −1.9)
        // G2 = G1 + g2² = (0.29, 1.16); w2 = w1 − 0.1·g2/√G2
        double[][] w = twoSteps(new Adagrad(2, 0.1));
        assertArrayEquals(new double[] {0.9, -1.9}, w[0], 1e-9);
        assertArrayEquals(new double[] {0.9 - 0.1 * 0.2 / Math.sqrt(0.29), -1.9 - 0.1 * 0.4 / Math.sqrt(1.16)}, w[1], 1e-9);
    }

    @Test
    void aStepTakesTheLearningRateItIsGiven() {
        // A schedule passes each step's rate: SGD at 0.5 then 0.25.
        Sgd sgd = new Sgd(99);
        double[] w = {1, -2};
        sgd.step(w, G1.clone(), 0.5);
        sgd.step(w, G2.clone(), 0.25);
        assertArrayEquals(new double[] {1 - 0.25 - 0.05, -2 + 0.5 - 0.1}, w, 1e-15);
    }

    @Test
    void everyOptimizersStateRoundTripsBitForBitAndRefusesAStranger() {
        OptimizerKind.Hyper nesterov = new OptimizerKind.Hyper(0.8, true, 0.05, null);
        for (OptimizerKind kind : OptimizerKind.values()) {
            OptimizerKind.Hyper h = kind == OptimizerKind.MOMENTUM ? nesterov : OptimizerKind.Hyper.defaults();
            Optimizer a = kind.create(2, 0.05, h);
            double[] wa = {1, -2};
            a.step(wa, G1.clone(), a.learningRate());
            Optimizer b = kind.create(2, 0.05, h);
            b.restore(a.state());
            double[] wb = wa.clone();
            a.step(wa, G2.clone(), a.learningRate());
            b.step(wb, G2.clone(), b.learningRate());
            assertArrayEquals(wa, wb, 0.0, kind.id());
            assertEquals(a.state().steps(), b.state().steps(), kind.id());
            for (OptimizerKind other : OptimizerKind.values()) {
                if (other == kind) continue;
                assertThrows(IllegalArgumentException.class, () -> other.create(2, 0.05).restore(a.state()),
                        other.id() + " restoring " + kind.id() + "'s state");
            }
            if (kind != OptimizerKind.SGD) {
                assertThrows(IllegalArgumentException.class, () -> kind.create(3, 0.05, h).restore(a.state()), "size, " + kind.id());
            }
        }
    }

    @Test
    void unknownOptimizerListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OptimizerKind.fromId("lbfgs"));
        assertTrue(e.getMessage().contains("valid optimizers: sgd, momentum, adam, adamw, rmsprop, adagrad"), e.getMessage());
        assertEquals(List.of("sgd", "momentum", "adam", "adamw", "rmsprop", "adagrad"),
                java.util.Arrays.stream(OptimizerKind.values()).map(OptimizerKind::id).toList());
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().withNesterov(true));
    }
}
