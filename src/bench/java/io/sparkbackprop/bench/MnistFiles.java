package io.sparkbackprop.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The MNIST digits in their original IDX files ({@code train-images-idx3-ubyte} and friends, gzipped or not,
 * optionally prefixed {@code mnist-}), pixels scaled to [0, 1]. With the 60,000 training digits present
 * the split is the official one (train / t10k); with only the 10,000 t10k digits, the first 80% train and
 * the rest test.
 */
public final class MnistFiles {
    public static final int PIXELS = 784;
    public static final int CLASSES = 10;

    private MnistFiles() {
    }

    /** Images as rows of 784 values in [0,1], and their labels 0..9. */
    public record Digits(double[][] images, int[] labels) {
        public int size() {
            return labels.length;
        }

        Digits slice(int from, int to) {
            return new Digits(Arrays.copyOfRange(images, from, to), Arrays.copyOfRange(labels, from, to));
        }
    }

    public record Split(Digits train, Digits test, String description) {
    }

    /** @param maxTrain at most this many training digits (the first ones) */
    public static Split read(Path dir, int maxTrain) throws IOException {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("--mnist " + dir + ": no such directory");
        Path testImages = find(dir, "t10k-images-idx3-ubyte");
        Path testLabels = find(dir, "t10k-labels-idx1-ubyte");
        if (testImages == null || testLabels == null) {
            throw new IllegalArgumentException("--mnist " + dir + " has no t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]"
                    + " (the MNIST files, optionally prefixed mnist-)");
        }
        Digits t10k = digits(testImages, testLabels);
        Path trainImages = find(dir, "train-images-idx3-ubyte");
        Path trainLabels = find(dir, "train-labels-idx1-ubyte");
        if (trainImages != null && trainLabels != null) {
            Digits train = digits(trainImages, trainLabels);
            int n = Math.min(maxTrain, train.size());
            return new Split(train.slice(0, n), t10k, "MNIST: " + n + " training digits, the 10,000 test digits");
        }
        int cut = t10k.size() * 4 / 5;
        int n = Math.min(maxTrain, cut);
        return new Split(t10k.slice(0, n), t10k.slice(cut, t10k.size()),
                "MNIST t10k digits: " + n + " of the first " + cut + " to train, the last " + (t10k.size() - cut) + " to test");
    }

    private static Path find(Path dir, String name) {
        for (String prefix : new String[] {"", "mnist-"}) {
            for (String suffix : new String[] {".gz", ""}) {
                Path p = dir.resolve(prefix + name + suffix);
                if (Files.isRegularFile(p)) return p;
            }
        }
        return null;
    }

    static Digits digits(Path images, Path labels) throws IOException {
        double[][] x;
        try (DataInputStream in = open(images)) {
            if (in.readInt() != 2051) throw new IOException(images + " is not an IDX image file (magic 2051)");
            int n = in.readInt();
            int size = in.readInt() * in.readInt();
            if (size != PIXELS) throw new IOException(images + " holds images of " + size + " pixels, not 28×28");
            x = new double[n][PIXELS];
            byte[] row = new byte[PIXELS];
            for (int i = 0; i < n; i++) {
                in.readFully(row);
                for (int j = 0; j < PIXELS; j++) x[i][j] = (row[j] & 0xFF) / 255.0;
            }
        }
        int[] y;
        try (DataInputStream in = open(labels)) {
            if (in.readInt() != 2049) throw new IOException(labels + " is not an IDX label file (magic 2049)");
            int n = in.readInt();
            if (n != x.length) throw new IOException(labels + " has " + n + " labels for " + x.length + " images");
            y = new int[n];
            for (int i = 0; i < n; i++) y[i] = in.readUnsignedByte();
        }
        return new Digits(x, y);
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        return new DataInputStream(p.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw);
    }
}
