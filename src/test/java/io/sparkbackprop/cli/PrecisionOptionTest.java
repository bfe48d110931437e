package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.io.EpochRecord;
import io.sparkbackprop.io.HistoryCsv;
import io.sparkbackprop.nn.Precision;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** train's --precision: parsed, refused with the valid values, settable from a job file, and trains. */
class PrecisionOptionTest {
    @TempDir
    Path dir;

    private static int train(StringWriter err, String... args) {
        List<String> all = new ArrayList<>(List.of("train", "--master", "local[2]"));
        all.addAll(List.of(args));
        return Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), all.toArray(String[]::new));
    }

    /** As Main parses: the train subcommand, with job files installed. */
    private static TrainCommand parse(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "train";
        System.arraycopy(args, 0, all, 1, args.length);
        CommandLine cli = new CommandLine(new Main());
        JobFile.install(cli, all);
        return (TrainCommand) cli.parseArgs(all).subcommand().commandSpec().userObject();
    }

    @Test
    void theOptionDefaultsToDoubleAndTakesFloat() {
        assertEquals(Precision.DOUBLE, parse().precision);
        assertEquals(Precision.FLOAT, parse("--precision", "float").precision);
    }

    @Test
    void aBadValueNamesTheOptionAndTheValidValuesOnTheCommandLineAndInAJobFile() throws IOException {
        StringWriter err = new StringWriter();
        assertEquals(2, train(err, "--precision", "half", "--output", dir.resolve("never").toString()));
        assertTrue(err.toString().contains("--precision") && err.toString().contains("'half'")
                && err.toString().contains("double, float"), err.toString());
        assertFalse(Files.exists(dir.resolve("never")));

        Path job = dir.resolve("job.properties");
        Files.writeString(job, "precision = half\n");
        String message = assertThrows(IllegalArgumentException.class, () -> parse("--config", job.toString())).getMessage();
        assertTrue(message.startsWith(job + ": precision = half: ") && message.contains("--precision")
                && message.contains("double, float"), message);
    }

    @Test
    void aJobFileSetsItAndTheRunRecordsIt() throws IOException {
        Path job = dir.resolve("job.properties");
        Path out = dir.resolve("run");
        Files.writeString(job, "precision = float\nrows = 1500\nepochs = 2\nlayers = 16\nbatch-size = 256\n");
        StringWriter err = new StringWriter();
        assertEquals(0, train(err, "--config", job.toString(), "--output", out.toString()), err.toString());
        List<EpochRecord> history = HistoryCsv.read(out.resolve("history.csv"));
        assertEquals(2, history.size());
        assertTrue(history.get(1).trainLoss() < history.get(0).trainLoss(), "loss fell: " + history);
        String runJson = Files.readString(out.resolve("history.json"));
        assertTrue(runJson.matches("(?s).*\"precision\"\\s*:\\s*\"float\".*"), "history.json records the precision: " + runJson);
    }
}
