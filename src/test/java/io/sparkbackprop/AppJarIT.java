package io.sparkbackprop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The app jar a cluster runs: nothing of Spark in it (the cluster provides Spark), and what the project
 * adds of its own (picocli) relocated under io.sparkbackprop.shaded, so that it cannot clash with
 * whatever the cluster's classpath holds. The bench is not in it: it has a jar of its own that runs beside it.
 */
class AppJarIT {
    private static final Path JAR = Path.of(System.getProperty("app.jar", "target/spark-backprop-0.1.0-SNAPSHOT.jar"));
    private static final Path BENCH_JAR = Path.of(System.getProperty("bench.jar", "target/spark-backprop-0.1.0-SNAPSHOT-bench.jar"));

    /** The ServiceLoader files the jar may hold (Spark Connect finds our ML classes through them), with their contents. */
    private static final Map<String, List<String>> SERVICES = Map.of(
            "META-INF/services/org.apache.spark.ml.Estimator", List.of("io.sparkbackprop.ml.NeuralNetRegressor", "io.sparkbackprop.ml.NeuralNetClassifier"),
            "META-INF/services/org.apache.spark.ml.Transformer",
            List.of("io.sparkbackprop.ml.NeuralNetRegressionModel", "io.sparkbackprop.ml.NeuralNetClassificationModel"));

    @Test
    void theJarHoldsOnlyTheProjectsClassesWithPicocliRelocated() throws IOException {
        List<String> foreign = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                String n = e.getName();
                boolean ours = n.startsWith("io/sparkbackprop/") || n.equals("io/") || n.equals("META-INF/")
                        || n.equals("META-INF/MANIFEST.MF") || n.startsWith("META-INF/maven/io.sparkbackprop/")
                        || n.equals("META-INF/maven/") || n.equals("META-INF/services/") || SERVICES.containsKey(n);
                if (!ours && !n.startsWith("org/bytedeco/") && !n.equals("org/")) foreign.add(n);
            }
            assertEquals(List.of(), foreign, "entries outside io/sparkbackprop (Spark, Scala, unrelocated libraries, services)");
            // The only services are our own registrations for Spark Connect, listing our classes and nothing a dependency added.
            for (Map.Entry<String, List<String>> service : SERVICES.entrySet()) {
                try (InputStream in = jar.getInputStream(jar.getEntry(service.getKey()))) {
                    List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                            .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
                    assertEquals(service.getValue(), lines, service.getKey());
                }
            }
            // Of OpenBLAS, the library netlib loads and what it links against; no Java bindings, no headers, no JNI glue.
            List<String> openblas = Collections.list(jar.entries()).stream().map(JarEntry::getName)
                    .filter(n -> n.startsWith("org/bytedeco/") && !n.endsWith("/")).sorted().toList();
            assertEquals(List.of("org/bytedeco/openblas/linux-x86_64/libgcc_s.so.1", "org/bytedeco/openblas/linux-x86_64/libgfortran.so.5",
                    "org/bytedeco/openblas/linux-x86_64/libopenblas.so.0", "org/bytedeco/openblas/linux-x86_64/libquadmath.so.0"), openblas);
            assertNotNull(jar.getEntry("io/sparkbackprop/shaded/picocli/CommandLine.class"), "picocli is not shaded in");
            assertNotNull(jar.getEntry("io/sparkbackprop/shaded/xchart/BitmapEncoder.class"), "XChart is not shaded in");
            assertEquals("io.sparkbackprop.cli.Main", jar.getManifest().getMainAttributes().getValue("Main-Class"));

            // Our classes must call the relocated copy, never a picocli the cluster might have.
            String train;
            try (InputStream in = jar.getInputStream(jar.getEntry("io/sparkbackprop/cli/TrainCommand.class"))) {
                train = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            assertTrue(train.contains("io/sparkbackprop/shaded/picocli/CommandLine"));
            assertFalse(Pattern.compile("(?<!shaded/)picocli/CommandLine").matcher(train).find(), "a reference to unrelocated picocli");
            String plot;
            try (InputStream in = jar.getInputStream(jar.getEntry("io/sparkbackprop/io/LossPlot.class"))) {
                plot = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            assertTrue(plot.contains("io/sparkbackprop/shaded/xchart/"));
            assertFalse(plot.contains("org/knowm/xchart"), "a reference to unrelocated XChart");
        }
    }

    @Test
    void theBenchIsInItsOwnJarWhichRunsBesideTheAppJar() throws IOException, InterruptedException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            List<String> bench = Collections.list(jar.entries()).stream().map(JarEntry::getName)
                    .filter(n -> n.startsWith("io/sparkbackprop/bench")).toList();
            assertEquals(List.of(), bench, "the app jar carries bench classes");
        }
        try (JarFile jar = new JarFile(BENCH_JAR.toFile())) {
            List<String> foreign = new ArrayList<>();
            for (JarEntry e : Collections.list(jar.entries())) {
                String n = e.getName();
                if (!(n.startsWith("io/sparkbackprop/bench/") || n.equals("io/") || n.equals("io/sparkbackprop/")
                        || n.startsWith("META-INF/"))) foreign.add(n);
            }
            assertEquals(List.of(), foreign, "the bench jar holds only the bench (the library and picocli are the app jar's)");
            assertEquals("io.sparkbackprop.bench.BenchMain", jar.getManifest().getMainAttributes().getValue("Main-Class"));
            String command;
            try (InputStream in = jar.getInputStream(jar.getEntry("io/sparkbackprop/bench/BenchCommand.class"))) {
                command = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            assertTrue(command.contains("io/sparkbackprop/shaded/picocli/CommandLine"), "the bench calls the app jar's picocli");
            assertFalse(Pattern.compile("(?<!shaded/)picocli/CommandLine").matcher(command).find(), "a reference to unrelocated picocli");
        }
        Path jars = Path.of(System.getProperty("spark.home.jars", "target/spark-home/jars"));
        Process p = new ProcessBuilder("java", "-cp", BENCH_JAR + ":" + JAR + ":" + jars + "/*", "io.sparkbackprop.bench.BenchMain", "--help")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        // --master comes from the app jar's SparkMasterOption: the two jars' picocli annotations are the same classes.
        assertTrue(out.startsWith("Usage: bench ") && out.contains("--master") && out.contains("--sections"), out);
    }

    @Test
    void theJarRunsOnSparksJarsAlone() throws IOException, InterruptedException {
        // Spark's runtime classpath has no picocli: the command line works only if the jar brings its own.
        Path jars = Path.of(System.getProperty("spark.home.jars", "target/spark-home/jars"));
        try (var list = Files.list(jars)) {
            assertFalse(list.anyMatch(p -> p.getFileName().toString().contains("picocli")));
        }
        Process p = new ProcessBuilder("java", "-cp", JAR + ":" + jars + "/*", "io.sparkbackprop.cli.Main", "--version")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("spark-backprop 0.1.0", out.trim());
    }
}
