package io.sparkbackprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirectoryTest {
    @TempDir
    Path parent;

    @Test
    void commitCreatesTheTargetAndItsParentsWithTheWriterFiles() throws IOException {
        Path target = parent.resolve("runs/a/out");
        OutputDirectory.commit(target, false, dir -> Files.writeString(dir.resolve("model.json"), "{}"));
        assertEquals("{}", Files.readString(target.resolve("model.json")));
        assertEquals(List.of("out"), names(target.getParent()), "no temporary sibling left behind");
    }

    @Test
    void theWriterFillsASiblingNotTheTarget() throws IOException {
        Path target = parent.resolve("out");
        OutputDirectory.commit(target, false, dir -> {
            assertEquals(parent, dir.getParent(), "a sibling, so the final rename stays on one filesystem");
            assertFalse(dir.equals(target));
            assertFalse(Files.exists(target), "nothing appears at the target before the writer is done");
            assertEquals(List.of(), names(dir));
        });
        assertTrue(Files.isDirectory(target));
    }

    @Test
    void anEmptyExistingDirectoryCountsAsFree() throws IOException {
        Path target = Files.createDirectory(parent.resolve("out"));
        OutputDirectory.checkWritable(target, false);
        OutputDirectory.commit(target, false, dir -> Files.writeString(dir.resolve("a.txt"), "new"));
        assertEquals(List.of("a.txt"), names(target));
        assertEquals(List.of("out"), names(parent));
    }

    @Test
    void refusesANonEmptyTargetWithoutOverwrite() throws IOException {
        Path target = previousRun();
        OutputExistsException early = assertThrows(OutputExistsException.class,
                () -> OutputDirectory.checkWritable(target, false));
        assertEquals("--output " + target + " exists and is not empty; pass --overwrite to replace it or choose "
                + "another --output", early.getMessage());

        OutputExistsException late = assertThrows(OutputExistsException.class,
                () -> OutputDirectory.commit(target, false, dir -> {
                    throw new AssertionError("the writer must not run when the target is refused");
                }));
        assertEquals(early.getMessage(), late.getMessage());
        assertEquals("old", Files.readString(target.resolve("model.json")));
        assertEquals(List.of("out"), names(parent));
    }

    @Test
    void overwriteReplacesThePreviousContentsOnlyOnceTheNewOnesAreComplete() throws IOException {
        Path target = previousRun();
        OutputDirectory.checkWritable(target, true);
        OutputDirectory.commit(target, true, dir -> {
            assertEquals("old", Files.readString(target.resolve("model.json")), "old output intact while writing");
            Files.writeString(dir.resolve("model.json"), "new");
        });
        assertEquals("new", Files.readString(target.resolve("model.json")));
        assertEquals(List.of("model.json"), names(target), "nothing of the old output survives");
        assertEquals(List.of("out"), names(parent), "neither the temporary nor the old directory is left");
    }

    @Test
    void aFailingWriterLeavesNoTargetAndNoTemporaryDirectory() {
        Path target = parent.resolve("out");
        IOException failure = new IOException("disk full");
        IOException thrown = assertThrows(IOException.class, () -> OutputDirectory.commit(target, false, dir -> {
            Files.writeString(dir.resolve("model.json"), "half");
            Files.createDirectories(dir.resolve("plots/deep"));
            throw failure;
        }));
        assertSame(failure, thrown);
        assertFalse(Files.exists(target));
        assertEquals(List.of(), names(parent));
    }

    @Test
    void aFailingWriterKeepsThePreviousTargetIntactEvenWithOverwrite() throws IOException {
        Path target = previousRun();
        IllegalStateException failure = new IllegalStateException("training diverged");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> OutputDirectory.commit(target, true, dir -> {
                    Files.writeString(dir.resolve("model.json"), "half");
                    throw failure;
                }));
        assertSame(failure, thrown);
        assertEquals("old", Files.readString(target.resolve("model.json")));
        assertEquals(List.of("model.json"), names(target));
        assertEquals(List.of("out"), names(parent));
    }

    @Test
    void aTargetFilledWhileWritingIsNotMixedWithAndTheFinishedOutputIsKept() throws IOException {
        Path target = parent.resolve("out");
        Path[] staging = new Path[1];
        OutputExistsException e = assertThrows(OutputExistsException.class,
                () -> OutputDirectory.commit(target, false, dir -> {
                    staging[0] = dir;
                    Files.writeString(dir.resolve("model.json"), "ours");
                    Files.createDirectories(target);
                    Files.writeString(target.resolve("model.json"), "someone else's"); // another run got there first
                }));
        assertTrue(e.getMessage().endsWith("(it changed while this run was writing; the finished output is kept in "
                + staging[0] + ")"), e.getMessage());
        assertEquals("someone else's", Files.readString(target.resolve("model.json")));
        assertEquals("ours", Files.readString(staging[0].resolve("model.json")));
    }

    @Test
    void refusesAFileEvenWithOverwrite() throws IOException {
        Path file = Files.writeString(parent.resolve("out"), "not a directory");
        OutputExistsException e = assertThrows(OutputExistsException.class,
                () -> OutputDirectory.checkWritable(file, true));
        assertEquals("--output " + file + " exists and is not a directory; choose another --output", e.getMessage());
        assertEquals("not a directory", Files.readString(file));
    }

    @Test
    void refusesToOverwriteTheWorkingDirectoryOrOneAboveIt() {
        // Only the check runs here, so a broken guard fails the test without deleting anything.
        Path cwd = Path.of("").toAbsolutePath();
        OutputExistsException e = assertThrows(OutputExistsException.class,
                () -> OutputDirectory.checkWritable(cwd, true));
        assertTrue(e.getMessage().contains("contains the working directory"), e.getMessage());
        assertThrows(OutputExistsException.class, () -> OutputDirectory.checkWritable(cwd.getParent(), true));
    }

    @Test
    void theOutputGetsTheUsualDirectoryPermissions() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path target = parent.resolve("out");
        OutputDirectory.commit(target, false, dir -> { });
        Path plain = Files.createDirectory(parent.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(target));
    }

    @Test
    void freshRunDirectoriesAreNamedByTheClockAndNeverReused() throws IOException {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T09:30:12Z"), ZoneId.of("Europe/Paris"));
        Path runs = parent.resolve("runs");
        Path first = OutputDirectory.freshRunDirectory(runs, clock);
        assertEquals(runs.resolve("20261127-103012"), first, "local time of the clock's zone");
        assertFalse(Files.exists(first), "only the name is chosen");

        Files.createDirectories(first);
        Path second = OutputDirectory.freshRunDirectory(runs, clock);
        assertEquals(runs.resolve("20261127-103012-2"), second);
        Files.createDirectories(second);
        assertEquals(runs.resolve("20261127-103012-3"), OutputDirectory.freshRunDirectory(runs, clock));

        Clock utc = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
        assertEquals(runs.resolve("20260102-030405"), OutputDirectory.freshRunDirectory(runs, utc));
    }

    @Test
    void aFreshRunDirectoryCommitsLikeAnyOther() throws IOException {
        Path runs = parent.resolve("runs");
        Path out = OutputDirectory.freshRunDirectory(runs, Clock.systemDefaultZone());
        OutputDirectory.commit(out, false, dir -> HistoryCsv.write(List.of(new EpochRecord(1, 0.5, Double.NaN, 1)),
                dir.resolve("history.csv")));
        assertEquals(1, HistoryCsv.read(out.resolve("history.csv")).size());
    }

    /** parent/out holding the model.json of an earlier run. */
    private Path previousRun() throws IOException {
        Path target = Files.createDirectory(parent.resolve("out"));
        Files.writeString(target.resolve("model.json"), "old");
        return target;
    }

    private static List<String> names(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
