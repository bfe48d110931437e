package io.sparkbackprop.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The bench end to end in --quick mode (tiny sizes: this checks the plumbing, not the speed). */
class BenchCommandTest {
    @TempDir
    Path dir;

    private static int run(StringWriter out, StringWriter err, String... args) {
        return BenchMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private static Figure find(BenchReport r, String key) {
        for (Figure f : r.figures()) {
            if (f.key().equals(key)) return f;
        }
        throw new AssertionError("no figure '" + key + "' in " + r.figures());
    }

    @Test
    void quickRunMeasuresEverySectionAgainstTheTargetsItWasGiven() throws Exception {
        // Targets no measurement can miss, one none can meet, and one removed: their verdicts are known beforehand.
        Path targets = dir.resolve("targets.properties");
        Files.writeString(targets, "overhead.step = <= 1000\nlevers.kryo = >= 0\nspeedup.two-cores = >= 1000000\nmemory.cache =\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path output = dir.resolve("bench");
        int code = run(out, err, "--quick", "--master", "local[2]", "--layers", "32", "--targets", targets.toString(),
                "--output", output.toString());
        assertEquals(0, code, err.toString());

        BenchReport report = BenchReport.readJson(output.resolve("bench.json"));
        assertEquals(report.figures(), BenchReport.readCsv(output.resolve("bench.csv")), "the CSV holds the JSON's figures");
        // Every section's figures in the report's order; a local master has no cluster rows/s.
        assertEquals(List.of("mllib.iteration", "mllib.iteration-float", "blas.kernel", "blas.kernel-float", "blas.bundled-vs-java",
                "accuracy.adam", "accuracy.local-steps", "memory.cache", "overhead.step", "memory.driver-heap", "memory.executor-heap",
                "levers.native-blas", "levers.work-buffers", "levers.chunk-32", "levers.chunk-128", "levers.chunk-2048", "levers.depth",
                "pytorch.iteration", "pytorch.iteration-float", "pytorch.wide-step", "pytorch.wide-step-float", "partitions.two-hundred", "partitions.kept", "rows.two-million", "scoring.mllib", "scoring.row-by-row",
                "scoring.products", "scoring.mllib-bound", "scoring.tabular", "sparse.steps", "sparse.result-bytes", "speedup.two-cores", "levers.kryo"),
                report.figures().stream().map(Figure::key).toList(), report.table());

        Figure step = find(report, "overhead.step");
        assertEquals(new Target(true, 1000), step.target());
        assertEquals(Figure.Verdict.PASS, step.verdict(), step.toString());
        Figure kryo = find(report, "levers.kryo");
        assertEquals(Figure.Verdict.PASS, kryo.verdict(), kryo.toString());
        Figure cores = find(report, "speedup.two-cores");
        assertEquals(Figure.Verdict.MISS, cores.verdict(), cores.toString());
        assertTrue(cores.note().contains("missed by 100% of the target"), cores.note());
        Figure cache = find(report, "memory.cache");
        assertNull(cache.target());
        assertEquals(Figure.Verdict.INFO, cache.verdict());
        // Targets the file leaves out are the bench's own; generated data gives the race none.
        assertEquals(new Target(false, 0.85), find(report, "blas.kernel").target());
        assertEquals(new Target(true, 1.05), find(report, "memory.driver-heap").target());
        assertNull(find(report, "accuracy.adam").target());

        for (Figure f : report.figures()) {
            String printed = "| " + f.section() + " | " + f.metric() + " | ";
            String row = out.toString().lines().filter(l -> l.startsWith(printed)).findFirst().orElseThrow(() -> new AssertionError(printed));
            assertTrue(row.endsWith(" | " + (f.target() == null ? "none" : f.target().text()) + " | "
                    + (f.verdict() == Figure.Verdict.NOT_MEASURED ? "not measured" : f.verdict()) + " | " + f.key() + " |"), row);
            if (f.verdict() == Figure.Verdict.NOT_MEASURED) continue;
            // A racer that never reached the target in its few quick epochs has no time (and the figure says so).
            if (f.key().startsWith("accuracy.") && Double.isNaN(f.ours()) && f.note().contains("never reached it")) continue;
            // What was measured is a positive amount, and (but for the race, taken against MLlib's bracket) the ratio is
            // the two amounts divided.
            assertTrue(Double.isFinite(f.ours()) && f.ours() > 0, f.toString());
            if (Double.isFinite(f.baseline())) {
                assertTrue(f.baseline() > 0, f.toString());
                if (!f.key().startsWith("accuracy.")) assertEquals(f.ours() / f.baseline(), f.ratio(), 1e-12 * f.ratio(), f.toString());
            }
        }
        // The BLAS in use was measured against the Java one (the loop above checked the amounts and the ratio).
        Figure bundled = find(report, "blas.bundled-vs-java");
        assertTrue(bundled.metric().contains(io.sparkbackprop.nn.Blas.name() + " (in use)")
                && bundled.note().contains("bundled OpenBLAS: " + io.sparkbackprop.nn.Blas.bundled()), bundled.toString());
        assertTrue(bundled.verdict() == Figure.Verdict.INFO && Double.isFinite(bundled.baseline()), bundled.toString());
        assertEquals(io.sparkbackprop.nn.Blas.name() + "; bundled OpenBLAS: " + io.sparkbackprop.nn.Blas.bundled(), report.run().get("BLAS in this JVM"));
        // The data-scale sections measured both sides (the loop above checked the amounts and the ratios), on what they say.
        Figure merged = find(report, "partitions.two-hundred");
        Figure kept = find(report, "partitions.kept");
        Figure rows = find(report, "rows.two-million");
        for (Figure f : List.of(merged, kept, rows)) {
            assertTrue(f.verdict() != Figure.Verdict.NOT_MEASURED && Double.isFinite(f.ours()) && Double.isFinite(f.baseline()), f.toString());
        }
        assertEquals(new Target(true, 1.2), merged.target());
        assertNull(kept.target());
        assertEquals(merged.baseline(), kept.baseline(), "one baseline: the default partitioning");
        assertTrue(merged.note().contains("the pipeline trained the 200 on 2 partitions"), merged.note());
        assertTrue(kept.note().contains("200 tasks a step instead of 2"), kept.note());
        assertEquals(new Target(true, 1.2), rows.target());
        assertTrue(rows.metric().contains("200,000 vs 10,000 cached rows") && rows.note().contains("scaled down (--quick)"), rows.toString());
        // 400 rows × (784 + 1) doubles.
        assertEquals(400 * 785 * 8 / 1e6, cache.baseline(), 1e-9);
        assertTrue(cache.ours() / cache.baseline() > 0.95 && cache.ours() / cache.baseline() < 1.3, cache.toString());
        // The MLlib fits are the same for both precisions: one baseline.
        assertEquals(find(report, "mllib.iteration").baseline(), find(report, "mllib.iteration-float").baseline());
        assertEquals(targets + " over bench-targets.properties", report.run().get("targets"));
        assertTrue(report.run().get("spark").contains("master local[2]"), report.run().toString());
        assertEquals("128", report.run().get("rows per product (--chunk-size; MLlib's blockSize)"));
    }

    @Test
    void mistakesInSectionsOrTargetsAreRefusedBeforeSparkStarts() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "--sections", "mllib,speed", "--output", dir.resolve("x").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("error: unknown section 'speed'; sections: mllib, accuracy, blas, overhead, memory, speedup, levers, partitions, rows"),
                err.toString());
        Path targets = dir.resolve("t.properties");
        Files.writeString(targets, "overhead = <= 2\n");
        err = new StringWriter();
        code = run(out, err, "--targets", targets.toString(), "--output", dir.resolve("x").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("error: " + targets + ": unknown target key 'overhead'"), err.toString());
        assertFalse(Files.exists(dir.resolve("x")));
    }

    @Test
    void optionsBecomeTheSettings() throws Exception {
        BenchCommand cmd = new BenchCommand();
        new CommandLine(cmd).parseArgs("--sections", "overhead,memory", "--rows", "5000", "--layers", "64,32", "--chunk-size", "256");
        BenchSettings s = cmd.settings();
        assertEquals(Set.of("overhead", "memory"), s.sections());
        assertEquals(5000, s.rows());
        assertArrayEquals(new int[] {64, 32}, s.hidden());
        assertEquals(256, s.chunkSize());
        assertEquals(new Target(true, 1.5), s.target("overhead.step"));
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
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, one::settings);
        assertTrue(e.getMessage().contains("--local-steps must be at least 2 (1 is the synchronous runner)"), e.getMessage());
        assertThrows(CommandLine.UnmatchedArgumentException.class, () -> new CommandLine(new BenchCommand()).parseArgs("--block-size", "128"));
    }
}
