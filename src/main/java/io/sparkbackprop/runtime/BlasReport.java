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
 * Which BLAS the forward and backward passes run on, in the driver and in each executor, and how fast it is
 * there. Each JVM decides for itself ({@link Blas}): the OpenBLAS bundled in the app jar, else the system's
 * {@code libblas.so.3}, else the Java Vector API. A node that ends up on a Java BLAS, or on a native one that
 * does not know its CPU (an old OpenBLAS picks a generic kernel, slower than Java), silently slows every step:
 * hence a report from the executors themselves, with a dgemm rate measured on the spot (a few milliseconds).
 */
public final class BlasReport {
    static final String ADVICE = "the bundled OpenBLAS did not load there (see its reason in this log line; unset "
            + "SPARK_BACKPROP_BLAS and -D" + "dev.ludovic.netlib.blas.nativeLibPath to use it), or install a native OpenBLAS on every node: "
            + "see README.md, Native BLAS";
    static final String SLOWER = "far below what this CPU does";
    static final String SLOW_ADVICE = "this native BLAS does not know the CPU (an OpenBLAS older than it picks a generic kernel): use the bundled OpenBLAS (unset "
            + "SPARK_BACKPROP_BLAS and dev.ludovic.netlib.blas.nativeLibPath), or set OPENBLAS_CORETYPE for an older OpenBLAS: "
            + "see README.md, Native BLAS";

    private BlasReport() {
    }

    /**
     * This JVM's BLAS and its dgemm rate, e.g. "JNIBLAS (native: /tmp/spark-backprop-openblas-…/libopenblas.so.0),
     * 50 GFLOP/s dgemm"; a native BLAS slower than netlib's Java one on this CPU says so.
     */
    public static String describeThisJvm() {
        // Once per JVM: the probe takes ~40 ms, and probeExecutors asks every partition.
        String d = described;
        if (d == null) {
            d = describe();
            described = d;
        }
        return d;
    }

    private static volatile String described;

    /** The BLAS, then the lanes the activations run in (they decide the rest of a chunk's time). */
    private static String describe() {
        return describeBlas() + ", element-wise in " + io.sparkbackprop.nn.Lanes.inUse();
    }

    private static String describeBlas() {
        // The instance the network math actually calls.
        String impl = Blas.name();
        double rate = Blas.gflops();
        if (!isNative(impl)) {
            return String.format(java.util.Locale.ROOT, "%s (Java; bundled OpenBLAS %s), %.0f GFLOP/s dgemm", impl, Blas.bundled(), rate);
        }
        List<String> libs = nativeLibraries();
        String described = String.format(java.util.Locale.ROOT, "%s (native: %s), %.0f GFLOP/s dgemm", impl,
                libs.isEmpty() ? "library not identified" : String.join(", ", libs), rate);
        CpuFloor floor = CpuFloor.ofThisMachine();
        return floor != null && rate < floor.gflops()
                ? described + String.format(java.util.Locale.ROOT, ", %s (%s: at least %.0f)", SLOWER, floor.simd(), floor.gflops()) : described;
    }

    /**
     * The dgemm rate below which a native BLAS is plainly not using this CPU's vector units, from the SIMD flags in
     * /proc/cpuinfo: one core does 16 double FLOP a cycle with AVX-512 FMA and 8 with AVX2 FMA, so at 2 GHz a BLAS that
     * uses them gets well over 20 and 10 GFLOP/s; a generic kernel (an OpenBLAS older than the CPU) gets a few.
     */
    record CpuFloor(String simd, double gflops) {
        static CpuFloor ofThisMachine() {
            try {
                String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags")).findFirst()
                        .orElse("");
                return of(flags);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        static CpuFloor of(String flagsLine) {
            java.util.Set<String> flags = java.util.Set.of(flagsLine.replaceFirst("^[^:]*:", "").trim().split("\\s+"));
            if (flags.contains("avx512f")) return new CpuFloor("AVX-512", 20);
            if (flags.contains("avx2") && flags.contains("fma")) return new CpuFloor("AVX2", 10);
            return null;
        }
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
     * The log line: the driver's BLAS, then the executors' grouped by BLAS, each group with the range of its
     * measured rates (two executors on the same library differ by a GFLOP/s or so, run to run). In local mode the
     * one executor is the driver JVM itself (id "driver"), so only the driver is named.
     */
    public static String summary(String driver, Map<String, String> executors) {
        // Keyed by the description with its rate taken out: a GFLOP/s more or less is not another BLAS.
        Map<String, List<String>> ids = new TreeMap<>();
        Map<String, java.util.DoubleSummaryStatistics> rates = new TreeMap<>();
        executors.keySet().stream().filter(id -> !"driver".equals(id)).sorted(BlasReport::compareIds).forEach(id -> {
            java.util.regex.Matcher m = RATE.matcher(executors.get(id));
            String key = m.replaceFirst(RATE_SLOT);
            ids.computeIfAbsent(key, k -> new ArrayList<>()).add(id);
            if (m.reset().find()) rates.computeIfAbsent(key, k -> new java.util.DoubleSummaryStatistics()).accept(Double.parseDouble(m.group(1)));
        });
        String executorPart = ids.entrySet().stream()
                .map(e -> (e.getValue().size() == 1 ? "executor " : "executors ") + String.join(", ", e.getValue()) + ": "
                        + withRates(e.getKey(), rates.get(e.getKey())))
                .collect(Collectors.joining("; "));
        return "BLAS on the driver: " + driver + (executorPart.isEmpty() ? "" : "; on " + executorPart);
    }

    private static final java.util.regex.Pattern RATE = java.util.regex.Pattern.compile("(\\d+) GFLOP/s dgemm");
    private static final String RATE_SLOT = "\u0000";

    private static String withRates(String key, java.util.DoubleSummaryStatistics range) {
        if (range == null) return key;
        String r = range.getMin() == range.getMax() ? String.format(java.util.Locale.ROOT, "%.0f", range.getMin())
                : String.format(java.util.Locale.ROOT, "%.0f-%.0f", range.getMin(), range.getMax());
        return key.replace(RATE_SLOT, r + " GFLOP/s dgemm");
    }

    /** A warning when the driver or an executor runs a Java BLAS, or a native one slower than Java there, else null. */
    public static String warning(String driver, Map<String, String> executors) {
        List<String> onJava = new ArrayList<>();
        List<String> slow = new ArrayList<>();
        java.util.function.BiConsumer<String, String> check = (who, blas) -> {
            if (!isNative(blas)) onJava.add(who);
            else if (blas.contains(SLOWER)) slow.add(who);
        };
        check.accept("the driver", driver);
        executors.forEach((id, blas) -> {
            if (!"driver".equals(id)) check.accept("executor " + id, blas);
        });
        List<String> parts = new ArrayList<>();
        if (!onJava.isEmpty()) {
            parts.add(String.join(", ", onJava) + (onJava.size() == 1 ? " runs" : " run") + " a Java BLAS, several times slower than native: "
                    + ADVICE);
        }
        if (!slow.isEmpty()) {
            parts.add(String.join(", ", slow) + (slow.size() == 1 ? " runs" : " run") + " a native BLAS " + SLOWER + ": " + SLOW_ADVICE);
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }
}
