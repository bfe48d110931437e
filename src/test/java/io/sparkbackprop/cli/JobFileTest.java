package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.io.ModelJson;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** --config job files: the examples in conf/, overriding from the command line, and mistakes in a file. */
class JobFileTest {
    @TempDir
    Path dir;

    /** Parses like Main.run does, without running: the train command with its options set. */
    private static TrainCommand parse(String... args) {
        CommandLine cli = new CommandLine(new Main());
        JobFile.install(cli, args);
        return (TrainCommand) cli.parseArgs(args).subcommand().commandSpec().userObject();
    }

    private static List<Path> exampleJobFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("conf"))) {
            return files.filter(p -> p.toString().endsWith(".properties") && !p.getFileName().toString().startsWith("log4j2"))
                    .sorted().toList();
        }
    }

    @Test
    void everyExampleJobFileReadsAndTheyCoverTheThreeUses() throws IOException {
        List<String> names = exampleJobFiles().stream().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("friedman.properties", "mnist.properties", "regression-csv.properties"), names);
        CommandLine train = new CommandLine(new Main()).getSubcommands().get("train");
        for (Path file : exampleJobFiles()) assertFalse(JobFile.read(train, file.toString()).isEmpty(), file.toString());
    }

    @Test
    void theFriedmanJobFileIsExactlyTheDefaultJob() {
        CommandLine plain = new CommandLine(new Main());
        plain.parseArgs("train");
        CommandLine configured = new CommandLine(new Main());
        String[] args = {"train", "--config", "conf/friedman.properties"};
        JobFile.install(configured, args);
        configured.parseArgs(args);
        List<OptionSpec> a = plain.getSubcommands().get("train").getCommandSpec().options();
        List<OptionSpec> b = configured.getSubcommands().get("train").getCommandSpec().options();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).longestName().equals(JobFile.OPTION)) continue;
            assertTrue(Objects.deepEquals(a.get(i).getValue(), b.get(i).getValue()),
                    a.get(i).longestName() + ": default " + a.get(i).getValue() + ", friedman.properties " + b.get(i).getValue());
        }
    }

    @Test
    void theFilesValuesApplyAndTheCommandLineOverridesThem() {
        TrainCommand fromFile = parse("train", "--config", "conf/mnist.properties");
        assertEquals("data/mnist_train.csv", fromFile.data.data);
        assertEquals("label", fromFile.data.label);
        assertTrue(fromFile.data.standardize);
        assertArrayEquals(new int[] {128}, fromFile.network.layers);
        assertEquals("cross-entropy", fromFile.network.loss);
        assertEquals(20, fromFile.epochs);
        assertEquals(512, fromFile.batchSize);
        assertEquals(0.001, fromFile.learningRate);

        TrainCommand overridden = parse("train", "--epochs", "3", "--config=conf/mnist.properties", "--standardize=false",
                "--layers", "16,8", "--data", "x.csv");
        assertEquals(3, overridden.epochs);
        assertFalse(overridden.data.standardize);
        assertArrayEquals(new int[] {16, 8}, overridden.network.layers);
        assertEquals("x.csv", overridden.data.data);
        assertEquals("cross-entropy", overridden.network.loss, "what the command line leaves alone comes from the file");

        // Without a job file nothing changes: the code's defaults (the features standardized, the label not).
        TrainCommand none = parse("train");
        assertNull(none.data.data);
        assertTrue(none.data.standardize);
        assertFalse(none.data.standardizeLabel);
        assertEquals(80, none.epochs);
    }

    private String error(String content) throws IOException {
        Path file = dir.resolve("job.properties");
        Files.writeString(file, content);
        return assertThrows(IllegalArgumentException.class, () -> parse("train", "--config", file.toString())).getMessage();
    }

    @Test
    void mistakesInAJobFileAreReportedWithTheFileAndKey() throws IOException {
        String file = dir.resolve("job.properties").toString();
        String unknown = error("epochs = 3\nepoch = 4\n");
        assertTrue(unknown.startsWith(file + ": unknown setting 'epoch'; a job file sets train's options by their long names: "), unknown);
        assertTrue(unknown.contains("batch-size, block-size,"), unknown);
        assertEquals(file + ": epochs = many: Invalid value for option '--epochs': 'many' is not an int", error("epochs = many\n"));
        assertEquals(file + ": layers = 64,x: Invalid value for option '--layers' (<layers>): 'x' is not an int",
                error("layers = 64,x\n"));
        assertEquals(file + ": standardize = yes: Invalid value for option '--standardize': 'yes' is not a boolean",
                error("standardize = yes\n"));
        assertEquals(file + ": overwrite = 1: must be true or false", error("overwrite = 1\n"));
        assertEquals(file + ": seed = : has no value", error("seed =\n"));
        assertTrue(error("master = spark://127.0.0.1:7077\n").startsWith(file + ": 'master' cannot be set in a job file: "
                + "the Spark master comes from submit.sh"));
        assertEquals("--config " + dir.resolve("nope.properties") + ": no such file",
                assertThrows(IllegalArgumentException.class, () -> parse("train", "--config", dir.resolve("nope.properties").toString()))
                        .getMessage());
    }

    @Test
    void theCommandLineReportsJobFileErrorsAsOneLine() {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "train", "--config", dir.resolve("nope.properties").toString());
        assertEquals(2, code);
        assertEquals("error: --config " + dir.resolve("nope.properties") + ": no such file", err.toString().trim());
    }

    /** A CSV with a header, the label first and named 'label' (the layout mnist.properties expects). */
    private static void writeClasses(Path file, int rows, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("label,p0,p1,p2,p3\n");
        for (int i = 0; i < rows; i++) {
            double[] p = {rng.nextDouble(0, 255), rng.nextDouble(0, 255), rng.nextDouble(0, 255), rng.nextDouble(0, 255)};
            int label = p[0] > 170 ? 2 : p[0] > 85 ? 1 : 0;
            sb.append(label);
            for (double v : p) sb.append(',').append(v);
            sb.append('\n');
        }
        Files.writeString(file, sb);
    }

    private static int run(String... args) {
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("train", "--master", "local[2]"));
        all.addAll(Arrays.asList(args));
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), all.toArray(String[]::new));
        assertEquals(0, code, err.toString());
        return code;
    }

    @Test
    void theMnistJobFileTrainsAClassifierOnItsShapeOfCsv() throws IOException {
        writeClasses(dir.resolve("train.csv"), 600, 1);
        writeClasses(dir.resolve("test.csv"), 200, 2);
        Path out = dir.resolve("mnist");
        run("--config", "conf/mnist.properties", "--data", dir.resolve("train.csv").toString(),
                "--test-data", dir.resolve("test.csv").toString(), "--epochs", "2", "--output", out.toString());
        Network net = ModelJson.read(out.resolve("model.json"));
        // 4 pixel columns, the file's 128 hidden units, 3 classes found in the labels; scaled inputs.
        assertArrayEquals(new int[] {4, 128, 3}, net.topology().sizes());
        assertEquals(Loss.CROSS_ENTROPY, net.topology().loss());
        assertNotNull(net.scaling());
    }

    @Test
    void theRegressionJobFileTrainsOnACsvOfOnesOwn() throws IOException {
        SplittableRandom rng = new SplittableRandom(5);
        StringBuilder sb = new StringBuilder("area,rooms,price\n");
        for (int i = 0; i < 500; i++) {
            double area = rng.nextDouble(30, 200);
            double rooms = rng.nextInt(1, 6);
            sb.append(area).append(',').append(rooms).append(',').append(3000 * area + 10_000 * rooms).append('\n');
        }
        Files.writeString(dir.resolve("houses.csv"), sb);
        Path out = dir.resolve("houses");
        run("--config", "conf/regression-csv.properties", "--data", dir.resolve("houses.csv").toString(), "--epochs", "2",
                "--output", out.toString());
        Network net = ModelJson.read(out.resolve("model.json"));
        assertArrayEquals(new int[] {2, 64, 32, 1}, net.topology().sizes());
        assertEquals(Loss.MSE, net.topology().loss());
        assertNotNull(net.scaling().labelMean(), "standardize-label = true scales the label of a regression");
    }
}
