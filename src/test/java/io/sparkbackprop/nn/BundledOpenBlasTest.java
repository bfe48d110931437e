package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledOpenBlasTest {
    @Test
    void onlyLinuxOnX8664IsBundled() {
        assertEquals("linux-x86_64", BundledOpenBlas.platform("Linux", "amd64"));
        assertEquals("linux-x86_64", BundledOpenBlas.platform("Linux", "x86_64"));
        assertNull(BundledOpenBlas.platform("Linux", "aarch64"));
        assertNull(BundledOpenBlas.platform("Mac OS X", "x86_64"));
        assertNull(BundledOpenBlas.platform(null, "amd64"));
    }

    @Test
    void theLibrariesAreExtractedWholeOnceAndThenReused(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(BundledOpenBlas.class.getResource(BundledOpenBlas.resource("linux-x86_64", "libopenblas.so.0")) != null);
        Path dir = BundledOpenBlas.extract("linux-x86_64", tmp);
        for (String f : BundledOpenBlas.FILES) {
            try (InputStream in = BundledOpenBlas.class.getResourceAsStream(BundledOpenBlas.resource("linux-x86_64", f))) {
                assertEquals(in.readAllBytes().length, Files.size(dir.resolve(f)), f);
            }
        }
        FileTime written = Files.getLastModifiedTime(dir.resolve("libopenblas.so.0"));
        Files.setLastModifiedTime(dir.resolve("libopenblas.so.0"), FileTime.fromMillis(written.toMillis() - 60_000));
        assertEquals(dir, BundledOpenBlas.extract("linux-x86_64", tmp), "a complete folder is reused");
        assertEquals(written.toMillis() - 60_000, Files.getLastModifiedTime(dir.resolve("libopenblas.so.0")).toMillis(), "not rewritten");
        // A truncated file (a crash mid-write by an older version, say) is not trusted.
        Files.write(dir.resolve("libgfortran.so.5"), new byte[10]);
        Path again = BundledOpenBlas.extract("linux-x86_64", tmp);
        assertTrue(Files.size(again.resolve("libgfortran.so.5")) > 10, "a complete copy is used");
    }
}
