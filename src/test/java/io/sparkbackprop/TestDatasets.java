package io.sparkbackprop;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The real data sets kept in the repository's src/test/data (see its README.md); only tests read them. */
public final class TestDatasets {
    /** The folder, relative to the module folder: the working directory surefire runs the tests in. */
    public static final Path DIR = Path.of("src/test/data");

    private TestDatasets() {
    }

    public static Path file(String name) {
        Path p = DIR.resolve(name);
        if (!Files.isRegularFile(p)) throw new IllegalStateException(name + " not found in " + DIR.toAbsolutePath());
        return p.toAbsolutePath();
    }

    /** The MNIST test digits: images scaled to [0,1] (rows of 784) and labels. */
    public record Mnist(double[][] images, int[] labels) {
    }

    public static Mnist mnist() throws IOException {
        double[][] images;
        int[] labels;
        try (DataInputStream in = new DataInputStream(gzip(file("mnist-t10k-images-idx3-ubyte.gz")))) {
            if (in.readInt() != 2051) throw new IOException("not an IDX image file");
            int n = in.readInt();
            int size = in.readInt() * in.readInt();
            images = new double[n][size];
            byte[] row = new byte[size];
            for (int i = 0; i < n; i++) {
                in.readFully(row);
                for (int j = 0; j < size; j++) images[i][j] = (row[j] & 0xFF) / 255.0;
            }
        }
        try (DataInputStream in = new DataInputStream(gzip(file("mnist-t10k-labels-idx1-ubyte.gz")))) {
            if (in.readInt() != 2049) throw new IOException("not an IDX label file");
            int n = in.readInt();
            labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = in.readUnsignedByte();
        }
        return new Mnist(images, labels);
    }

    private static InputStream gzip(Path p) throws IOException {
        return new GZIPInputStream(Files.newInputStream(p), 1 << 16);
    }
}
