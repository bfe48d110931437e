package io.sparkbackprop.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludovic.netlib.blas.BLAS;
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
        String impl = BLAS.getInstance().getClass().getSimpleName();
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
            assertEquals(impl + " (Java)", d);
        }
    }

    @Test
    void theSummaryGroupsExecutorsByBlasAndLeavesOutTheLocalDriverExecutor() {
        assertEquals("BLAS on the driver: " + NATIVE, BlasReport.summary(NATIVE, Map.of("driver", NATIVE)));
        assertEquals("BLAS on the driver: " + NATIVE + "; on executors 0, 2, 10: " + NATIVE + "; executor 1: VectorBLAS (Java)",
                BlasReport.summary(NATIVE, Map.of("0", NATIVE, "10", NATIVE, "2", NATIVE, "1", "VectorBLAS (Java)")));
    }

    @Test
    void aJavaBlasAnywhereIsWarnedAboutWithTheFix() {
        assertNull(BlasReport.warning(NATIVE, Map.of("0", NATIVE, "1", NATIVE)));
        assertEquals("executor 1 runs a Java BLAS, several times slower than native: " + BlasReport.ADVICE,
                BlasReport.warning(NATIVE, Map.of("0", NATIVE, "1", "VectorBLAS (Java)")));
        assertEquals("the driver runs a Java BLAS, several times slower than native: " + BlasReport.ADVICE,
                BlasReport.warning("Java11BLAS (Java)", Map.of("driver", "Java11BLAS (Java)")));
    }

    @Test
    void inLocalModeTheOnlyExecutorIsTheDriverJvm() {
        SparkSession spark = SparkTestSession.start("blas-report");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Map<String, String> found = BlasReport.probeExecutors(sc.parallelize(List.of(1, 2, 3, 4, 5, 6), 4));
        assertEquals(Map.of("driver", BlasReport.describeThisJvm()), found);
    }
}
