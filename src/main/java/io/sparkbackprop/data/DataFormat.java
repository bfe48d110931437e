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

    /** What Spark's readers and Hadoop decompress by the file name: the format is the extension before it. */
    private static final java.util.List<String> COMPRESSED = java.util.List.of(".gz", ".bz2");

    /**
     * {@code explicit} (a --format value, may be null) wins; otherwise the name decides, a compression suffix (.gz,
     * .bz2, ...) aside: .csv is CSV; .libsvm, .svm and .txt are LIBSVM; .parquet is Parquet. A directory (Spark's
     * output: part files beside _SUCCESS) is the format its visible files' names share.
     *
     * @throws BadInputException naming the path and the --format choices when neither decides, or when a directory's
     *                           parts are of several formats
     */
    public static DataFormat detect(String path, String explicit) {
        if (explicit != null) return fromName(explicit);
        DataFormat named = byExtension(new Path(trimTrailingSlashes(path)).getName());
        if (named != null) return named;
        DataFormat parts = ofParts(path);
        if (parts != null) return parts;
        if (!InputFiles.exists(InputFiles.activeConf(), path)) throw InputFiles.notFound(path);
        throw new BadInputException("cannot tell the format of " + path + " from its name (expected .csv, .libsvm, .svm, .txt or "
                + ".parquet, optionally compressed as .gz or .bz2, or a directory of such part files): give it with " + choices());
    }

    /** The format a file name's extension says, a compression suffix aside; null when it says none. */
    static DataFormat byExtension(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        for (String suffix : COMPRESSED) {
            if (name.endsWith(suffix)) {
                name = name.substring(0, name.length() - suffix.length());
                break;
            }
        }
        if (name.endsWith(".csv")) return CSV;
        if (name.endsWith(".libsvm") || name.endsWith(".svm") || name.endsWith(".txt")) return LIBSVM;
        if (name.endsWith(".parquet")) return PARQUET;
        return null;
    }

    /**
     * A directory's format from its visible files' names (bookkeeping such as _SUCCESS or .crc files aside), or null;
     * a directory with no visible file is refused as holding nothing to read.
     */
    private static DataFormat ofParts(String path) {
        Path dir = new Path(path);
        FileStatus[] children;
        try {
            FileSystem fs = dir.getFileSystem(InputFiles.activeConf());
            if (!fs.getFileStatus(dir).isDirectory()) return null;
            children = fs.listStatus(dir, InputFiles::visible);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
        if (children.length == 0) {
            throw new BadInputException(path + " is a directory without data files (only bookkeeping such as _SUCCESS, or nothing):"
                    + " nothing to read");
        }
        java.util.Map<DataFormat, String> seen = new java.util.EnumMap<>(DataFormat.class);
        for (FileStatus child : children) {
            DataFormat f = child.isFile() ? byExtension(child.getPath().getName()) : null;
            if (f != null) seen.putIfAbsent(f, child.getPath().getName());
        }
        if (seen.size() > 1) {
            throw new BadInputException(path + " holds files of more than one format (" + seen.entrySet().stream()
                    .map(e -> e.getKey().name().toLowerCase(Locale.ROOT) + ": " + e.getValue()).collect(Collectors.joining(", "))
                    + "); keep one format a directory, or give it with " + choices());
        }
        return seen.isEmpty() ? null : seen.keySet().iterator().next();
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

    private static String trimTrailingSlashes(String path) {
        int end = path.length();
        while (end > 1 && path.charAt(end - 1) == '/') end--;
        return path.substring(0, end);
    }
}
