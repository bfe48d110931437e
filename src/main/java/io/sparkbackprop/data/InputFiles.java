package io.sparkbackprop.data;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** The files a user's path stands for: the file itself, the visible files of a directory, or a glob's matches. */
final class InputFiles {
    private InputFiles() {
    }

    /** Sorted by path; never empty unless {@code path} is an empty directory. */
    static List<FileStatus> list(Configuration conf, String path) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(p);
            if (matches == null || matches.length == 0) throw notFound(path);
            List<FileStatus> files = new ArrayList<>();
            for (FileStatus match : matches) {
                if (!match.isDirectory()) {
                    files.add(match);
                    continue;
                }
                for (FileStatus child : fs.listStatus(match.getPath(), InputFiles::visible)) {
                    if (child.isFile()) files.add(child);
                }
            }
            files.sort(Comparator.comparing(FileStatus::getPath));
            return files;
        } catch (IOException e) {
            throw new BadInputException("cannot read " + path + ": " + e.getMessage());
        }
    }

    /**
     * The Spark session's Hadoop configuration (which knows the cluster's file systems), or a default one:
     * format detection may run before any session exists.
     */
    static Configuration activeConf() {
        scala.Option<SparkSession> session = SparkSession.getActiveSession();
        if (session.isEmpty()) session = SparkSession.getDefaultSession();
        return session.isDefined() ? session.get().sparkContext().hadoopConfiguration() : new Configuration();
    }

    static boolean exists(Configuration conf, String path) {
        Path p = new Path(path);
        try {
            FileStatus[] matches = p.getFileSystem(conf).globStatus(p);
            return matches != null && matches.length > 0;
        } catch (IOException e) {
            return false;
        }
    }

    static BadInputException notFound(String path) {
        return new BadInputException("no such file or directory: " + path);
    }

    static BadInputException noDataRows(String path) {
        return new BadInputException("no data rows in " + path);
    }

    /** Spark's own convention: "_SUCCESS", ".part-0.crc" and the like are bookkeeping, not data. */
    static boolean visible(Path p) {
        String name = p.getName();
        return !name.startsWith("_") && !name.startsWith(".");
    }

    /**
     * A file's bytes as its lines are read: decompressed when its name ends in a Hadoop codec's extension (.gz, .bz2,
     * .deflate, ...), as Spark's own readers and Hadoop's text input format do.
     */
    static java.io.InputStream open(Configuration conf, Path file) throws IOException {
        java.io.InputStream raw = file.getFileSystem(conf).open(file);
        org.apache.hadoop.io.compress.CompressionCodec codec = new org.apache.hadoop.io.compress.CompressionCodecFactory(conf).getCodec(file);
        return codec == null ? raw : codec.createInputStream(raw);
    }

    /** Whether any of the files is compressed with a codec Hadoop can split (bzip2). */
    static boolean anySplittablyCompressed(Configuration conf, List<FileStatus> files) {
        org.apache.hadoop.io.compress.CompressionCodecFactory codecs = new org.apache.hadoop.io.compress.CompressionCodecFactory(conf);
        return files.stream().anyMatch(f -> codecs.getCodec(f.getPath()) instanceof org.apache.hadoop.io.compress.SplittableCompressionCodec);
    }

    /** A local file as the plain path the user typed, anything else as its full URI. */
    static String display(Path p) {
        URI uri = p.toUri();
        return "file".equals(uri.getScheme()) ? uri.getPath() : p.toString();
    }
}
