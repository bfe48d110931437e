package io.sparkbackprop.bench;

import java.lang.management.ManagementFactory;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.BlockId;

/**
 * Used heap after a full GC, on the driver and on each executor, and the broadcast blocks the driver's
 * block manager still holds: the figures that grow when something is left behind every step.
 */
final class HeapProbe {
    private HeapProbe() {
    }

    static long usedHeapAfterGc() {
        // Several collections: one may leave objects that only became unreachable during it.
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Per executor id, the smallest used-heap-after-GC its tasks over {@code rdd} saw (the smallest is the
     * least disturbed by other tasks allocating meanwhile). In local mode the only executor is the driver's
     * JVM, id "driver".
     */
    static Map<String, Long> executors(JavaRDD<?> rdd) {
        List<String> found = rdd.mapPartitions(it -> Collections.singletonList(
                SparkEnv.get().executorId() + "\t" + usedHeapAfterGc()).iterator()).collect();
        Map<String, Long> byExecutor = new TreeMap<>();
        for (String f : found) {
            int tab = f.indexOf('\t');
            byExecutor.merge(f.substring(0, tab), Long.parseLong(f.substring(tab + 1)), Math::min);
        }
        return byExecutor;
    }

    static int liveBroadcastBlocks() {
        scala.Function1<BlockId, Object> isBroadcast = BlockId::isBroadcast;
        return SparkEnv.get().blockManager().getMatchingBlockIds(isBroadcast).size();
    }
}
