package io.sparkbackprop.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.TestDatasets;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFilesTest {
    @TempDir
    Path dir;

    /** n images whose pixel j of image i is (i + j) mod 256, labels i mod 10. */
    private static void writeIdx(Path images, Path labels, int n, boolean gzip) throws IOException {
        try (DataOutputStream out = new DataOutputStream(open(images, gzip))) {
            out.writeInt(2051);
            out.writeInt(n);
            out.writeInt(28);
            out.writeInt(28);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 784; j++) out.writeByte((i + j) & 0xFF);
            }
        }
        try (DataOutputStream out = new DataOutputStream(open(labels, gzip))) {
            out.writeInt(2049);
            out.writeInt(n);
            for (int i = 0; i < n; i++) out.writeByte(i % 10);
        }
    }

    private static OutputStream open(Path p, boolean gzip) throws IOException {
        OutputStream raw = Files.newOutputStream(p);
        return gzip ? new GZIPOutputStream(raw) : raw;
    }

    @Test
    void onlyTheTestDigitsSplitEightyTwenty() throws IOException {
        writeIdx(dir.resolve("t10k-images-idx3-ubyte"), dir.resolve("t10k-labels-idx1-ubyte"), 50, false);
        MnistFiles.Split split = MnistFiles.read(dir, 1000);
        assertEquals(40, split.train().size());
        assertEquals(10, split.test().size());
        assertEquals((3 + 5) / 255.0, split.train().images()[3][5], 0);
        assertEquals(255 / 255.0, split.train().images()[0][255], 0);
        assertEquals(0.0, split.train().images()[0][256], 0);
        assertEquals(1, split.test().labels()[1], "test digit 1 is digit 41 of the file");
        assertEquals(10, MnistFiles.read(dir, 10).train().size(), "--rows caps the training digits");
    }

    @Test
    void trainingFilesGiveTheOfficialSplitGzippedAndPrefixed() throws IOException {
        writeIdx(dir.resolve("mnist-t10k-images-idx3-ubyte.gz"), dir.resolve("mnist-t10k-labels-idx1-ubyte.gz"), 20, true);
        writeIdx(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"), 30, true);
        MnistFiles.Split split = MnistFiles.read(dir, 1000);
        assertEquals(30, split.train().size());
        assertEquals(20, split.test().size());
        assertEquals(7, split.train().labels()[17]);
    }

    @Test
    void missingFilesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MnistFiles.read(dir, 10));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MnistFiles.read(dir.resolve("nope"), 10));
        assertTrue(e.getMessage().contains("no such directory"), e.getMessage());
    }

    @Test
    void theRealDigitsReadAsTheTestsOwnReaderReadsThem() throws IOException {
        TestDatasets.Mnist reference = TestDatasets.mnist();
        MnistFiles.Split split = MnistFiles.read(TestDatasets.file("mnist-t10k-images-idx3-ubyte.gz").getParent(), 100_000);
        assertEquals(8000, split.train().size());
        assertEquals(2000, split.test().size());
        for (int i : new int[] {0, 1234, 7999}) {
            assertArrayEquals(reference.images()[i], split.train().images()[i]);
            assertEquals(reference.labels()[i], split.train().labels()[i]);
        }
        assertArrayEquals(reference.images()[9999], split.test().images()[1999]);
    }
}
