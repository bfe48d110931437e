package io.sparkbackprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetsTest {
    @TempDir
    Path dir;

    @Test
    void theBenchCarriesTheDocumentedTargets() {
        Map<String, Target> expected = new LinkedHashMap<>();
        expected.put("mllib.iteration", new Target(true, 0.7));
        expected.put("mllib.iteration-float", new Target(true, 0.4));
        expected.put("blas.kernel", new Target(false, 0.85));
        expected.put("blas.kernel-float", new Target(false, 0.7));
        expected.put("accuracy.adam", new Target(true, 0.3));
        expected.put("accuracy.local-steps", new Target(true, 0.3));
        expected.put("memory.cache", new Target(true, 1.3));
        expected.put("overhead.step", new Target(true, 1.5));
        expected.put("memory.driver-heap", new Target(true, 1.05));
        expected.put("memory.executor-heap", new Target(true, 1.05));
        expected.put("pytorch.iteration", new Target(true, 1.3));
        expected.put("pytorch.iteration-float", new Target(true, 1.3));
        expected.put("pytorch.wide-step", new Target(true, 2.0));
        expected.put("partitions.two-hundred", new Target(true, 1.2));
        expected.put("rows.two-million", new Target(true, 1.2));
        expected.put("scoring.mllib", new Target(false, 5));
        expected.put("speedup.two-cores", new Target(false, 1.7));
        Targets t = Targets.defaults();
        assertEquals(expected, t.byKey());
        assertNull(t.get("levers.kryo"));
        assertNull(t.get("blas.bundled-vs-java"));
        assertNull(t.get("partitions.kept"));
        assertEquals("bench-targets.properties", t.source());
    }

    @Test
    void everyFiguresKeyIsInTheFileToBeDocumentedThereAndNoOther() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Targets.class.getResourceAsStream("bench-targets.properties")) {
            p.load(in);
        }
        assertEquals(Set.copyOf(Targets.KEYS), p.stringPropertyNames());
        assertThrows(IllegalStateException.class, () -> Targets.defaults().get("mllib.iterations"), "a figure key with a typo");
    }

    @Test
    void aFileReplacesTheKeysItSetsAndAnEmptyValueRemovesATarget() throws IOException {
        Path file = dir.resolve("mine.properties");
        Files.writeString(file, "# stricter\nmllib.iteration = <= 0.5\nlevers.kryo = <= 1\nmemory.cache =\n");
        Targets t = Targets.defaults().overriddenBy(file);
        assertEquals(new Target(true, 0.5), t.get("mllib.iteration"));
        assertEquals(new Target(true, 1), t.get("levers.kryo"));
        assertNull(t.get("memory.cache"));
        assertEquals(new Target(false, 1.7), t.get("speedup.two-cores"), "a key the file leaves out keeps the bench's target");
        assertEquals(file + " over bench-targets.properties", t.source());
    }

    @Test
    void unknownKeysAndBadValuesAreRefusedNamingTheFile() throws IOException {
        Path typo = dir.resolve("typo.properties");
        Files.writeString(typo, "mllib.iterations = <= 0.5\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Targets.defaults().overriddenBy(typo));
        assertTrue(e.getMessage().startsWith(typo + ": unknown target key 'mllib.iterations'; keys: mllib.iteration, "), e.getMessage());
        Path bad = dir.resolve("bad.properties");
        Files.writeString(bad, "overhead.step = 1.5\n");
        e = assertThrows(IllegalArgumentException.class, () -> Targets.defaults().overriddenBy(bad));
        assertEquals(bad + ": overhead.step: a target is '<= X' or '>= X' with X a number, got '1.5' (or nothing, for no target)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Targets.defaults().overriddenBy(dir.resolve("none.properties")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }
}
