package io.sparkbackprop.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Turns one CSV line into a (features, label) row on an executor, or throws a {@link LocatedInputError}
 * saying what is wrong with it. Every column but the label is a feature, in header order, unless the features are
 * named (a model's training columns): then those columns, in that order, and the others are not read.
 */
final class CsvRowParser implements Serializable {
    private static final long serialVersionUID = 1L;

    private final CsvHeader header;
    private final int labelColumn;
    /** The header positions of the features, in feature order. */
    private final int[] featureColumns;
    /** Counts lines skipped for NaN or infinite values; null when such lines are errors. */
    private final org.apache.spark.util.LongAccumulator dropped;

    private CsvRowParser(CsvHeader header, int labelColumn, int[] featureColumns, org.apache.spark.util.LongAccumulator dropped) {
        this.header = header;
        this.labelColumn = labelColumn;
        this.featureColumns = featureColumns;
        this.dropped = dropped;
    }

    /** A parser that skips (and counts) lines with NaN or infinite values instead of failing on them. */
    CsvRowParser droppingInvalid(org.apache.spark.util.LongAccumulator counter) {
        return new CsvRowParser(header, labelColumn, featureColumns, counter);
    }

    /** Thrown inside a line's parse when it holds a non-finite value and such lines are being dropped. */
    private static final class NonFinite extends RuntimeException {
        NonFinite() {
            super(null, null, false, false);
        }
    }

    /** @param labelName the label column's name, or null for the last column */
    static CsvRowParser forHeader(CsvHeader header, String labelName) {
        return forHeader(header, labelName, null);
    }

    /**
     * @param labelName    the label column's name, or null for the last column
     * @param featureNames the feature columns by name, in order (null: every column but the label, in header order); a
     *                     header that lacks any of them is refused, naming them
     */
    static CsvRowParser forHeader(CsvHeader header, String labelName, List<String> featureNames) {
        List<String> names = header.names();
        int label = names.size() - 1;
        if (labelName != null) {
            label = names.indexOf(labelName);
            if (label < 0) {
                throw new BadInputException("label column '" + labelName + "' is not in the header of "
                        + InputFiles.display(new Path(header.file())) + "; its columns are: " + String.join(", ", names)
                        + " (--label names the label column)");
            }
        }
        if (featureNames == null) {
            int skip = label;
            return new CsvRowParser(header, label, java.util.stream.IntStream.range(0, names.size()).filter(c -> c != skip).toArray(), null);
        }
        DataReader.requireColumns(InputFiles.display(new Path(header.file())), featureNames, names.get(label), names);
        if (featureNames.contains(names.get(label))) {
            throw new BadInputException("the label column '" + names.get(label) + "' of " + InputFiles.display(new Path(header.file()))
                    + " is one of the model's features; name the label with --label");
        }
        return new CsvRowParser(header, label, featureNames.stream().mapToInt(names::indexOf).toArray(), null);
    }

    int numFeatures() {
        return featureColumns.length;
    }

    List<String> featureNames() {
        List<String> features = new ArrayList<>();
        for (int c : featureColumns) features.add(header.names().get(c));
        return features;
    }

    String labelName() {
        return header.names().get(labelColumn);
    }

    /**
     * @param file       the file's full path (as Hadoop names it)
     * @param byteOffset where the line starts in the file; 0 is its header
     * @return the row, or null for a header or a blank line
     */
    Row parse(String file, long byteOffset, String line) {
        if (byteOffset == 0) {
            checkHeader(file, CsvCells.withoutByteOrderMark(line));
            return null;
        }
        if (line.isBlank()) return null;
        try {
            return parseCells(file, byteOffset, line);
        } catch (NonFinite skipped) {
            dropped.add(1);
            return null;
        }
    }

    private Row parseCells(String file, long byteOffset, String line) {
        List<String> cells = CsvCells.split(line);
        int width = header.names().size();
        if (cells.size() != width) {
            throw new LocatedInputError(file, byteOffset, ": expected " + width + " cells, as many as the header has, found "
                    + cells.size() + "; look for a missing or an extra comma");
        }
        double[] features = new double[featureColumns.length];
        for (int f = 0; f < features.length; f++) features[f] = number(file, byteOffset, featureColumns[f], cells.get(featureColumns[f]));
        double label = number(file, byteOffset, labelColumn, cells.get(labelColumn));
        return RowFactory.create(new DenseVector(features), label);
    }

    /** In a directory of CSV parts each file repeats the header; a different one means the files do not fit together. */
    private void checkHeader(String file, String line) {
        if (CsvCells.split(line).equals(header.names())) return;
        throw new LocatedInputError(file, 0, ": expected the header " + CsvCells.quote(String.join(",", header.names()))
                + " (as in " + InputFiles.display(new Path(header.file())) + "), found " + CsvCells.quote(line)
                + "; every file must start with the same header line");
    }

    private double number(String file, long byteOffset, int column, String text) {
        String where = ", column '" + header.names().get(column) + "': " + CsvCells.quote(text);
        if (spellsNonFinite(text)) {
            if (dropped != null) throw new NonFinite();
            throw new LocatedInputError(file, byteOffset, where + " is not a finite number; NaN and infinite values "
                    + "cannot be trained on: replace the value or remove the line");
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new LocatedInputError(file, byteOffset, where + (text.isEmpty() ? " (an empty cell)" : "")
                    + " is not a number; every cell below the header must be a number: fix the value or remove the line");
        }
        if (!Double.isFinite(value)) {
            if (dropped != null) throw new NonFinite();
            throw new LocatedInputError(file, byteOffset, where + " is too large for a double (it overflows to infinity): "
                    + "rescale the column or remove the line");
        }
        return value;
    }

    /** Double.parseDouble takes "NaN" and "Infinity" but not "inf"; all of them deserve the same, clearer message. */
    private static boolean spellsNonFinite(String text) {
        String s = text.toLowerCase(Locale.ROOT);
        if (s.startsWith("+") || s.startsWith("-")) s = s.substring(1);
        return s.equals("nan") || s.equals("inf") || s.equals("infinity");
    }
}
