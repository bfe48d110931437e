package io.sparkbackprop.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Serializable;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/** The column names on the first line of a CSV file, checked for the mistakes that would make them useless. */
record CsvHeader(String file, List<String> names) implements Serializable {

    /** The header of the first non-empty file: only that one line is read on the driver. */
    static CsvHeader readFirst(Configuration conf, List<FileStatus> files, String userPath) {
        for (FileStatus status : files) {
            if (status.getLen() == 0) continue;
            Path file = status.getPath();
            String line;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    InputFiles.open(conf, file), StandardCharsets.UTF_8))) {
                line = in.readLine();
            } catch (IOException e) {
                throw new BadInputException("cannot read " + InputFiles.display(file) + ": " + e.getMessage());
            }
            if (line == null) continue;
            return parse(file.toString(), CsvCells.withoutByteOrderMark(line));
        }
        throw InputFiles.noDataRows(userPath);
    }

    static CsvHeader parse(String file, String line) {
        String where = InputFiles.display(new Path(file)) + " line 1";
        if (line.isBlank()) {
            throw new BadInputException(where + " is empty: a CSV file must start with a header line naming its columns");
        }
        List<String> names = CsvCells.split(line);
        if (names.size() < 2) {
            throw new BadInputException(where + ": the header has a single column, " + CsvCells.quote(line)
                    + "; columns must be separated by commas, and there must be at least one feature and a label");
        }
        if (names.stream().allMatch(CsvHeader::isNumber)) {
            throw new BadInputException(where + " looks like data, not a header (" + CsvCells.quote(line)
                    + "): add a first line naming the columns, e.g. x1,x2,...,label");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.isEmpty()) {
                throw new BadInputException(where + ": column " + (i + 1) + " of the header has no name; name it, or "
                        + "remove the column if it is a row index (pandas writes one unless to_csv(index=False))");
            }
            if (!seen.add(name)) {
                throw new BadInputException(where + ": the header names column '" + name + "' twice; column names must be unique");
            }
        }
        return new CsvHeader(file, List.copyOf(names));
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
