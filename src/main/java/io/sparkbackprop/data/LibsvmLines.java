package io.sparkbackprop.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * Finds the first line Spark's LIBSVM source would reject (or that holds NaN or infinity), by reading the
 * files on the driver. Only used after a read failed: Spark's own errors name neither file nor line.
 * The rules follow Spark's parser: trimmed lines, '#' comments and blank lines skipped, tokens split at
 * single spaces, the label first, then index:value pairs with 1-based, strictly increasing indices.
 */
final class LibsvmLines {
    private final String file;
    private final int numFeatures;

    private LibsvmLines(String file, int numFeatures) {
        this.file = file;
        this.numFeatures = numFeatures;
    }

    /** What is wrong with the files: the first bad line, or no data at all; empty if every line is fine. */
    static Optional<BadInputException> firstProblem(Configuration conf, List<FileStatus> files, String userPath,
                                                    int numFeatures) {
        boolean anyData = false;
        for (FileStatus status : files) {
            Path path = status.getPath();
            LibsvmLines checker = new LibsvmLines(InputFiles.display(path), numFeatures);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(InputFiles.open(conf, path),
                    StandardCharsets.UTF_8))) {
                long lineNumber = 0;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lineNumber++;
                    String trimmed = line.trim();
                    if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
                    anyData = true;
                    Optional<String> problem = checker.problemIn(trimmed);
                    if (problem.isPresent()) {
                        return Optional.of(new BadInputException(checker.file + " line " + lineNumber + ": " + problem.get()
                                + "; a LIBSVM line is 'label index:value index:value ...' with indices from 1, increasing"));
                    }
                }
            } catch (IOException e) {
                return Optional.of(new BadInputException("cannot read " + InputFiles.display(path) + ": " + e.getMessage()));
            }
        }
        return anyData ? Optional.empty() : Optional.of(InputFiles.noDataRows(userPath));
    }

    private Optional<String> problemIn(String line) {
        if (line.indexOf('\t') >= 0) return Optional.of("the line holds a tab; Spark's LIBSVM reader separates items with spaces only");
        String[] tokens = line.split(" ");
        Optional<String> label = numberProblem("the label", tokens[0]);
        if (label.isPresent()) return label;
        int previous = 0;
        for (int t = 1; t < tokens.length; t++) {
            String token = tokens[t];
            if (token.isEmpty()) continue;
            String[] pair = token.split(":");
            if (pair.length < 2) return Optional.of(CsvCells.quote(token) + " is not an index:value pair");
            int index;
            try {
                index = Integer.parseInt(pair[0]);
            } catch (NumberFormatException e) {
                return Optional.of("in " + CsvCells.quote(token) + ", the index " + CsvCells.quote(pair[0]) + " is not a whole number");
            }
            if (index < 1) return Optional.of("in " + CsvCells.quote(token) + ", the index " + index + " is below 1 (indices start at 1)");
            if (index <= previous) {
                return Optional.of("in " + CsvCells.quote(token) + ", the index " + index + " does not follow " + previous
                        + " (indices must increase along the line)");
            }
            if (numFeatures > 0 && index > numFeatures) {
                return Optional.of("in " + CsvCells.quote(token) + ", the index " + index + " is beyond the " + numFeatures
                        + " features expected");
            }
            Optional<String> value = numberProblem("the value of index " + index, pair[1]);
            if (value.isPresent()) return value;
            previous = index;
        }
        return Optional.empty();
    }

    private static Optional<String> numberProblem(String what, String text) {
        try {
            double v = Double.parseDouble(text);
            return Double.isFinite(v) ? Optional.empty()
                    : Optional.of(what + " " + CsvCells.quote(text) + " is not a finite number (NaN and infinite values cannot be trained on)");
        } catch (NumberFormatException e) {
            return Optional.of(what + " " + CsvCells.quote(text) + " is not a number");
        }
    }
}
