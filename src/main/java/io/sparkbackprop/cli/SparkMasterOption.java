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
        // Every command that starts Spark comes here first: the JVM's BLAS is chosen (the bundled OpenBLAS) before
        // Spark or MLlib can make netlib pick another.
        io.sparkbackprop.nn.Blas.chooseFirst();
        SparkConf conf = new SparkConf(true).setAppName(appName);
        if (!conf.contains("spark.master")) conf.setMaster(master);
        return conf;
    }
}
