package io.sparkbackprop.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A block's features in double and, for float runs, in float. */
class BlockTest {
    @Test
    void inSingleRoundsEachFeatureToTheNearestFloatAndKeepsLabelsAndWeights() {
        // 0.1 and 1/3 are not floats; 2^-30 + 2^-55 lies just above the float 2^-30; 2^24 + 1 lies halfway between floats.
        double[] x = {0.1, 1.0 / 3, Math.scalb(1.0, -30) + Math.scalb(1.0, -55), 16_777_217.0, -2.5, 0.0};
        double[] y = {1.0, 2.0, 3.0};
        double[] w = {0.5, 1.0, 2.0};
        Block b = new Block(3, 2, 1, x, y, w);
        Block single = b.inSingle();
        assertTrue(single.single());
        assertFalse(b.single());
        float[] f = single.singleFeatures();
        // The reference: the nearest float is within half a float ulp, and neither float neighbour is nearer.
        for (int i = 0; i < x.length; i++) {
            double err = Math.abs(f[i] - x[i]);
            assertTrue(err <= Math.ulp(f[i]) / 2.0, "feature " + i + ": " + f[i] + " for " + x[i]);
            assertTrue(Math.abs(Math.nextUp(f[i]) - x[i]) >= err && Math.abs(Math.nextDown(f[i]) - x[i]) >= err, "feature " + i);
        }
        assertEquals(16_777_216f, f[3], "2^24 + 1 is halfway between two floats and rounds to the even one");
        assertSame(y, single.labels());
        assertSame(w, single.weights());
        assertSame(single, single.inSingle(), "already in float");
        IllegalStateException e = assertThrows(IllegalStateException.class, single::features);
        assertTrue(e.getMessage().contains("singleFeatures()"), e.getMessage());
        assertThrows(IllegalStateException.class, b::singleFeatures);
    }
}
