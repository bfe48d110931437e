package io.sparkbackprop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.io.HistoryCsv;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * submit.sh with SPARK_HOME set, the way clusters (YARN, Kubernetes, the Docker image) run it: through a
 * distribution's bin/spark-submit. No distribution can be downloaded here, so the test builds one from
 * the Maven-resolved jars and a thin bin/spark-class that hands the arguments to Spark's real launcher
 * (org.apache.spark.launcher.Main), which is what parses them. Checked: the launcher accepts what
 * submit.sh passes, the driver JVM gets the heap of conf/spark-defaults.conf and conf/log4j2.properties,
 * the project's file wins over the distribution's spark-defaults.conf, which still fills in the rest, and
 * the job runs.
 */
class SparkDistributionSubmitIT {
    private static final Path JAR = Path.of(System.getProperty("app.jar", "target/spark-backprop-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
    private static final Path JARS = Path.of(System.getProperty("spark.home.jars", "target/spark-home/jars")).toAbsolutePath();

    private static Path distribution(Path dir) throws IOException {
        Path home = dir.resolve("spark");
        Files.createDirectories(home.resolve("bin"));
        for (String script : List.of("spark-class", "spark-submit")) {
            Path target = home.resolve("bin").resolve(script);
            try (InputStream in = SparkDistributionSubmitIT.class.getResourceAsStream("/spark-dist-bin/" + script)) {
                Files.copy(in, target);
            }
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.createSymbolicLink(home.resolve("jars"), JARS);
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/spark-defaults.conf"), "spark.driver.memory 7g\nspark.sbtest.fromdistribution yes\n");
        return home;
    }

    @Test
    void aDistributionsSparkSubmitRunsTheJobWithTheProjectsSettingsOverTheDistributions() throws Exception {
        Path dir = Path.of("target/spark-dist-it/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")))
                .toAbsolutePath();
        Files.createDirectories(dir);
        Path home = distribution(dir);
        Path out = dir.resolve("run");
        Path log = dir.resolve("submit.log");
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("submit.sh").toAbsolutePath().toString(), "train", "--verbose",
                "--config", "conf/friedman.properties", "--rows", "3000", "--epochs", "1", "--partitions", "2",
                "--master", "local[2]", "--output", out.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_BACKPROP_JAR", JAR.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        // The launcher prints the driver's command line.
        pb.environment().put("SPARK_PRINT_LAUNCH_COMMAND", "1");
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("submit.sh did not finish; log: " + log);
        }
        String text = Files.readString(log);
        assertEquals(0, p.exitValue(), text);
        assertEquals(1, HistoryCsv.read(out.resolve("history.csv")).size());
        assertTrue(Files.size(out.resolve("model.json")) > 0);

        String command = text.lines().filter(l -> l.startsWith("Spark Command: ")).findFirst().orElseThrow(() -> new AssertionError(text));
        assertTrue(command.startsWith("Spark Command: ") && command.contains(" -cp " + home + "/conf/:"), command);
        assertTrue(command.contains(" -Xmx2g "), "conf/spark-defaults.conf's driver memory, not the distribution's 7g: " + command);
        assertTrue(command.contains(" -Dlog4j2.configurationFile=file:" + Path.of("conf/log4j2.properties").toAbsolutePath() + " "), command);
        assertTrue(command.contains(" --add-modules=jdk.incubator.vector "), command);
        assertTrue(command.contains(" --properties-file " + Path.of("conf/spark-defaults.conf").toAbsolutePath() + " --load-spark-defaults "),
                command);
        // --verbose: the properties the application got.
        assertTrue(text.contains("(spark.serializer,org.apache.spark.serializer.KryoSerializer)"), text);
        assertTrue(text.contains("(spark.driver.memory,2g)"), text);
        assertTrue(text.contains("(spark.sbtest.fromdistribution,yes)"), "the distribution's defaults still apply: " + text);
    }
}
