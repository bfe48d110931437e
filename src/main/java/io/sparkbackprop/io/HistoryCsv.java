package io.sparkbackprop.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code history.csv}: the header {@code epoch,train_loss,test_loss} (the contract users parse), then one row
 * per epoch. A classifier's history has a fourth column, {@code test_accuracy}; a regression's never does. Timings are not part of it; a {@code seconds} column, when a file has one, is read.
 * Doubles are written with {@link Double#toString}, which reads back to the same bits; a loss that was not
 * evaluated (NaN) is an empty field, which pandas and spreadsheets read as missing.
 * <p>
 * The reader finds columns by their header name, so it takes files with or without {@code seconds} and
 * ignores columns it does not know.
 */
public final class HistoryCsv {
    static final String EPOCH = "epoch";
    static final String TRAIN_LOSS = "train_loss";
    static final String TEST_LOSS = "test_loss";
    static final String SECONDS = "seconds";
    static final String TEST_ACCURACY = "test_accuracy";

    private HistoryCsv() {
    }

    public static void write(List<EpochRecord> history, Path file) throws IOException {
        boolean accuracy = history.stream().anyMatch(EpochRecord::hasTestAccuracy);
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(String.join(",", EPOCH, TRAIN_LOSS, TEST_LOSS));
            if (accuracy) out.write("," + TEST_ACCURACY);
            out.write('\n');
            for (EpochRecord r : history) {
                out.write(r.epoch() + "," + field(r.trainLoss()) + "," + field(r.testLoss()));
                if (accuracy) out.write("," + field(r.testAccuracy()));
                out.write('\n');
            }
        }
    }

    /** NaN means "not measured", so it is written as nothing; infinities are kept (a diverged loss). */
    private static String field(double value) {
        return Double.isNaN(value) ? "" : Double.toString(value);
    }

    /**
     * Reads a history file. A malformed file fails with an IOException naming the file and the line,
     * like other unreadable content.
     */
    public static List<EpochRecord> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isBlank()) throw malformed(file, 1, "missing the header line");
        // A spreadsheet may have saved the file with a byte-order mark, which would hide the first column name.
        List<String> header = Arrays.asList(splitRow(lines.get(0).replaceFirst("^\uFEFF", "")));
        int epochCol = column(header, EPOCH, file);
        int trainCol = column(header, TRAIN_LOSS, file);
        int testCol = column(header, TEST_LOSS, file);
        int secondsCol = header.indexOf(SECONDS); // optional: older files do not have it
        int accuracyCol = header.indexOf(TEST_ACCURACY); // optional: classifiers only

        List<EpochRecord> history = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue; // a trailing blank line is not a record
            String[] fields = splitRow(line);
            int lineNr = i + 1;
            if (fields.length != header.size()) {
                throw malformed(file, lineNr, "has " + fields.length + " fields, the header has " + header.size());
            }
            int epoch;
            try {
                epoch = Integer.parseInt(fields[epochCol]);
            } catch (NumberFormatException e) {
                throw malformed(file, lineNr, EPOCH + " '" + fields[epochCol] + "' is not an integer");
            }
            double train = number(fields[trainCol], TRAIN_LOSS, file, lineNr);
            double test = number(fields[testCol], TEST_LOSS, file, lineNr);
            double seconds = secondsCol < 0 ? Double.NaN : number(fields[secondsCol], SECONDS, file, lineNr);
            double accuracy = accuracyCol < 0 ? Double.NaN : number(fields[accuracyCol], TEST_ACCURACY, file, lineNr);
            history.add(new EpochRecord(epoch, train, test, seconds, accuracy, Double.NaN));
        }
        return history;
    }

    /** Fields hold only numbers and names, so no quoting is needed; trimming tolerates CRLF and padding. */
    private static String[] splitRow(String line) {
        String[] fields = line.split(",", -1);
        for (int i = 0; i < fields.length; i++) fields[i] = fields[i].trim();
        return fields;
    }

    private static int column(List<String> header, String name, Path file) throws IOException {
        int col = header.indexOf(name);
        if (col < 0) throw malformed(file, 1, "the header " + header + " has no '" + name + "' column");
        return col;
    }

    private static double number(String field, String name, Path file, int lineNr) throws IOException {
        if (field.isEmpty()) return Double.NaN;
        try {
            return Double.parseDouble(field);
        } catch (NumberFormatException e) {
            throw malformed(file, lineNr, name + " '" + field + "' is not a number");
        }
    }

    private static IOException malformed(Path file, int lineNr, String what) {
        return new IOException(file + " line " + lineNr + ": " + what);
    }
}
