package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.io.EpochRecord;
import io.sparkbackprop.io.HistoryCsv;
import io.sparkbackprop.io.LossPlot;
import io.sparkbackprop.io.ModelJson;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Topology;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train's new options and outputs, and the predict, evaluate and plot commands, end to end in this JVM. */
class TrainingCommandsTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.get(0).equals("plot")) all.addAll(1, List.of("--master", "local[2]"));
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private static int colourPixels(BufferedImage img, java.awt.Color c) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) if (img.getRGB(x, y) == c.getRGB()) n++;
        return n;
    }

    @Test
    void trainWithTheNewOptionsWritesModelHistoriesAndALossPicture() throws IOException {
        Path out = dir.resolve("run");
        Run r = run("train", "--rows", "3000", "--epochs", "4", "--layers", "16", "--batch-size", "256", "--optimizer", "momentum",
                "--nesterov", "--learning-rate", "0.01", "--lr-schedule", "cosine", "--warmup-epochs", "1", "--dropout", "0.1", "--l2", "1e-4",
                "--clip-norm", "10", "--early-stopping", "3", "--tol", "1e-6", "--output", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("epoch,train_loss,test_loss", Files.readAllLines(out.resolve("history.csv")).get(0));
        List<EpochRecord> h = HistoryCsv.read(out.resolve("history.csv"));
        assertEquals(4, h.size());
        JsonNode json = new ObjectMapper().readTree(out.resolve("history.json").toFile());
        assertEquals("spark-backprop-history", json.get("format").asText());
        assertEquals("momentum", json.get("settings").get("optimizer").asText());
        assertEquals("0.9 nesterov", json.get("settings").get("momentum").asText());
        assertTrue(json.get("settings").get("lr_schedule").asText().startsWith("cosine"), json.get("settings").toString());
        assertEquals(4, json.get("epochs").size());
        assertEquals(h.get(3).testLoss(), json.get("epochs").get(3).get("test_loss").asDouble(), 0.0);
        // Warm-up epoch 1 ends at the full rate; the cosine then lowers it.
        assertEquals(0.01, json.get("epochs").get(0).get("learning_rate").asDouble(), 1e-15);
        assertTrue(json.get("epochs").get(3).get("learning_rate").asDouble() < 0.01);
        assertTrue(json.get("timings").get("training_seconds").asDouble() > 0);
        BufferedImage png = ImageIO.read(out.resolve("loss.png").toFile());
        assertTrue(colourPixels(png, LossPlot.TRAIN) > 100 && colourPixels(png, LossPlot.TEST) > 100, "two curves");
    }

    @Test
    void badTrainingOptionsNameTheOptionAndTheValidValues() {
        String out = dir.resolve("never").toString();
        Run optimizer = run("train", "--rows", "200", "--optimizer", "lbfgs", "--output", out);
        assertEquals(2, optimizer.exitCode());
        assertTrue(optimizer.err().contains("valid optimizers: sgd, momentum, adam, adamw, rmsprop, adagrad"), optimizer.err());
        Run schedule = run("train", "--rows", "200", "--lr-schedule", "linear", "--output", out);
        assertTrue(schedule.err().contains("unknown learning-rate schedule 'linear' (--lr-schedule, lrSchedule); valid schedules: constant, step, "
                + "exponential, cosine"), schedule.err());
        Run nesterov = run("train", "--rows", "200", "--nesterov", "--output", out);
        assertTrue(nesterov.err().contains("nesterov (--nesterov, nesterov) applies to the momentum optimizer, not adam"), nesterov.err());
        Run dropout = run("train", "--rows", "200", "--dropout", "1", "--output", out);
        assertTrue(dropout.err().contains("dropout (--dropout, dropout) must be in [0, 1), got 1.0"), dropout.err());
        Run early = run("train", "--rows", "200", "--epochs", "1", "--early-stopping", "2", "--test-fraction", "0", "--output", out);
        assertEquals(2, early.exitCode());
        assertTrue(early.err().contains("early stopping (--early-stopping, earlyStopping) watches the test loss, but there are no test rows"), early.err());
        assertTrue(!Files.exists(Path.of(out)));
    }

    @Test
    void badLocalStepsAreRefusedNamingTheOptions() {
        String out = dir.resolve("never").toString();
        Run zero = run("train", "--rows", "200", "--local-steps", "0", "--output", out);
        assertEquals(2, zero.exitCode());
        assertTrue(zero.err().contains("local steps (--local-steps, localSteps) must be at least 1 (1 = synchronous), got 0"), zero.err());
        Run fullBatch = run("train", "--rows", "200", "--batch-size", "0", "--local-steps", "4", "--output", out);
        assertEquals(2, fullBatch.exitCode());
        assertTrue(fullBatch.err().contains("local steps 4 (--local-steps, localSteps) group mini-batch steps into one Spark job, but "
                + "batch size 0 (--batch-size, batchSize) makes a full batch"), fullBatch.err());
        assertTrue(!Files.exists(Path.of(out)));
    }

    /** y = 2·a − b + 0.5 exactly: a linear model with these weights predicts it. */
    private Path linearModel() throws IOException {
        Topology t = new Topology(new int[] {2, 1}, new Activation[] {Activation.LINEAR}, Loss.MSE);
        Path model = dir.resolve("linear.json");
        ModelJson.write(new Network(t, new double[] {2, -1, 0.5}), model);
        return model;
    }

    @Test
    void predictKeepsTheInputColumnsAndAddsThePrediction() throws IOException {
        Path csv = dir.resolve("in.csv");
        Files.writeString(csv, "a,b,y\n1,2,0.4\n0.5,-1,3\n-2,0,-3.5\n");
        Path model = linearModel();
        Path out = dir.resolve("pred.csv");
        Run r = run("predict", "--model", model.toString(), "--data", csv.toString(), "--output", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("a,b,y,prediction", lines.get(0));
        // 2·1 − 2 + 0.5 = 0.5; 2·0.5 + 1 + 0.5 = 2.5; −4 − 0 + 0.5 = −3.5
        double[] expected = {0.5, 2.5, -3.5};
        for (int i = 0; i < 3; i++) {
            String[] f = lines.get(i + 1).split(",");
            assertEquals(4, f.length, lines.get(i + 1));
            assertEquals(expected[i], Double.parseDouble(f[3]), 1e-12, lines.get(i + 1));
        }
        // Without the label column: every column is a feature. Parquet out.
        Path features = dir.resolve("features.csv");
        Files.writeString(features, "a,b\n1,2\n");
        Path parquet = dir.resolve("pred.parquet");
        Run p = run("predict", "--model", model.toString(), "--data", features.toString(), "--output", parquet.toString());
        assertEquals(0, p.exitCode(), p.err());
        byte[] bytes = Files.readAllBytes(parquet);
        assertEquals("PAR1", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
        assertEquals("PAR1", new String(bytes, bytes.length - 4, 4, StandardCharsets.US_ASCII));
        // An existing output is kept unless --overwrite.
        Run again = run("predict", "--model", model.toString(), "--data", csv.toString(), "--output", out.toString());
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("--overwrite"), again.err());
        Run wrong = run("predict", "--model", model.toString(), "--data", dir.resolve("three.csv").toString(), "--output",
                dir.resolve("x.csv").toString());
        assertEquals(2, wrong.exitCode());
        assertTrue(wrong.err().contains("three.csv: no such file"), wrong.err());
    }

    /**
     * A model trained on x0,x1,x2 → y remembers those names (model.json's input_columns); predict and evaluate then
     * select them by name in that order from files that shuffle them among other columns, compressed or as Spark's part
     * directories, and refuse a file lacking one, naming it and writing nothing.
     */
    @Test
    void predictAndEvaluateSelectTheTrainingColumnsByName() throws IOException {
        SplittableRandom random = new SplittableRandom(5);
        double[][] rows = new double[40][];
        StringBuilder train = new StringBuilder("x0,x1,x2,y\n");
        StringBuilder shuffled = new StringBuilder("y,note,x2,x0,x1\n");
        for (int i = 0; i < rows.length; i++) {
            double[] r = {random.nextDouble(), random.nextDouble(), random.nextDouble(), 0};
            r[3] = r[0] - 2 * r[1] + 3 * r[2];
            rows[i] = r;
            train.append(r[0]).append(',').append(r[1]).append(',').append(r[2]).append(',').append(r[3]).append('\n');
            shuffled.append(r[3]).append(",row ").append(i).append(',').append(r[2]).append(',').append(r[0]).append(',').append(r[1]).append('\n');
        }
        Path trainCsv = dir.resolve("train.csv");
        Files.writeString(trainCsv, train);
        Path runDir = dir.resolve("named-run");
        Run t = run("train", "--data", trainCsv.toString(), "--epochs", "2", "--layers", "4", "--output", runDir.toString());
        assertEquals(0, t.exitCode(), t.err());
        JsonNode columns = new ObjectMapper().readTree(runDir.resolve("model.json").toFile()).get("input_columns");
        assertEquals("[\"x0\",\"x1\",\"x2\"]", columns.get("features").toString());
        assertEquals("y", columns.get("label").asText());
        Network net = ModelJson.read(runDir.resolve("model.json"));

        Path shuffledCsv = dir.resolve("shuffled.csv");
        Files.writeString(shuffledCsv, shuffled);
        Path gz = dir.resolve("shuffled.csv.gz");
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(shuffled.toString().getBytes(StandardCharsets.UTF_8));
        }
        for (Path input : List.of(shuffledCsv, gz)) {
            Path out = dir.resolve(input.getFileName() + "-pred.csv");
            Run p = run("predict", "--model", runDir.toString(), "--data", input.toString(), "--output", out.toString());
            assertEquals(0, p.exitCode(), p.err());
            List<String> lines = Files.readAllLines(out);
            assertEquals("y,note,x2,x0,x1,prediction", lines.get(0));
            for (int i = 0; i < rows.length; i++) {
                String[] f = lines.get(i + 1).split(",");
                assertEquals(net.predict(new double[] {rows[i][0], rows[i][1], rows[i][2]})[0], Double.parseDouble(f[5]), 1e-12, input + " row " + i);
            }
        }
        Run same = run("evaluate", "--model", runDir.toString(), "--data", trainCsv.toString());
        Run byName = run("evaluate", "--model", runDir.toString(), "--data", shuffledCsv.toString());
        assertEquals(0, byName.exitCode(), byName.err());
        assertEquals(same.out(), byName.out());

        // A header with spaces after its commas names the same columns (train trims them; so does predict).
        Path spaced = dir.resolve("spaced.csv");
        Files.writeString(spaced, "x2, y, x0, x1\n" + rows[0][2] + ", " + rows[0][3] + ", " + rows[0][0] + ", " + rows[0][1] + "\n");
        Path spacedOut = dir.resolve("spaced-pred.csv");
        Run fromSpaced = run("predict", "--model", runDir.toString(), "--data", spaced.toString(), "--output", spacedOut.toString());
        assertEquals(0, fromSpaced.exitCode(), fromSpaced.err());
        String[] spacedRow = Files.readAllLines(spacedOut).get(1).split(",");
        assertEquals(net.predict(new double[] {rows[0][0], rows[0][1], rows[0][2]})[0], Double.parseDouble(spacedRow[4]), 1e-12);

        // train's --test-data and --init-model match by name too: the shuffled file gives the same test losses and the same
        // continued model as the file in the training order.
        List<double[]> weights = new ArrayList<>();
        List<List<EpochRecord>> histories = new ArrayList<>();
        for (Path other : List.of(trainCsv, shuffledCsv)) {
            Path continued = dir.resolve("continued-" + other.getFileName());
            Run c = run("train", "--data", other.toString(), "--init-model", runDir.resolve("model.json").toString(), "--test-data",
                    other.toString(), "--epochs", "1", "--output", continued.toString());
            assertEquals(0, c.exitCode(), c.err());
            weights.add(ModelJson.read(continued.resolve("model.json")).weights());
            histories.add(HistoryCsv.read(continued.resolve("history.csv")));
        }
        assertArrayEquals(weights.get(0), weights.get(1), 0.0);
        assertEquals(histories.get(0).get(0).testLoss(), histories.get(1).get(0).testLoss(), 0.0);

        Path lacking = dir.resolve("lacking.csv");
        Files.writeString(lacking, "x1,x2,y\n1,2,3\n");
        Path notWritten = dir.resolve("lacking-pred.csv");
        Run refused = run("predict", "--model", runDir.toString(), "--data", lacking.toString(), "--output", notWritten.toString());
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains(lacking + " lacks the feature column 'x0' the model was trained on (its features, in order: x0, x1,"
                + " x2; label: y)"), refused.err());
        assertFalse(Files.exists(notWritten));
        Run refusedEvaluate = run("evaluate", "--model", runDir.toString(), "--data", lacking.toString());
        assertEquals(2, refusedEvaluate.exitCode());
        assertTrue(refusedEvaluate.err().contains("lacks the feature column 'x0'"), refusedEvaluate.err());
    }

    /** Softmax over z = W·x + b for 2 inputs and 3 classes; W column-major. */
    private static final double[] SOFTMAX_W = {1, 0, -1, 0, 1, 0, 0, 0, 0.5};

    private static double[] softmax(double x0, double x1) {
        double[] z = {SOFTMAX_W[0] * x0 + SOFTMAX_W[3] * x1 + SOFTMAX_W[6], SOFTMAX_W[1] * x0 + SOFTMAX_W[4] * x1 + SOFTMAX_W[7],
            SOFTMAX_W[2] * x0 + SOFTMAX_W[5] * x1 + SOFTMAX_W[8]};
        double s = Math.exp(z[0]) + Math.exp(z[1]) + Math.exp(z[2]);
        return new double[] {Math.exp(z[0]) / s, Math.exp(z[1]) / s, Math.exp(z[2]) / s};
    }

    @Test
    void evaluatePrintsRegressionAndClassificationMetricsComputedByHand() throws IOException {
        Path csv = dir.resolve("eval.csv");
        // Predictions 0.5, 2.5, −3.5, 1.5 against labels 1, 2, −3, 3: errors −0.5, 0.5, −0.5, −1.5.
        Files.writeString(csv, "a,b,y\n1,2,1\n0.5,-1,2\n-2,0,-3\n0,-1,3\n");
        Run r = run("evaluate", "--model", linearModel().toString(), "--data", csv.toString());
        assertEquals(0, r.exitCode(), r.err());
        double mse = (0.25 + 0.25 + 0.25 + 2.25) / 4; // 0.75
        double mean = (1 + 2 - 3 + 3) / 4.0;          // 0.75
        double sst = (0.0625 + 1.5625 + 14.0625 + 5.0625);
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "MSE   %.6g", mse)), r.out());
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "RMSE  %.6g", Math.sqrt(mse))), r.out());
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "MAE   %.6g", 3.0 / 4)), r.out());
        assertTrue(r.out().contains(String.format(java.util.Locale.ROOT, "R²    %.6g", 1 - 3.0 / sst)), r.out());
        assertEquals(0.75, mean);

        Topology t = new Topology(new int[] {2, 3}, new Activation[] {Activation.SOFTMAX}, Loss.CROSS_ENTROPY);
        Path model = dir.resolve("softmax");
        Files.createDirectories(model);
        ModelJson.write(new Network(t, SOFTMAX_W.clone()), model.resolve("model.json"));
        double[][] rows = {{2, 0, 0}, {0, 2, 1}, {-2, 0, 2}, {0, -3, 2}, {2, 1, 1}, {-1, -1, 0}};
        StringBuilder sb = new StringBuilder("x0,x1,class\n");
        double logLoss = 0;
        long[][] confusion = new long[3][3];
        for (double[] row : rows) {
            sb.append(row[0]).append(',').append(row[1]).append(',').append((int) row[2]).append('\n');
            double[] p = softmax(row[0], row[1]);
            int best = 0;
            for (int c = 1; c < 3; c++) if (p[c] > p[best]) best = c;
            confusion[(int) row[2]][best]++;
            logLoss -= Math.log(p[(int) row[2]]);
        }
        // By hand from the softmax: (2,0)→0, (0,2)→1, (−2,0)→2, (0,−3)→2, (2,1)→0, (−1,−1)→2.
        assertArrayEquals(new long[] {1, 0, 1}, confusion[0]);
        assertArrayEquals(new long[] {1, 1, 0}, confusion[1]);
        assertArrayEquals(new long[] {0, 0, 2}, confusion[2]);
        // F1 per class: 0: P 1/2, R 1/2 → 1/2; 1: P 1, R 1/2 → 2/3; 2: P 2/3, R 1 → 4/5; weighted by 2, 2, 2 true rows.
        double f1 = (0.5 + 2.0 / 3 + 0.8) / 3;
        Path data = dir.resolve("classes.csv");
        Files.writeString(data, sb);
        Run c = run("evaluate", "--model", model.toString(), "--data", data.toString());
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(c.out().contains(String.format(java.util.Locale.ROOT, "accuracy  %.6g", 4.0 / 6)), c.out());
        assertTrue(c.out().contains(String.format(java.util.Locale.ROOT, "F1        %.6g", f1)), c.out());
        assertTrue(c.out().contains(String.format(java.util.Locale.ROOT, "log-loss  %.6g", logLoss / 6)), c.out());
        assertTrue(c.out().contains("  0  1  0  1\n  1  1  1  0\n  2  0  0  2".replace("\n", System.lineSeparator())), c.out());

        // predict on the same file: class and probabilities per row.
        Path out = dir.resolve("classes-pred.csv");
        Run p = run("predict", "--model", model.toString(), "--data", data.toString(), "--output", out.toString());
        assertEquals(0, p.exitCode(), p.err());
        List<String> lines = Files.readAllLines(out);
        assertEquals("x0,x1,class,prediction,probability_0,probability_1,probability_2", lines.get(0));
        String[] f = lines.get(2).split(",");
        double[] expected = softmax(0, 2);
        assertEquals(1.0, Double.parseDouble(f[3]));
        for (int k = 0; k < 3; k++) assertEquals(expected[k], Double.parseDouble(f[4 + k]), 1e-12);
    }

    @Test
    void plotOverlaysRunsFromTheirDirectories() throws IOException {
        for (String name : new String[] {"a", "b"}) {
            Path run = dir.resolve(name);
            Files.createDirectories(run);
            List<EpochRecord> h = new ArrayList<>();
            SplittableRandom rng = new SplittableRandom(name.hashCode());
            for (int e = 1; e <= 20; e++) h.add(new EpochRecord(e, 2.0 / e + rng.nextDouble(0.01), 2.5 / e, e));
            HistoryCsv.write(h, run.resolve("history.csv"));
        }
        Path png = dir.resolve("both.png");
        Run r = run("plot", dir.resolve("a").toString(), dir.resolve("b").toString(), dir.resolve("b").toString(), "--output", png.toString());
        assertEquals(0, r.exitCode(), r.err());
        BufferedImage img = ImageIO.read(png.toFile());
        // A colour per run: a blue, b orange, then "b #2" (the same folder again) green, drawn over b.
        assertTrue(colourPixels(img, LossPlot.TRAIN) > 100, "run a");
        assertTrue(colourPixels(img, new java.awt.Color(0x2CA02C)) > 100, "run b #2");
        Run missing = run("plot", dir.resolve("nothing").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("neither history.json nor history.csv"), missing.err());
    }
}
