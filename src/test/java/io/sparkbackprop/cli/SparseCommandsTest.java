package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.ReferenceNetwork;
import io.sparkbackprop.io.ModelJson;
import io.sparkbackprop.nn.Network;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LIBSVM files wider than their largest index through train, predict and evaluate: sparse rows stay sparse, the
 * model is the one dense storage learns, predictions are a plain forward pass of the saved weights, and bad lines
 * and widths are refused by file, line and value with nothing written.
 */
class SparseCommandsTest {
    private static final int WIDTH = 3000;

    @TempDir
    static Path dir;
    private static Path data;
    /** The rows as written, dense, for the reference. */
    private static final List<double[]> ROWS = new ArrayList<>();

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(1, List.of("--master", "local[2]"));
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** 240 rows, 3–8 nonzeros among indices 1..2500 (the last 500 never used), label 1 when the odd indices outweigh. */
    @BeforeAll
    static void write() throws IOException {
        SplittableRandom rng = new SplittableRandom(11);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 240; i++) {
            TreeMap<Integer, Double> nz = new TreeMap<>();
            int k = 3 + rng.nextInt(6);
            while (nz.size() < k) nz.put(1 + rng.nextInt(2500), Math.round((0.25 + rng.nextDouble()) * 100) / 100.0);
            double score = 0;
            double[] dense = new double[WIDTH];
            StringBuilder line = new StringBuilder();
            for (var e : nz.entrySet()) {
                score += (e.getKey() % 2 == 1 ? 1 : -1) * e.getValue();
                dense[e.getKey() - 1] = e.getValue();
                line.append(' ').append(e.getKey()).append(':').append(e.getValue());
            }
            ROWS.add(dense);
            text.append(score > 0 ? 1 : 0).append(line).append('\n');
        }
        data = dir.resolve("rows.libsvm");
        Files.writeString(data, text);
    }

    private static Path train(String name, String... extra) {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--num-features", String.valueOf(WIDTH),
                "--loss", "bce", "--layers", "8", "--epochs", "3", "--batch-size", "64", "--test-fraction", "0", "--seed", "3",
                "--output", out.toString()));
        args.addAll(List.of(extra));
        Run r = run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        return out.resolve("model.json");
    }

    @Test
    void trainOnSparseRowsLearnsWhatDenseStorageLearnsAndPredictIsAPlainForwardPass() throws IOException {
        Network sparse = ModelJson.read(train("sparse", "--feature-storage", "sparse"));
        Network dense = ModelJson.read(train("dense", "--feature-storage", "dense"));
        assertEquals(WIDTH, sparse.topology().inputSize());
        double worst = 0;
        for (int i = 0; i < dense.weights().length; i++) worst = Math.max(worst, Math.abs(dense.weights()[i] - sparse.weights()[i]));
        assertTrue(worst <= 1e-12, "largest weight difference " + worst);

        Path out = dir.resolve("pred.csv");
        Run p = run("predict", "--model", dir.resolve("sparse").toString(), "--data", data.toString(), "--output", out.toString());
        assertEquals(0, p.exitCode(), p.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals(241, lines.size());
        String[] header = lines.get(0).split(",");
        int probability = List.of(header).indexOf("probability");
        assertTrue(probability >= 0, lines.get(0));
        // Reference: the saved weights in a plain network, on the rows as written (sparse input is not standardized).
        assertEquals(null, sparse.scaling(), "sparse input keeps its values");
        ReferenceNetwork ref = new ReferenceNetwork(new int[] {WIDTH, 8, 1}, new String[] {"relu", "sigmoid"}, "bce");
        ref.setFlat(sparse.weights());
        for (int i = 0; i < ROWS.size(); i++) {
            double[] x = ROWS.get(i);
            // The features' text (the sparse vector's) holds commas: count the columns from the end.
            String[] f = lines.get(i + 1).split(",");
            assertEquals(ref.predict(x)[0], Double.parseDouble(f[f.length - (header.length - probability)]), 1e-12, lines.get(i + 1));
        }
    }

    @Test
    void evaluateReadsTheSparseFileAtTheModelsWidth() {
        train("for-evaluate");
        Run e = run("evaluate", "--model", dir.resolve("for-evaluate").toString(), "--data", data.toString());
        assertEquals(0, e.exitCode(), e.err());
        assertTrue(e.out().contains("accuracy"), e.out());
    }

    @Test
    void aLineBeyondTheModelsWidthOrOutOfOrderIsRefusedByFileAndLine() throws IOException {
        train("for-bad-input");
        Path wide = dir.resolve("wide.libsvm");
        Files.writeString(wide, "1 1:0.5 7:1\n0 2:1 3001:2\n");
        Path out = dir.resolve("never.csv");
        Run p = run("predict", "--model", dir.resolve("for-bad-input").toString(), "--data", wide.toString(), "--output", out.toString());
        assertEquals(2, p.exitCode(), p.err());
        assertTrue(p.err().contains("wide.libsvm line 2") && p.err().contains("3001"), p.err());
        assertFalse(Files.exists(out), "nothing written");

        Path unsorted = dir.resolve("unsorted.libsvm");
        Files.writeString(unsorted, "1 5:0.5 2:1\n");
        Run t = run("train", "--data", unsorted.toString(), "--num-features", "10", "--loss", "bce", "--epochs", "1",
                "--output", dir.resolve("never-trained").toString());
        assertEquals(2, t.exitCode(), t.err());
        assertTrue(t.err().contains("unsorted.libsvm line 1") && t.err().contains("does not follow 5"), t.err());
        assertFalse(Files.exists(dir.resolve("never-trained").resolve("model.json")));
    }
}
