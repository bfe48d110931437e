package io.sparkbackprop.cli;

import org.apache.spark.SparkConf;
import picocli.CommandLine.Option;

/** Every command's --master, and the Spark configuration it leads to. */
public final class SparkMasterOption {
    @Option(names = "--master", defaultValue = "local[*]",
            description = "Spark master when none is configured (spark-submit passes its own). Default: ${DEFAULT-VALUE}")
    String master;

    /** spark.* settings from spark-submit win; --master fills in when it set none (e.g. a plain java run). */
    public SparkConf conf(String appName) {
        SparkConf conf = new SparkConf(true).setAppName(appName);
        if (!conf.contains("spark.master")) conf.setMaster(master);
        return conf;
    }
}
