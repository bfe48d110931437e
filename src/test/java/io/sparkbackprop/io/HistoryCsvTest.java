package io.sparkbackprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCsvTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsEveryBitAndTheMissingTestLosses() throws IOException {
        // Records compare doubles with Double.compare: NaN equals NaN, -0.0 differs from 0.0.
        List<EpochRecord> history = List.of(
                new EpochRecord(1, 0.1 + 0.2, Double.NaN, 0.5),
                new EpochRecord(2, 1.0 / 3.0, 0.123456789012345678, 1.25),
                new EpochRecord(3, Double.MIN_VALUE, Double.NaN, 2.0000000000000004),
                new EpochRecord(4, 1e300, Double.POSITIVE_INFINITY, 3.75),
                new EpochRecord(5, -0.0, 7e-310, 1234567.891));
        Path file = dir.resolve("history.csv");
        HistoryCsv.write(history, file);
        // Timings are not written to history.csv, so they read back as NaN.
        List<EpochRecord> withoutTimes = history.stream()
                .map(r -> new EpochRecord(r.epoch(), r.trainLoss(), r.testLoss(), Double.NaN)).toList();
        assertEquals(withoutTimes, HistoryCsv.read(file));
    }

    @Test
    void fileHasTheHeaderAndAnEmptyFieldForAMissingTestLoss() throws IOException {
        Path file = dir.resolve("history.csv");
        HistoryCsv.write(List.of(new EpochRecord(1, 0.5, Double.NaN, 1.5), new EpochRecord(2, 0.25, 0.375, 3.0)), file);
        assertEquals(List.of("epoch,train_loss,test_loss", "1,0.5,", "2,0.25,0.375"),
                Files.readAllLines(file));
    }

    @Test
    void readsAnOptionalSecondsColumn() throws IOException {
        Path file = write("epoch,train_loss,test_loss,seconds\n1,0.9,,1.5\n");
        assertEquals(List.of(new EpochRecord(1, 0.9, Double.NaN, 1.5)), HistoryCsv.read(file));
    }

    @Test
    void readsAFileWithoutTheSecondsColumn() throws IOException {
        Path file = write("epoch,train_loss,test_loss\n1,0.9,\n2,0.5,0.6\n");
        assertEquals(List.of(new EpochRecord(1, 0.9, Double.NaN, Double.NaN), new EpochRecord(2, 0.5, 0.6, Double.NaN)),
                HistoryCsv.read(file));
    }

    @Test
    void readsColumnsByNameToleratingReorderingExtrasCrlfAndABlankLastLine() throws IOException {
        Path file = write("\uFEFFtest_loss,epoch,lr,train_loss\r\n,1,0.01,0.9\r\n0.4,2,0.01,0.5\r\n\r\n");
        assertEquals(List.of(new EpochRecord(1, 0.9, Double.NaN, Double.NaN), new EpochRecord(2, 0.5, 0.4, Double.NaN)),
                HistoryCsv.read(file));
    }

    @Test
    void anEmptyHistoryIsJustTheHeader() throws IOException {
        Path file = dir.resolve("history.csv");
        HistoryCsv.write(List.of(), file);
        assertEquals(List.of("epoch,train_loss,test_loss"), Files.readAllLines(file));
        assertEquals(List.of(), HistoryCsv.read(file));
    }

    @Test
    void malformedFilesNameTheFileAndLine() throws IOException {
        Path badNumber = write("epoch,train_loss,test_loss\n1,0.9,\n2,zero,0.6\n");
        assertEquals(badNumber + " line 3: train_loss 'zero' is not a number",
                assertThrows(IOException.class, () -> HistoryCsv.read(badNumber)).getMessage());

        Path badEpoch = write("epoch,train_loss,test_loss\n1.5,0.9,\n");
        assertEquals(badEpoch + " line 2: epoch '1.5' is not an integer",
                assertThrows(IOException.class, () -> HistoryCsv.read(badEpoch)).getMessage());

        Path shortRow = write("epoch,train_loss,test_loss\n1,0.9\n");
        assertEquals(shortRow + " line 2: has 2 fields, the header has 3",
                assertThrows(IOException.class, () -> HistoryCsv.read(shortRow)).getMessage());

        Path noTrain = write("epoch,loss,test_loss\n1,0.9,\n");
        assertEquals(noTrain + " line 1: the header [epoch, loss, test_loss] has no 'train_loss' column",
                assertThrows(IOException.class, () -> HistoryCsv.read(noTrain)).getMessage());

        Path empty = write("");
        assertTrue(assertThrows(IOException.class, () -> HistoryCsv.read(empty)).getMessage()
                .endsWith("line 1: missing the header line"));
    }

    private int files;

    private Path write(String content) throws IOException {
        Path file = dir.resolve("h" + files++ + ".csv");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
