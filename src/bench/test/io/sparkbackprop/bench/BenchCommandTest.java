package io.sparkbackprop.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench command end to end in --quick mode (tiny sizes: this checks the plumbing, not the speed). */
class BenchCommandTest {
    @TempDir
    Path dir;

    private static int run(StringWriter out, StringWriter err, String... args) {
        return BenchMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static Figure find(BenchReport r, String metricStart) {
        for (Figure f : r.figures()) {
            if (f.metric().startsWith(metricStart)) return f;
        }
        throw new AssertionError("no figure '" + metricStart + "' in " + r.figures());
    }

    private static void inRange(Figure f, double lo, double hi) {
        assertTrue(f.ours() >= lo && f.ours() <= hi, f.metric() + ": ours " + f.ours() + " not in [" + lo + ", " + hi + "]");
    }

    @Test
    void quickRunMeasuresEverySectionAndWritesCsvAndJson() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path output = dir.resolve("bench");
        int code = run(out, err, "--quick", "--master", "local[2]", "--layers", "32", "--output", output.toString());
        assertEquals(0, code, err.toString());

        BenchReport report = BenchReport.readJson(output.resolve("bench.json"));
        assertEquals(report.figures(), BenchReport.readCsv(output.resolve("bench.csv")), "the CSV holds the JSON's figures");
        assertEquals(18, report.figures().size(), report.table());
        for (Figure f : report.figures()) {
            assertTrue(out.toString().contains("| " + f.section() + " | " + f.metric() + " |"), "printed: " + f.metric());
            if (f.target() != null && Double.isFinite(f.ratio())) {
                assertEquals(f.target().met(f.ratio()) ? Figure.Verdict.PASS : Figure.Verdict.MISS, f.verdict(), f.metric());
            }
            if (f.verdict() == Figure.Verdict.MISS) assertTrue(f.note().contains("missed by"), f.note());
        }
        // A few iterations on 400 rows can vanish in the noise of a fit's fixed costs: then the figure says so.
        Figure iteration = find(report, "s per full-batch iteration");
        assertTrue(iteration.ours() > 0 && iteration.baseline() > 0 || iteration.verdict() == Figure.Verdict.NOT_MEASURED
                && iteration.note().contains("lost in noise"), iteration.toString());
        Figure inFloat = find(report, "s per full-batch iteration in float");
        assertTrue(inFloat.target().bound() == 0.6 && (inFloat.ours() > 0 && inFloat.baseline() == iteration.baseline()
                || inFloat.verdict() == Figure.Verdict.NOT_MEASURED), inFloat.toString());
        // Tiny products run far below the machine's peak, but well above nothing.
        for (String kernel : new String[] {"GFLOP/s per core, forward/backward vs dgemm", "GFLOP/s per core, float forward/backward vs sgemm"}) {
            Figure blas = find(report, kernel);
            inRange(blas, 0.05, 1000);
            assertTrue(blas.baseline() > 0.1 && blas.baseline() < 1000, blas.toString());
        }
        Figure race = find(report, "s to 0.95 test accuracy: Adam vs");
        assertTrue(race.note().contains("MLlib: l-bfgs"), race.note());
        Figure local = find(report, "s to 0.95 test accuracy: Adam --local-steps 2 vs");
        assertTrue(local.note().contains("ours: Adam --local-steps 2 lr"), local.note());
        Figure step = find(report, "ms per step at batch 1");
        inRange(step, 1, 10_000);
        assertTrue(step.baseline() >= 1 && step.baseline() <= 10_000, step.toString());
        // 400 rows × 785 doubles; Spark's estimate of the cached arrays is within a few percent of that.
        Figure cache = find(report, "cached training data");
        assertEquals(400 * 785 * 8 / 1e6, cache.baseline(), 1e-9);
        assertTrue(cache.ratio() > 0.95 && cache.ratio() <= 1.3, cache.toString());
        Figure heap = find(report, "driver heap after 20 steps");
        assertTrue(heap.ours() > 10 && heap.baseline() > 10, heap.toString());
        Figure scaling = find(report, "rows/s, full batch: local[2] vs local[1]");
        assertTrue(scaling.ours() > 0 && scaling.baseline() > 0, scaling.toString());
        // Levers: each variant and its baseline measured (info figures, no verdict).
        for (Figure f : report.figures()) {
            if (!f.section().equals("levers") || f.metric().startsWith("GFLOP/s on the kernel's products")) continue;
            assertEquals(Figure.Verdict.INFO, f.verdict(), f.toString());
            assertTrue(f.ours() > 0 && f.baseline() > 0 && f.ours() < 10_000 && f.baseline() < 10_000, f.toString());
        }
        Figure blasLever = find(report, "GFLOP/s on the kernel's products: native BLAS vs");
        assertTrue(blasLever.verdict() == Figure.Verdict.INFO ? blasLever.baseline() > 0.1 : blasLever.note().contains("no native BLAS"),
                blasLever.toString());
        assertTrue(find(report, "ms per batch-1 step: Kryo vs Java").note().contains("fresh contexts"));
        assertNotNull(report.run().get("BLAS"));
        assertTrue(report.run().get("spark").contains("master local[2]"), report.run().toString());
    }

    @Test
    void unknownSectionsAreRefusedBeforeSparkStarts() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "--sections", "mllib,speed", "--output", dir.resolve("x").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("unknown section 'speed'; sections: mllib, accuracy, blas, overhead, memory, scaling, levers"), err.toString());
        assertTrue(!Files.exists(dir.resolve("x")));
    }

    @Test
    void sectionsAndQuickModeBecomeTheSettings() {
        BenchCommand cmd = new BenchCommand();
        new CommandLine(cmd).parseArgs("--sections", "overhead,memory", "--rows", "5000", "--layers", "64,32");
        BenchSettings s = cmd.settings();
        assertEquals(Set.of("overhead", "memory"), s.sections());
        assertEquals(5000, s.rows());
        assertArrayEquals(new int[] {64, 32}, s.hidden());
        cmd = new BenchCommand();
        new CommandLine(cmd).parseArgs("--quick");
        s = cmd.settings();
        assertEquals(Set.copyOf(BenchSettings.ALL_SECTIONS), s.sections());
        assertEquals(400, s.rows());
        assertEquals(1, s.repeats());
        cmd = new BenchCommand();
        new CommandLine(cmd).parseArgs("--local-steps", "4", "--local-batch-size", "256", "--local-learning-rate", "0.03");
        s = cmd.settings();
        assertEquals(4, s.localSteps());
        assertEquals(256, s.localBatchSize());
        assertEquals(0.03, s.localLearningRate());
        BenchCommand one = new BenchCommand();
        new CommandLine(one).parseArgs("--local-steps", "1");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, one::settings);
        assertTrue(e.getMessage().contains("--local-steps must be at least 2 (1 is the synchronous runner)"), e.getMessage());
    }
}
