package io.sparkbackprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchPartsTest {
    @Test
    void mllibsMaxIterScheduleGrowsByAboutHalfAndEndsAtTheCap() {
        List<Integer> ks = AccuracyRace.schedule(150);
        assertEquals(List.of(5, 8, 11, 17, 25, 38, 57, 85, 128, 150), ks);
        assertEquals(List.of(3), AccuracyRace.schedule(3));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2.0, StepOverhead.median(List.of(5.0, 1.0, 2.0)));
        assertEquals(2.5, StepOverhead.median(List.of(4.0, 1.0, 2.0, 3.0)));
        assertTrue(Double.isNaN(StepOverhead.median(List.of())));
    }

    @Test
    void settingsRefuseWhatCannotBeMeasured() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BenchSettings(1000, new int[] {128}, 128, 0,
                null, 1, 1, 100, 0.95, 128, 1e-3, 10, 10, 100, 2, 1.0, 1, Set.of()));
        assertTrue(e.getMessage().contains("--iterations must be at least 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BenchSettings(1000, new int[] {128}, 128, 0,
                null, 5, 1, 100, 0.95, 128, 1e-3, 10, 10, 100, 2, 1.0, 1, Set.of("speed")));
        assertTrue(e.getMessage().contains("unknown section 'speed'"), e.getMessage());
        assertEquals(List.of(784, 64, 32, 10), java.util.Arrays.stream(new BenchSettings(1000, new int[] {64, 32}, 128, 0, null, 5, 1, 100,
                0.95, 128, 1e-3, 10, 10, 100, 2, 1.0, 1, Set.of()).layerSizes()).boxed().toList());
    }

    @Test
    void generatedClassesHaveDistinctPrototypesAboutAFifthLit() {
        boolean[][] p = BenchData.prototypes(42);
        for (boolean[] row : p) {
            long lit = 0;
            for (boolean b : row) lit += b ? 1 : 0;
            assertTrue(lit > 100 && lit < 200, "lit pixels " + lit);
        }
        assertTrue(!java.util.Arrays.equals(p[0], p[1]));
    }
}
