package io.sparkbackprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.io.EpochRecord;
import io.sparkbackprop.io.HistoryCsv;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job README.md's first command runs ({@code ./submit.sh train} with only --output), here in-process
 * on two cores, with the default optimizer (Adam): it must come within 6% of the Friedman #1 noise floor (test
 * MSE ≤ 1.06; the best possible is 1.0), and leave its loss picture and history.json beside the model. The
 * time is printed, not asserted: this machine is shared.
 */
class DefaultJobTest {
    @TempDir
    Path dir;

    @Test
    void defaultJobReachesTheNoiseFloorOnFriedman1() throws Exception {
        long start = System.nanoTime();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "train", "--master", "local[2]", "--output", dir.resolve("run").toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, code, err.toString());
        List<EpochRecord> history = HistoryCsv.read(dir.resolve("run/history.csv"));
        EpochRecord last = history.get(history.size() - 1);
        System.out.printf("default job: %d epochs, final train MSE %.4f, test MSE %.4f, %.1f s%n",
                history.size(), last.trainLoss(), last.testLoss(), seconds);
        assertTrue(last.testLoss() <= 1.06, "test MSE " + last.testLoss() + " > 1.06");
        assertTrue(last.testLoss() >= 0.9, "test MSE " + last.testLoss() + " is below the noise floor: the test set leaks");
        assertTrue(javax.imageio.ImageIO.read(dir.resolve("run/loss.png").toFile()).getWidth() > 0, "loss.png decodes");
        assertEquals(80, io.sparkbackprop.io.HistoryJson.readEpochs(dir.resolve("run/history.json")).size());
    }
}
