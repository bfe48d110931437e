package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Rates of a run of 10 epochs of 4 steps at base rate 0.1, worked out by hand. */
class LearningRateScheduleTest {
    private static final int S = 4;
    private static final int EPOCHS = 10;

    private static double rate(LearningRateSchedule s, int epoch, int step) {
        return s.rate(0.1, epoch, step, S, EPOCHS);
    }

    @Test
    void constantIsTheBaseRateExactly() {
        LearningRateSchedule c = LearningRateSchedule.constant();
        for (int e = 1; e <= EPOCHS; e++) for (int s = 0; s < S; s++) assertEquals(0.1, rate(c, e, s), 0.0);
    }

    @Test
    void stepDecayHalvesEveryThreeEpochs() {
        LearningRateSchedule s = LearningRateSchedule.of("step", 0.5, 3, 0, 0);
        double[] expected = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125};
        for (int e = 1; e <= EPOCHS; e++) assertEquals(expected[e - 1], rate(s, e, 2), 1e-17, "epoch " + e);
    }

    @Test
    void exponentialDecayPerEpoch() {
        LearningRateSchedule s = LearningRateSchedule.of("exponential", 0.9, 1, 0, 0);
        assertEquals(0.1, rate(s, 1, 3), 1e-17);
        assertEquals(0.09, rate(s, 2, 0), 1e-16);
        assertEquals(0.081, rate(s, 3, 1), 1e-16);
        assertEquals(0.95, LearningRateSchedule.of("exponential", null, 1, 0, 0).decay());
        assertEquals(0.5, LearningRateSchedule.of("step", null, 1, 0, 0).decay());
    }

    @Test
    void cosineFromBaseToTheMinimumOverAllSteps() {
        LearningRateSchedule s = LearningRateSchedule.of("cosine", null, 1, 0.01, 0);
        // 40 steps: t = 0 → base; t = 20 → halfway (0.01 + 0.09/2); t = 30 → 0.01 + 0.09·(1 + cos 3π/4)/2.
        assertEquals(0.1, rate(s, 1, 0), 1e-17);
        assertEquals(0.055, rate(s, 6, 0), 1e-15);
        assertEquals(0.01 + 0.09 * (1 - Math.sqrt(0.5)) / 2, rate(s, 8, 2), 1e-15);
        assertTrue(rate(s, 10, 3) > 0.01 && rate(s, 10, 3) < 0.0102);
    }

    @Test
    void linearWarmUpThenTheScheduleOverTheRemainingEpochs() {
        LearningRateSchedule s = LearningRateSchedule.of("cosine", null, 1, 0, 2);
        // Warm-up over 2 epochs = 8 steps: 0.1·1/8, 0.1·2/8, ..., 0.1·8/8.
        assertEquals(0.0125, rate(s, 1, 0), 1e-17);
        assertEquals(0.05, rate(s, 1, 3), 1e-17);
        assertEquals(0.1, rate(s, 2, 3), 1e-17);
        // Then cosine over the 32 steps of epochs 3..10: starts at base, halfway (t' = 16) in epoch 7.
        assertEquals(0.1, rate(s, 3, 0), 1e-17);
        assertEquals(0.05, rate(s, 7, 0), 1e-15);
        LearningRateSchedule stepAfterWarmup = LearningRateSchedule.of("step", 0.5, 2, 0, 1);
        // Epochs after the warm-up count from 1: epochs 2, 3 → 0.1; 4, 5 → 0.05.
        assertEquals(0.1, rate(stepAfterWarmup, 3, 0), 1e-17);
        assertEquals(0.05, rate(stepAfterWarmup, 4, 0), 1e-17);
    }

    @Test
    void badSettingsAreRefusedWithTheValidValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.of("linear", null, 1, 0, 0));
        assertTrue(e.getMessage().contains("valid schedules: constant, step, exponential, cosine"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.of("step", 1.5, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.of("step", 0.5, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().withEpochs(3)
                .withSchedule(LearningRateSchedule.of("constant", null, 1, 0, 3)));
        assertThrows(IllegalArgumentException.class, () -> TrainingConfig.defaults().withLearningRate(0.001)
                .withSchedule(LearningRateSchedule.of("cosine", null, 1, 0.01, 0)));
    }
}
