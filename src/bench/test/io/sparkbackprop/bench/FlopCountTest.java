package io.sparkbackprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Topology;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlopCountTest {
    private static final Topology TINY = Topology.of(3, new int[] {4}, Activation.SIGMOID, 2, Loss.CROSS_ENTROPY);

    @Test
    void tinyTopologyCountedByHand() {
        // 3-4-2. Forward: W1 (4×3)·x = 2·4·3 = 24, W2 (2×4)·a = 2·2·4 = 16 → 40.
        assertEquals(40, FlopCount.forwardPerRow(TINY));
        // Backward: dW2 = 16, dW1 = 24, dA1 = W2ᵀ·dZ2 = 2·4·2 = 16; no gradient for the inputs → 56.
        assertEquals(56, FlopCount.backwardPerRow(TINY));
        assertEquals(96, FlopCount.gradientPerRow(TINY));
    }

    @Test
    void mnistNetworkCountedByHand() {
        Topology t = Topology.of(784, new int[] {128}, Activation.SIGMOID, 10, Loss.CROSS_ENTROPY);
        // 2·(784·128 + 128·10) = 203,264 forward; the same for dW plus 2·128·10 = 2,560 for dA1.
        assertEquals(203_264, FlopCount.forwardPerRow(t));
        assertEquals(409_088, FlopCount.gradientPerRow(t));
    }

    @Test
    void theKernelsProductsOnAChunkAddUpToTheCountPerRow() {
        int m = 7;
        List<FlopCount.Gemm> gemms = FlopCount.gradientGemms(TINY, m);
        // 2 forward, 2 dW, 1 dA (none into the input layer)
        assertEquals(5, gemms.size());
        long sum = gemms.stream().mapToLong(FlopCount.Gemm::flops).sum();
        // 96 per row, counted by hand above.
        assertEquals(96L * m, sum);
        assertEquals(new FlopCount.Gemm("N", "N", 4, m, 3, 1.0), gemms.get(0));
        assertEquals(new FlopCount.Gemm("T", "N", 4, m, 2, 0.0), gemms.get(3));
    }

    @Test
    void theBlasReferenceAcceptsTheShapesAndCountsWholeRounds() {
        List<FlopCount.Gemm> gemms = FlopCount.gradientGemms(TINY, 5);
        long perRound = gemms.stream().mapToLong(FlopCount.Gemm::flops).sum();
        // netlib checks every dimension and leading dimension: a wrong one throws here.
        for (io.sparkbackprop.nn.Precision p : io.sparkbackprop.nn.Precision.values()) {
            double[] r = GemmProbe.timeOnThisThread(gemms, 0.02, 1, dev.ludovic.netlib.blas.BLAS.getInstance(), p);
            assertTrue(r[0] >= perRound && (long) r[0] % perRound == 0, p + ": flops " + r[0]);
            assertTrue(r[1] > 0 && r[2] >= 0.02, p + ": cpu " + r[1] + " s, wall " + r[2] + " s");
        }
    }
}
