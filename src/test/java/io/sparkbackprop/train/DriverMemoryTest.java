package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Topology;
import org.junit.jupiter.api.Test;

/** The driver's memory for a network, by its closed form, and the refusal before training that names the numbers. */
class DriverMemoryTest {
    /** HashingTF's default width into the classifier's default layers: 2^18 → 64 → 64 → 2. */
    private static final Topology TEXT = Topology.input(1 << 18).layer(64, Activation.RELU).layer(64, Activation.RELU)
            .output(2, Loss.CROSS_ENTROPY);

    @Test
    void theDriverNeedsItsCopiesOfTheWeightsBesideTheOptimizersSlots() {
        long params = (1L << 18) * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2;
        assertEquals(params, TEXT.numParams());
        // Weights, gradient sum, mean, broadcast value and pieces: 5 copies; sparse steps' patches 2; Adam's 2 slots; 2 local
        // task buffers.
        assertEquals(8 * params * (5 + 2), DriverMemory.bytes(TEXT, OptimizerKind.ADAM, 0, false));
        assertEquals(8 * params * (7 + 2), DriverMemory.bytes(TEXT, OptimizerKind.ADAM, 0, true));
        assertEquals(8 * params * (7 + 0 + 2), DriverMemory.bytes(TEXT, OptimizerKind.SGD, 2, true));
    }

    @Test
    void aNetworkTooLargeForTheDriverIsRefusedWithTheNumbersAndTheRemedies() {
        long need = DriverMemory.bytes(TEXT, OptimizerKind.ADAM, 2, true);
        DriverMemory.check(TEXT, OptimizerKind.ADAM, true, 2, true, need);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DriverMemory.check(TEXT, OptimizerKind.ADAM, true, 2, true, need - 1));
        String m = e.getMessage();
        assertTrue(m.contains("16,781,570 weights") && m.contains("134 MB a copy") && m.contains("11 copies")
                && m.contains("--driver-memory") && m.contains("numFeatures"), m);
        // A cluster's executors have their own heaps: the driver counts only its copies.
        DriverMemory.check(TEXT, OptimizerKind.ADAM, false, 2, true, DriverMemory.bytes(TEXT, OptimizerKind.ADAM, 0, true));
    }
}
