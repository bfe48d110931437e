package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.ReferenceNetwork;
import io.sparkbackprop.io.EpochRecord;
import io.sparkbackprop.io.HistoryCsv;
import io.sparkbackprop.io.ModelJson;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Topology;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train command end to end, in this JVM, on local[2]. */
class TrainCommandTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String err) {
    }

    private static Run train(String... args) {
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("train", "--master", "local[2]"));
        all.addAll(List.of(args));
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, err.toString());
    }

    /** A CSV of rows x0,x1,x2,y with y a smooth function of the features. */
    private static double[][] writeCsv(Path file, int rows, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("x0,x1,x2,y\n");
        double[][] data = new double[rows][4];
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < 3; c++) data[i][c] = rng.nextDouble(-1, 1);
            data[i][3] = Math.sin(2 * data[i][0]) + data[i][1] * data[i][2];
            sb.append(data[i][0]).append(',').append(data[i][1]).append(',').append(data[i][2]).append(',').append(data[i][3]).append('\n');
        }
        Files.writeString(file, sb);
        return data;
    }

    private static double[][] column(double[][] rows, int from, int to) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) out[i] = java.util.Arrays.copyOfRange(rows[i], from, to);
        return out;
    }

    @Test
    void fullBatchSgdFromAnInitModelFollowsTheReferenceNetwork() throws IOException {
        double[][] train = writeCsv(dir.resolve("train.csv"), 150, 1);
        double[][] test = writeCsv(dir.resolve("test.csv"), 60, 2);
        Topology t = new Topology(new int[] {3, 5, 1}, new Activation[] {Activation.TANH, Activation.LINEAR}, Loss.MSE);
        double[] w0 = Initializer.SCALED_NORMAL.initialize(t, 7);
        // The portable form a numpy user writes: loss and layers only (no format, version, input_size). It has no
        // scaling, so the run has none although --standardize is on by default: the reference runs on the raw rows.
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode portable =
                (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(ModelJson.toJson(new Network(t, w0)));
        portable.remove(List.of("format", "version", "input_size"));
        Files.writeString(dir.resolve("init.json"), json.writeValueAsString(portable));
        List<String> keys = new ArrayList<>();
        portable.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("layers", "loss"), keys.stream().sorted().toList());
        Path out = dir.resolve("out");
        Run run = train("--data", dir.resolve("train.csv").toString(), "--test-data", dir.resolve("test.csv").toString(),
                "--init-model", dir.resolve("init.json").toString(), "--optimizer", "sgd", "--batch-size", "0",
                "--learning-rate", "0.1", "--epochs", "6", "--output", out.toString());
        assertEquals(0, run.exitCode(), run.err());

        ReferenceNetwork ref = new ReferenceNetwork(new int[] {3, 5, 1}, new String[] {"tanh", "linear"}, "mse");
        ref.setFlat(w0);
        List<EpochRecord> history = HistoryCsv.read(out.resolve("history.csv"));
        assertEquals(6, history.size());
        for (int e = 0; e < 6; e++) {
            double trainLoss = ref.cost(column(train, 0, 3), column(train, 3, 4));
            ref.sgdStep(column(train, 0, 3), column(train, 3, 4), 0.1);
            double testLoss = ref.cost(column(test, 0, 3), column(test, 3, 4));
            assertEquals(trainLoss, history.get(e).trainLoss(), 1e-9 * trainLoss, "train loss, epoch " + (e + 1));
            assertEquals(testLoss, history.get(e).testLoss(), 1e-9 * testLoss, "test loss, epoch " + (e + 1));
        }
        Network trained = ModelJson.read(out.resolve("model.json"));
        assertEquals(t, trained.topology());
        double[] expected = ref.flat();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], trained.weights()[i], 1e-9 * Math.max(1, Math.abs(expected[i])), "weight " + i);
        }
    }

    @Test
    void generatedDataRunWritesModelAndHistory() throws IOException {
        Path out = dir.resolve("run");
        Run run = train("--rows", "3000", "--epochs", "3", "--layers", "16", "--batch-size", "256", "--output", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<EpochRecord> history = HistoryCsv.read(out.resolve("history.csv"));
        assertEquals(3, history.size());
        assertTrue(history.get(2).trainLoss() < history.get(0).trainLoss(), "loss fell: " + history);
        Network net = ModelJson.read(out.resolve("model.json"));
        assertEquals(List.of(10, 16, 1), java.util.Arrays.stream(net.topology().sizes()).boxed().toList());
        assertEquals(Activation.RELU, net.topology().activation(0));
    }

    /** A resumed run takes its network from the checkpoint, so the command needs no network options again. */
    @Test
    void resumingTakesTheCheckpointsNetworkAndEndsLikeTheUninterruptedRun() throws IOException {
        String ckpt = dir.resolve("ckpt").toString();
        String[] common = {"--rows", "2000", "--batch-size", "256", "--seed", "4", "--partitions", "2", "--checkpoint-dir", ckpt};
        Run first = train(concat(common, "--layers", "12", "--activation", "tanh", "--epochs", "2", "--output", dir.resolve("a").toString()));
        assertEquals(0, first.exitCode(), first.err());
        Run resumed = train(concat(common, "--resume", "--epochs", "4", "--output", dir.resolve("b").toString()));
        assertEquals(0, resumed.exitCode(), resumed.err());
        Run straight = train("--rows", "2000", "--batch-size", "256", "--seed", "4", "--partitions", "2", "--layers", "12",
                "--activation", "tanh", "--epochs", "4", "--output", dir.resolve("c").toString());
        assertEquals(0, straight.exitCode(), straight.err());
        Network b = ModelJson.read(dir.resolve("b/model.json"));
        assertEquals(List.of(10, 12, 1), java.util.Arrays.stream(b.topology().sizes()).boxed().toList());
        assertEquals(Activation.TANH, b.topology().activation(0));
        org.junit.jupiter.api.Assertions.assertArrayEquals(ModelJson.read(dir.resolve("c/model.json")).weights(), b.weights(), 0.0);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void standardizedModelsPredictInLabelUnits() throws IOException {
        // y = 1000·x0 + 5000: a linear network on standardized data must learn it and answer in label units.
        StringBuilder sb = new StringBuilder("x0,y\n");
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 400; i++) {
            double x = rng.nextDouble(10, 20);
            sb.append(x).append(',').append(1000 * x + 5000).append('\n');
        }
        Files.writeString(dir.resolve("lin.csv"), sb);
        Path out = dir.resolve("lin");
        Run run = train("--data", dir.resolve("lin.csv").toString(), "--layers", "0", "--standardize", "--optimizer", "sgd",
                "--learning-rate", "0.3", "--batch-size", "0", "--epochs", "60", "--output", out.toString());
        assertEquals(0, run.exitCode(), run.err());
        Network net = ModelJson.read(out.resolve("model.json"));
        assertEquals(16_000, net.predict(new double[] {11})[0], 1.0);
        assertEquals(24_000, net.predict(new double[] {19})[0], 1.0);
    }

    @Test
    void badInputGivesAClearErrorAndWritesNothing() throws IOException {
        Path out = dir.resolve("never");
        Run missing = train("--data", dir.resolve("nope.csv").toString(), "--output", out.toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("nope.csv"), missing.err());

        Files.writeString(dir.resolve("bad.csv"), "a,b,y\n1,2,3\n4,five,6\n7,8,9\n");
        Run bad = train("--data", dir.resolve("bad.csv").toString(), "--output", out.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("bad.csv line 3, column 'b': 'five' is not a number"), bad.err());

        Files.writeString(dir.resolve("empty.csv"), "a,b,y\n");
        Run empty = train("--data", dir.resolve("empty.csv").toString(), "--output", out.toString());
        assertEquals(2, empty.exitCode());
        assertTrue(empty.err().contains("no data rows"), empty.err());

        writeCsv(dir.resolve("three.csv"), 50, 4);
        Topology two = Topology.of(2, new int[] {4}, Activation.RELU, 1, Loss.MSE);
        ModelJson.write(new Network(two, new double[two.numParams()]), dir.resolve("two.json"));
        Run wrongWidth = train("--data", dir.resolve("three.csv").toString(), "--init-model", dir.resolve("two.json").toString(),
                "--output", out.toString());
        assertEquals(2, wrongWidth.exitCode());
        assertTrue(wrongWidth.err().contains("expects 2 features but the data has 3"), wrongWidth.err());

        Run badOption = train("--activation", "swish", "--rows", "100", "--output", out.toString());
        assertEquals(2, badOption.exitCode());
        assertTrue(badOption.err().contains("valid activations: relu, sigmoid, tanh, linear"), badOption.err());

        Run diverged = train("--rows", "2000", "--optimizer", "sgd", "--learning-rate", "1e4", "--batch-size", "50", "--epochs", "10", "--output", out.toString());
        assertEquals(2, diverged.exitCode());
        assertTrue(diverged.err().contains("diverged at epoch"), diverged.err());
        assertFalse(Files.exists(out), "a failed run must leave no output");
        try (var siblings = Files.list(dir)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().contains("never")), "no temporary output left behind");
        }
    }

    @Test
    void refusesToOverwriteAPreviousRunUnlessAsked() throws IOException {
        Path out = dir.resolve("kept");
        Files.createDirectories(out);
        Files.writeString(out.resolve("model.json"), "previous");
        Run refused = train("--rows", "500", "--epochs", "1", "--output", out.toString());
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("--overwrite"), refused.err());
        assertEquals("previous", Files.readString(out.resolve("model.json")));
        Run replaced = train("--rows", "500", "--epochs", "1", "--output", out.toString(), "--overwrite");
        assertEquals(0, replaced.exitCode(), replaced.err());
        assertTrue(Files.readString(out.resolve("model.json")).contains("\"layers\""));
    }

    @Test
    void classifiesWithCrossEntropyAndWithLogisticLoss() throws IOException {
        // Three classes by the sign pattern of two features; a binary label for the logistic case.
        SplittableRandom rng = new SplittableRandom(5);
        StringBuilder multi = new StringBuilder("a,b,class\n");
        StringBuilder binary = new StringBuilder("a,b,positive\n");
        for (int i = 0; i < 600; i++) {
            double a = rng.nextDouble(-1, 1);
            double b = rng.nextDouble(-1, 1);
            int c = a < 0 ? 0 : b < 0 ? 1 : 2;
            multi.append(a).append(',').append(b).append(',').append(c).append('\n');
            binary.append(a).append(',').append(b).append(',').append(a + b > 0 ? 1 : 0).append('\n');
        }
        Files.writeString(dir.resolve("multi.csv"), multi);
        Files.writeString(dir.resolve("binary.csv"), binary);
        for (String[] c : new String[][] {{"multi.csv", "cross-entropy", "3"}, {"binary.csv", "bce", "1"}}) {
            Path out = dir.resolve(c[1]);
            Run run = train("--data", dir.resolve(c[0]).toString(), "--loss", c[1], "--layers", "16", "--learning-rate", "0.01",
                    "--batch-size", "32", "--epochs", "15", "--output", out.toString());
            assertEquals(0, run.exitCode(), run.err());
            Network net = ModelJson.read(out.resolve("model.json"));
            assertEquals(Integer.parseInt(c[2]), net.topology().outputSize());
            List<EpochRecord> h = HistoryCsv.read(out.resolve("history.csv"));
            // Chance level is ln 3 ≈ 1.10 (cross-entropy) and ln 2 ≈ 0.69 (logistic): the model must be far better.
            assertTrue(h.get(h.size() - 1).testLoss() < 0.25, c[1] + " test loss " + h.get(h.size() - 1).testLoss());
            double[] p = net.predict(new double[] {0.5, 0.5});
            if (c[1].equals("bce")) {
                assertTrue(p[0] > 0.9, "P(positive) at (0.5, 0.5) = " + p[0]);
            } else {
                assertTrue(p[2] > 0.9 && Math.abs(p[0] + p[1] + p[2] - 1) < 1e-12, java.util.Arrays.toString(p));
            }
        }
    }

    @Test
    void optionsOutOfRangeAreRefusedWithTheValidChoices() {
        String[][] cases = {
            {"--learning-rate", "-0.1", "learning rate (--learning-rate, stepSize) must be a positive number"},
            {"--epochs", "0", "epochs (--epochs, maxIter) must be positive"},
            {"--layers", "16,0", "--layers sizes must be positive"},
            {"--activation", "swish", "valid activations: relu, sigmoid, tanh, linear"},
            {"--loss", "hinge", "valid losses: mse, bce, cross-entropy"},
            {"--optimizer", "lbfgs", "valid optimizers: sgd, momentum, adam, adamw, rmsprop, adagrad"},
            {"--init", "zeros", "valid schemes: he, xavier, scaled-normal"},
            {"--batch-size", "-5", "batch size (--batch-size, batchSize) must be 0 (full batch) or positive"},
            {"--test-fraction", "1.5", "--test-fraction must be in [0, 1)"},
            {"--chunk-size", "0", "the chunk size (--chunk-size, chunkSize) must be positive, got 0"},
            {"--checkpoint-every", "0", "--checkpoint-every must be positive"},
        };
        for (String[] c : cases) {
            Run run = train("--rows", "200", c[0], c[1], "--output", dir.resolve("never").toString());
            assertEquals(2, run.exitCode(), c[0] + " " + c[1] + ": " + run.err());
            assertTrue(run.err().contains(c[2]), c[0] + " " + c[1] + ": " + run.err());
        }
        assertFalse(Files.exists(dir.resolve("never")));
    }

    @Test
    void dropInvalidSkipsNonFiniteRowsAndLabelsOutsideAModelsClassesAreRefused() throws IOException {
        StringBuilder sb = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 200; i++) sb.append(i % 7).append(',').append(i % 3).append(',').append(i % 2).append('\n');
        sb.append("1,NaN,0\n").append("2,3,inf\n");
        Files.writeString(dir.resolve("nan.csv"), sb);
        Run refused = train("--data", dir.resolve("nan.csv").toString(), "--epochs", "1", "--output", dir.resolve("a").toString());
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("nan.csv line 202, column 'b': 'NaN' is not a finite number"), refused.err());
        Run dropped = train("--data", dir.resolve("nan.csv").toString(), "--epochs", "1", "--drop-invalid", "--test-fraction", "0",
                "--loss", "cross-entropy", "--output", dir.resolve("b").toString());
        assertEquals(0, dropped.exitCode(), dropped.err());
        Network twoClasses = ModelJson.read(dir.resolve("b/model.json"));
        assertEquals(2, twoClasses.topology().outputSize());

        Files.writeString(dir.resolve("three.csv"), "a,b,y\n1,2,0\n3,4,2\n5,6,1\n");
        Run outside = train("--data", dir.resolve("three.csv").toString(), "--init-model", dir.resolve("b/model.json").toString(),
                "--test-fraction", "0", "--output", dir.resolve("c").toString());
        assertEquals(2, outside.exitCode());
        assertTrue(outside.err().contains("labels range from 0.0 to 2.0") && outside.err().contains("classes 0..1"), outside.err());
    }
}
