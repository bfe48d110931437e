package io.sparkbackprop;

import org.apache.spark.sql.SparkSession;

/** The one way tests start Spark: local[2], loopback only, no UI, few shuffle partitions. */
public final class SparkTestSession {
    private SparkTestSession() {
    }

    public static SparkSession start(String appName) {
        io.sparkbackprop.nn.Blas.chooseFirst();
        return SparkSession.builder()
                .master("local[2]")
                .appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }
}
