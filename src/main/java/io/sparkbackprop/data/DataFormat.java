package io.sparkbackprop.data;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The file formats {@link DataReader} reads. */
public enum DataFormat {
    CSV, LIBSVM, PARQUET;

    /**
     * {@code explicit} (a --format value, may be null) wins; otherwise the extension decides: .csv is CSV;
     * .libsvm, .svm and .txt are LIBSVM; .parquet, or a directory holding *.parquet files, is Parquet.
     *
     * @throws BadInputException naming the path and the --format choices when neither decides
     */
    public static DataFormat detect(String path, String explicit) {
        if (explicit != null) return fromName(explicit);
        String name = trimTrailingSlashes(path).toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) return CSV;
        if (name.endsWith(".libsvm") || name.endsWith(".svm") || name.endsWith(".txt")) return LIBSVM;
        if (name.endsWith(".parquet") || holdsParquetFiles(path)) return PARQUET;
        if (!InputFiles.exists(InputFiles.activeConf(), path)) throw InputFiles.notFound(path);
        throw new BadInputException("cannot tell the format of " + path + " from its name (expected .csv, .libsvm, "
                + ".svm, .txt, .parquet or a directory of .parquet files): give it with " + choices());
    }

    private static DataFormat fromName(String explicit) {
        for (DataFormat f : values()) {
            if (f.name().equalsIgnoreCase(explicit.trim())) return f;
        }
        throw new BadInputException("unknown format '" + explicit + "': use " + choices());
    }

    private static String choices() {
        return Arrays.stream(values()).map(f -> "--format " + f.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }

    /** Spark writes Parquet as a directory of part files, usually without an extension on the directory. */
    private static boolean holdsParquetFiles(String path) {
        Path dir = new Path(path);
        try {
            FileSystem fs = dir.getFileSystem(InputFiles.activeConf());
            if (!fs.getFileStatus(dir).isDirectory()) return false;
            for (FileStatus child : fs.listStatus(dir, InputFiles::visible)) {
                if (child.isFile() && child.getPath().getName().toLowerCase(Locale.ROOT).endsWith(".parquet")) return true;
            }
            return false;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String trimTrailingSlashes(String path) {
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') end--;
        return path.substring(0, end);
    }
}
