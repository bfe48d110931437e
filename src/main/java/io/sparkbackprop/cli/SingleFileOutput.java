package io.sparkbackprop.cli;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes a DataFrame as one CSV or Parquet file at exactly the path the user named (Spark would make a folder
 * of part files): written into a hidden sibling folder from one partition, then its single part file renamed
 * into place, so a failed write leaves nothing behind. Any Hadoop filesystem.
 */
final class SingleFileOutput {
    private SingleFileOutput() {
    }

    static void check(Dataset<Row> anyFrame, String output, boolean overwrite) {
        try {
            Path target = new Path(output);
            FileSystem fs = target.getFileSystem(anyFrame.sparkSession().sparkContext().hadoopConfiguration());
            if (fs.exists(target) && !overwrite) {
                throw new IllegalArgumentException("--output " + output + " exists; pass --overwrite to replace it or choose another --output");
            }
            if (fs.exists(target) && fs.getFileStatus(target).isDirectory()) {
                throw new IllegalArgumentException("--output " + output + " is a directory; name the file to write");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot inspect --output " + output + ": " + e.getMessage(), e);
        }
    }

    /** @param format "csv" (with a header) or "parquet" */
    static void write(Dataset<Row> df, String format, String output, boolean overwrite) throws IOException {
        check(df, output, overwrite);
        Path target = new Path(output);
        FileSystem fs = target.getFileSystem(df.sparkSession().sparkContext().hadoopConfiguration());
        Path parent = fs.makeQualified(target).getParent();
        Path staging = new Path(parent, "." + target.getName() + ".writing-" + UUID.randomUUID());
        try {
            df.coalesce(1).write().format(format).option("header", "true").save(staging.toString());
            Path part = null;
            for (FileStatus s : fs.listStatus(staging)) {
                if (s.getPath().getName().startsWith("part-")) part = s.getPath();
            }
            if (part == null) throw new IOException("Spark wrote no part file into " + staging);
            if (fs.exists(target)) fs.delete(target, false);
            if (!fs.rename(part, target)) throw new IOException("could not rename " + part + " to " + target);
        } finally {
            fs.delete(staging, true);
        }
    }
}
