package io.sparkbackprop.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class BlasReportTest {
    private static final String NATIVE = "JNIBLAS (native: /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3)";

    @Test
    void theDescriptionNamesTheImplementationNetlibChoseAndTheLibraryItLoaded() {
        String impl = io.sparkbackprop.nn.Blas.name();
        String d = BlasReport.describeThisJvm();
        assertTrue(d.startsWith(impl + " ("), d);
        if (impl.startsWith("JNI")) {
            // Whatever library is named must be a file this process really mapped, and a BLAS.
            List<String> libs = BlasReport.nativeLibraries();
            assertFalse(libs.isEmpty(), "JNIBLAS runs but no BLAS library is mapped");
            for (String lib : libs) {
                assertTrue(Files.isRegularFile(Path.of(lib)), lib);
                assertTrue(d.contains(lib), d);
            }
        } else {
            assertTrue(d.startsWith(impl + " (Java; bundled OpenBLAS "), d);
        }
        java.util.regex.Matcher rate = java.util.regex.Pattern.compile(", (\\d+) GFLOP/s dgemm").matcher(d);
        assertTrue(rate.find() && Integer.parseInt(rate.group(1)) > 0, d);
        assertTrue(d.endsWith(", element-wise in " + io.sparkbackprop.nn.Lanes.inUse()), d);
    }

    /** What the build brings: the JVM runs the OpenBLAS from the jar's dependency, unless the environment chose another. */
    @Test
    void theBundledOpenBlasIsTheOneThatRuns() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("SPARK_BACKPROP_BLAS") == null
                && System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"));
        String d = BlasReport.describeThisJvm();
        assertTrue(d.startsWith("JNIBLAS (native: "), d);
        assertTrue(BlasReport.nativeLibraries().stream().anyMatch(l -> l.contains("spark-backprop-openblas-0.3.31")
                && l.endsWith("/libopenblas.so.0")), BlasReport.nativeLibraries().toString());
        assertTrue(io.sparkbackprop.nn.Blas.bundled().startsWith("bundled OpenBLAS 0.3.31"), io.sparkbackprop.nn.Blas.bundled());
    }

    @Test
    void theSummaryGroupsExecutorsByBlasAndLeavesOutTheLocalDriverExecutor() {
        assertEquals("BLAS on the driver: " + NATIVE, BlasReport.summary(NATIVE, Map.of("driver", NATIVE)));
        assertEquals("BLAS on the driver: " + NATIVE + "; on executors 0, 2, 10: " + NATIVE + "; executor 1: VectorBLAS (Java)",
                BlasReport.summary(NATIVE, Map.of("0", NATIVE, "10", NATIVE, "2", NATIVE, "1", "VectorBLAS (Java)")));
    }

    @Test
    void executorsOnTheSameBlasAreOneGroupWhateverTheirMeasuredRate() {
        String lib = "JNIBLAS (native: /tmp/x/libopenblas.so.0), ";
        assertEquals("BLAS on the driver: " + lib + "52 GFLOP/s dgemm; on executors 0, 1, 2: " + lib + "50-52 GFLOP/s dgemm",
                BlasReport.summary(lib + "52 GFLOP/s dgemm",
                        Map.of("0", lib + "51 GFLOP/s dgemm", "1", lib + "52 GFLOP/s dgemm", "2", lib + "50 GFLOP/s dgemm")));
    }

    @Test
    void aJavaBlasAnywhereIsWarnedAboutWithTheFix() {
        assertNull(BlasReport.warning(NATIVE, Map.of("0", NATIVE, "1", NATIVE)));
        assertEquals("executor 1 runs a Java BLAS, several times slower than native: " + BlasReport.ADVICE,
                BlasReport.warning(NATIVE, Map.of("0", NATIVE, "1", "VectorBLAS (Java)")));
        assertEquals("the driver runs a Java BLAS, several times slower than native: " + BlasReport.ADVICE,
                BlasReport.warning("Java11BLAS (Java)", Map.of("driver", "Java11BLAS (Java)")));
        String generic = NATIVE + ", 8 GFLOP/s dgemm, " + BlasReport.SLOWER + " (AVX-512: at least 20)";
        assertEquals("executor 0 runs a native BLAS " + BlasReport.SLOWER + ": " + BlasReport.SLOW_ADVICE,
                BlasReport.warning(NATIVE, Map.of("0", generic, "1", NATIVE)));
    }

    @Test
    void theFloorFollowsTheCpusVectorUnits() {
        assertEquals(new BlasReport.CpuFloor("AVX-512", 20), BlasReport.CpuFloor.of("flags\t\t: fpu sse2 avx2 fma avx512f avx512dq"));
        assertEquals(new BlasReport.CpuFloor("AVX2", 10), BlasReport.CpuFloor.of("flags : fpu sse2 fma avx2"));
        assertNull(BlasReport.CpuFloor.of("flags : fpu sse2 avx"));
    }

    @Test
    void inLocalModeTheOnlyExecutorIsTheDriverJvm() {
        SparkSession spark = SparkTestSession.start("blas-report");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Map<String, String> found = BlasReport.probeExecutors(sc.parallelize(List.of(1, 2, 3, 4, 5, 6), 4));
        assertEquals(java.util.Set.of("driver"), found.keySet());
        // The same BLAS as this thread's; the rate is measured anew each time.
        String rate = ", \\d+ GFLOP/s dgemm.*";
        assertEquals(BlasReport.describeThisJvm().replaceAll(rate, ""), found.get("driver").replaceAll(rate, ""));
    }
}
