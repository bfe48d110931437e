package io.sparkbackprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryJsonTest {
    @TempDir
    Path dir;

    @Test
    void settingsTimingsAndEpochsRoundTripWithUnmeasuredAsNull() throws IOException {
        List<EpochRecord> h = List.of(new EpochRecord(1, 0.1 + 0.2, Double.NaN, 0.5, Double.NaN, 1e-3),
                new EpochRecord(2, 1.0 / 3, 0.25, 1.25, 0.9375, 5e-4));
        Path file = dir.resolve("history.json");
        HistoryJson.write(new HistoryJson.Run(Map.of("optimizer", "adam", "dropout", "0.2"), "2026-11-27T10:00:00Z", 1.5, 2.0, 12,
                800.0, 2), h, file);
        assertEquals(h, HistoryJson.readEpochs(file));
        assertEquals(Map.of("dropout", "0.2", "optimizer", "adam"), HistoryJson.readSettings(file));
        JsonNode o = new ObjectMapper().readTree(file.toFile());
        assertEquals("spark-backprop-history", o.get("format").asText());
        assertTrue(o.get("epochs").get(0).get("test_loss").isNull());
        assertEquals(0.30000000000000004, o.get("epochs").get(0).get("train_loss").asDouble(), 0.0);
        assertEquals(12, o.get("timings").get("steps").asLong());
        assertEquals(2, o.get("best_epoch").asInt());
        assertTrue(Files.readString(file).contains("\"training_seconds\" : 1.5"));
    }

    @Test
    void historyCsvGainsTestAccuracyForClassifiersOnly() throws IOException {
        Path reg = dir.resolve("reg.csv");
        HistoryCsv.write(List.of(new EpochRecord(1, 0.5, 0.75, 1)), reg);
        assertEquals("epoch,train_loss,test_loss", Files.readAllLines(reg).get(0));
        Path cls = dir.resolve("cls.csv");
        HistoryCsv.write(List.of(new EpochRecord(1, 0.5, Double.NaN, 1, Double.NaN, 0.1), new EpochRecord(2, 0.25, 0.3, 2, 0.875, 0.1)), cls);
        assertEquals(List.of("epoch,train_loss,test_loss,test_accuracy", "1,0.5,,", "2,0.25,0.3,0.875"), Files.readAllLines(cls));
        assertEquals(0.875, HistoryCsv.read(cls).get(1).testAccuracy(), 0.0);
    }
}
