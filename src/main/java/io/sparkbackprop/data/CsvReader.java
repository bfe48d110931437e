package io.sparkbackprop.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Spliterators;
import java.util.stream.StreamSupport;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads CSV files with a header row on the executors. Lines come from Hadoop's text input format rather
 * than Spark's CSV source because it gives each line's byte offset in its file: that is what lets an
 * error name the exact line, which the CSV source cannot.
 */
final class CsvReader {
    private CsvReader() {
    }

    /** @param featureNames the feature columns by name, in order, or null for every column but the label */
    static LabeledData read(SparkSession spark, String path, String labelName, List<String> featureNames, int expectedFeatures,
                            boolean dropInvalid) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<FileStatus> files = InputFiles.list(conf, path);
        CsvHeader header = CsvHeader.readFirst(conf, files, path);
        org.apache.spark.util.LongAccumulator dropped = dropInvalid ? spark.sparkContext().longAccumulator("invalid rows dropped") : null;
        CsvRowParser parser = CsvRowParser.forHeader(header, labelName, featureNames).droppingInvalid(dropped);
        if (expectedFeatures > 0 && expectedFeatures != parser.numFeatures()) {
            throw new BadInputException(path + " has " + parser.numFeatures() + " feature columns (" + parser.labelName()
                    + " is the label) where " + expectedFeatures + " were expected");
        }
        Dataset<Row> frame = spark.createDataFrame(rows(spark, conf, files, parser), LabeledData.schema());
        // One pass over the data now, so that bad input fails here with a clear message rather than
        // inside the caller's first training job; it caches the parsed rows for the caller's jobs.
        long count = CheckedJob.countAndCache(conf, frame);
        if (dropped != null) InvalidRows.report(path, dropped.value());
        if (count == 0) {
            frame.unpersist(false);
            throw InputFiles.noDataRows(path);
        }
        return new LabeledData(frame, parser.numFeatures(), parser.featureNames(), parser.labelName());
    }

    private static JavaRDD<Row> rows(SparkSession spark, Configuration conf, List<FileStatus> files, CsvRowParser parser) {
        Job job;
        try {
            job = Job.getInstance(conf);
            // The files listed on the driver, not the user's path: the header was checked against exactly these.
            FileInputFormat.setInputPaths(job, files.stream().map(FileStatus::getPath).toArray(Path[]::new));
            // A bzip2 file split in several would give its later splits' lines keys that are not offsets into the
            // decompressed text (a line's number in errors, and offset 0 for the header, rely on them): one split a file.
            if (InputFiles.anySplittablyCompressed(conf, files)) FileInputFormat.setMinInputSplitSize(job, Long.MAX_VALUE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JavaNewHadoopRDD<LongWritable, Text> lines = (JavaNewHadoopRDD<LongWritable, Text>) JavaSparkContext
                .fromSparkContext(spark.sparkContext())
                .newAPIHadoopRDD(job.getConfiguration(), TextInputFormat.class, LongWritable.class, Text.class);
        return lines.mapPartitionsWithInputSplit((split, it) -> {
            String file = ((FileSplit) split).getPath().toString();
            // Hadoop reuses one key and one value object for every line: parse each before the next is read.
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, 0), false)
                    .map(line -> parser.parse(file, line._1().get(), line._2().toString()))
                    .filter(row -> row != null)
                    .iterator();
        }, false);
    }
}
