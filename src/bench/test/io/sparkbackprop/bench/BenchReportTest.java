package io.sparkbackprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {
    @TempDir
    Path dir;

    private static BenchReport sample() {
        Map<String, String> run = new LinkedHashMap<>();
        run.put("date", "2026-11-27T10:00:00Z");
        run.put("machine", "2 cores, \"quoted\", with commas");
        List<Figure> figures = List.of(
                Figure.of("vs MLlib", "mllib.iteration", "s per full-batch iteration", "s", 0.15, 0.2, Target.atMost(0.9), "note, with a comma"),
                Figure.of("speedup", "speedup.two-cores", "rows/s local[2] vs local[1]", "rows/s", 1e5 / 3, 3e4, Target.atLeast(1.7),
                        "a \"quoted\"\nsecond line"),
                Figure.of("memory", "memory.executor-heap", "executor heap", "MB", Double.NaN, Double.NaN, Target.atMost(1.05), ""),
                Figure.of("speedup", "speedup.cluster", "rows/s on a cluster", "rows/s", 1234.5, Double.NaN, null, ""));
        return new BenchReport(run, figures);
    }

    @Test
    void verdictsFollowTheRatioAndTarget() {
        List<Figure> f = sample().figures();
        assertEquals(0.75, f.get(0).ratio(), 1e-15);
        assertEquals(Figure.Verdict.PASS, f.get(0).verdict());
        assertEquals(Figure.Verdict.MISS, f.get(1).verdict(), "1.11 is below 1.7");
        assertEquals(Figure.Verdict.NOT_MEASURED, f.get(2).verdict());
        assertEquals(Figure.Verdict.INFO, f.get(3).verdict(), "a figure without target needs no baseline");
        assertEquals(Figure.Verdict.INFO, Figure.of("s", "k", "m", "u", 2, 1, null, "").verdict());
        assertEquals(Figure.Verdict.NOT_MEASURED, Figure.of("s", "k", "m", "u", Double.NaN, 1, null, "").verdict());
        assertEquals(0, f.get(0).shortfall());
        // 1.111 against ">= 1.7": 34.6% short
        assertEquals(1 - (1e5 / 3 / 3e4) / 1.7, f.get(1).shortfall(), 1e-12);
        assertEquals(0.2, Figure.of("s", "k", "m", "u", 1.2, 1, Target.atMost(1), "").shortfall(), 1e-12);
        assertTrue(Target.atMost(0.9).met(0.9) && !Target.atMost(0.9).met(0.9000001));
        assertTrue(Target.atLeast(1.7).met(1.7) && !Target.atLeast(1.7).met(1.69));
    }

    @Test
    void targetsReadBackFromTheirText() {
        for (Target t : new Target[] {Target.atMost(0.9), Target.atLeast(1.7), Target.atMost(1.05)}) {
            assertEquals(t, Target.parse(t.text()));
        }
        assertThrows(IllegalArgumentException.class, () -> Target.parse("< 3"));
        assertThrows(IllegalArgumentException.class, () -> Target.parse("<= three"));
        assertThrows(IllegalArgumentException.class, () -> Target.parse(">= NaN"));
        assertEquals(Target.atLeast(2), Target.parse("  >=2 "));
    }

    @Test
    void csvRoundTripsExactlyIncludingQuotesCommasNewlinesAndMissingValues() throws IOException {
        BenchReport report = sample();
        Path csv = dir.resolve("bench.csv");
        report.writeCsv(csv);
        assertEquals(report.figures(), BenchReport.readCsv(csv));
        assertTrue(Files.readString(csv).startsWith("run,section,key,metric,unit,ours,baseline,ratio,target,verdict,note\n"
                + "2026-11-27T10:00:00Z,vs MLlib,mllib.iteration,s per full-batch iteration,s,0.15,0.2,0.7499999999999999,<= 0.9,PASS,"), Files.readString(csv));
    }

    @Test
    void csvFilesFromBeforeTheKeyColumnStillReadWithEmptyKeys() throws IOException {
        Path old = dir.resolve("old.csv");
        Files.writeString(old, "run,section,metric,unit,ours,baseline,ratio,target,verdict,note\n"
                + "2026-11-01T10:00:00Z,per step,ms per step,ms,12.5,10.0,1.25,<= 1.5,PASS,\"medians, of 1000\"\n");
        Path both = dir.resolve("both.csv");
        sample().writeCsv(dir.resolve("new.csv"));
        Files.writeString(both, Files.readString(old) + Files.readString(dir.resolve("new.csv")));
        List<Figure> read = BenchReport.readCsv(both);
        assertEquals(new Figure("per step", "", "ms per step", "ms", 12.5, 10.0, 1.25, Target.atMost(1.5), Figure.Verdict.PASS,
                "medians, of 1000"), read.get(0));
        assertEquals(sample().figures(), read.subList(1, read.size()));
    }

    @Test
    void csvFilesOfSeveralRunsConcatenate() throws IOException {
        Path a = dir.resolve("a.csv");
        sample().writeCsv(a);
        Path both = dir.resolve("both.csv");
        Files.writeString(both, Files.readString(a) + Files.readString(a));
        List<Figure> expected = new ArrayList<>(sample().figures());
        expected.addAll(sample().figures());
        assertEquals(expected, BenchReport.readCsv(both));
    }

    @Test
    void jsonRoundTrips() throws IOException {
        BenchReport report = sample();
        Path json = dir.resolve("bench.json");
        report.writeJson(json);
        BenchReport back = BenchReport.readJson(json);
        assertEquals(report.run(), back.run());
        assertEquals(report.figures(), back.figures());
        String text = Files.readString(json);
        assertTrue(text.contains("\"format\" : \"spark-backprop-bench\""), text);
        // JSON has no NaN: figures not measured are null.
        assertTrue(text.contains("\"ours\" : null"), text);
    }

    @Test
    void tableShowsEveryFigureWithItsVerdict() {
        String table = sample().table();
        assertTrue(table.contains("| vs MLlib | s per full-batch iteration | 0.15 s | 0.2 s | 0.75 | <= 0.9 | PASS | mllib.iteration |"), table);
        assertTrue(table.contains("| 33333 rows/s | 30000 rows/s | 1.11 | >= 1.7 | MISS | speedup.two-cores |"), table);
        assertTrue(table.contains("| memory | executor heap | - | - | - | <= 1.05 | not measured | memory.executor-heap |"), table);
        assertTrue(table.contains("| speedup | rows/s on a cluster | 1235 rows/s | - | - | none | INFO | speedup.cluster |"), table);
        assertTrue(table.contains("machine: 2 cores"), table);
        assertTrue(table.contains("- s per full-batch iteration (PASS): note, with a comma"), table);
    }

    @Test
    void numbersKeepThreeSignificantDigits() {
        assertEquals("0.123", BenchReport.number(0.12345));
        assertEquals("1.5", BenchReport.number(1.5));
        assertEquals("12.3", BenchReport.number(12.34));
        assertEquals("1235", BenchReport.number(1234.5));
        assertEquals("1.23e+07", BenchReport.number(12_345_678));
        assertEquals("-", BenchReport.number(Double.NaN));
    }
}
