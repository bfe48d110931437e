package io.sparkbackprop.runtime;

import io.sparkbackprop.nn.Blas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;

/**
 * Which BLAS the forward and backward passes run on, in the driver and in each executor.
 * {@code dev.ludovic.netlib} picks at start-up: {@code JNIBLAS} when the system has a native
 * {@code libblas.so.3} (OpenBLAS after {@code apt-get install libopenblas0}), else {@code VectorBLAS} (Java
 * Vector API) or {@code Java11BLAS}. Native OpenBLAS is several times faster here (about 90 vs 9–25
 * GFLOP/s dgemm), and every node decides for itself, so a node without it silently slows every step:
 * hence a report from the executors themselves.
 */
public final class BlasReport {
    static final String ADVICE = "install native OpenBLAS (apt-get install libopenblas0) on every node: see README.md, Native BLAS";

    private BlasReport() {
    }

    /** This JVM's BLAS, e.g. "JNIBLAS (native: /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3)". */
    public static String describeThisJvm() {
        // The instance the network math actually calls.
        String impl = Blas.name();
        if (!isNative(impl)) return impl + " (Java)";
        List<String> libs = nativeLibraries();
        return impl + " (native: " + (libs.isEmpty() ? "library not identified" : String.join(", ", libs)) + ")";
    }

    static boolean isNative(String description) {
        return description.startsWith("JNI");
    }

    /**
     * The BLAS libraries mapped into this process (from /proc/self/maps, so Linux only), leaving out
     * netlib's own JNI glue. The real path tells OpenBLAS from the reference BLAS, which is slower than
     * the Java fallbacks.
     */
    static List<String> nativeLibraries() {
        Set<String> libs = new LinkedHashSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash < 0) continue;
                String path = line.substring(slash).trim();
                String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(java.util.Locale.ROOT);
                if ((name.contains("blas") || name.contains("mkl")) && !name.contains("jni")) libs.add(path);
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return new ArrayList<>(libs);
    }

    /**
     * One small job over {@code rdd}'s partitions (run it on the cached training data: its tasks go where
     * the training steps will run) that returns, per executor id, that executor's {@link #describeThisJvm()}.
     */
    public static Map<String, String> probeExecutors(JavaRDD<?> rdd) {
        // Plain strings travel back: the result needs no Kryo registration.
        List<String> found = rdd.mapPartitions(it -> Collections.singletonList(
                SparkEnv.get().executorId() + "\t" + describeThisJvm()).iterator()).collect();
        Map<String, String> byExecutor = new TreeMap<>(BlasReport::compareIds);
        for (String f : found) {
            int tab = f.indexOf('\t');
            byExecutor.put(f.substring(0, tab), f.substring(tab + 1));
        }
        return byExecutor;
    }

    /** Numeric executor ids in numeric order, then the rest ("driver" in local mode). */
    private static int compareIds(String a, String b) {
        boolean na = a.chars().allMatch(Character::isDigit);
        boolean nb = b.chars().allMatch(Character::isDigit);
        if (na && nb) return Long.compare(Long.parseLong(a), Long.parseLong(b));
        return na != nb ? (na ? -1 : 1) : a.compareTo(b);
    }

    /**
     * The log line: the driver's BLAS, then the executors' grouped by BLAS. In local mode the one executor
     * is the driver JVM itself (id "driver"), so only the driver is named.
     */
    public static String summary(String driver, Map<String, String> executors) {
        Map<String, List<String>> groups = new TreeMap<>();
        executors.keySet().stream().filter(id -> !"driver".equals(id)).sorted(BlasReport::compareIds)
                .forEach(id -> groups.computeIfAbsent(executors.get(id), k -> new ArrayList<>()).add(id));
        String executorPart = groups.entrySet().stream()
                .map(e -> (e.getValue().size() == 1 ? "executor " : "executors ") + String.join(", ", e.getValue()) + ": " + e.getKey())
                .collect(Collectors.joining("; "));
        return "BLAS on the driver: " + driver + (executorPart.isEmpty() ? "" : "; on " + executorPart);
    }

    /** A warning when the driver or an executor runs a Java BLAS, else null. */
    public static String warning(String driver, Map<String, String> executors) {
        List<String> slow = new ArrayList<>();
        if (!isNative(driver)) slow.add("the driver");
        executors.forEach((id, blas) -> {
            if (!isNative(blas) && !"driver".equals(id)) slow.add("executor " + id);
        });
        if (slow.isEmpty()) return null;
        return String.join(", ", slow) + (slow.size() == 1 ? " runs" : " run") + " a Java BLAS, several times slower than native: " + ADVICE;
    }
}
