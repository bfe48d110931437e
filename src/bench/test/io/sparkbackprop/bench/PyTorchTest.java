package io.sparkbackprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The optional baseline where there is no Python for it, and the script's arguments. */
class PyTorchTest {
    @Test
    void withoutAPythonTheBaselineIsNotMeasuredAndSaysHowToGetIt() {
        PyTorch.Timing t = PyTorch.probe("/nonexistent/python3");
        assertFalse(t.measured());
        assertTrue(t.error().contains("/nonexistent/python3") && t.error().contains("pip install torch"), t.error());
        // What the section reports then: the figure has its target but no baseline, so no verdict.
        Figure f = Figure.of(VsPyTorch.SECTION, "pytorch.iteration", "m", "s", Double.NaN, Double.NaN, new Target(true, 1.3), t.error());
        assertEquals(Figure.Verdict.NOT_MEASURED, f.verdict());
    }

    @Test
    void theWorkIsPassedAsTheScriptsOptions() {
        PyTorch.Work w = new PyTorch.Work(new int[] {784, 128, 10}, "sigmoid", "float32", 20_000, 0, "sgd", 0.03, 2, 5, 3, 42);
        assertEquals(List.of("--layers", "784,128,10", "--activation", "sigmoid", "--dtype", "float32", "--rows", "20000", "--batch", "0",
                "--optimizer", "sgd", "--lr", "0.03", "--threads", "2", "--steps", "5", "--turns", "3", "--seed", "42"), w.arguments());
    }
}
