package io.sparkbackprop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * submit.sh's command assembly, through its dry run (it prints the command instead of running it): which
 * options reach spark-submit and which the app, the properties file, the driver's heap, the environment,
 * and the errors. Running it for real is ClusterIT's and CI's job.
 */
class SubmitScriptTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final String DEFAULTS = ROOT.resolve("conf/spark-defaults.conf").toString();

    @TempDir
    Path dir;

    private record Result(int exitCode, List<String> lines, String err) {
        /** The command's arguments after its program (java or spark-submit), without the env comments. */
        List<String> command() {
            return lines.stream().filter(l -> !l.startsWith("# ")).toList();
        }

        List<String> after(String marker) {
            List<String> c = command();
            int i = c.indexOf(marker);
            assertTrue(i >= 0, marker + " not in " + c);
            return c.subList(i + 1, c.size());
        }
    }

    private Result submit(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path jar = dir.resolve("app.jar");
        if (!Files.exists(jar)) Files.createFile(jar);
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("submit.sh").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        // Start from what a user's shell would have, not from the test JVM's Spark environment.
        pb.environment().remove("SPARK_HOME");
        pb.environment().remove("SPARK_LOCAL_IP");
        pb.environment().remove("OPENBLAS_NUM_THREADS");
        pb.environment().put("SPARK_BACKPROP_JAR", jar.toString());
        pb.environment().put("SPARK_BACKPROP_DRY_RUN", "1");
        pb.environment().putAll(env);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("submit.sh did not finish");
        }
        return new Result(p.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), Files.readString(err));
    }

    private Result submit(String... args) throws IOException, InterruptedException {
        return submit(Map.of(), args);
    }

    private String jar() {
        return dir.resolve("app.jar").toString();
    }

    @Test
    void helpExplainsMastersPassThroughOptionsAndConfiguration() throws Exception {
        Result r = submit("--help");
        assertEquals(0, r.exitCode());
        String help = String.join("\n", r.lines());
        for (String s : new String[] {"local[*]", "local-cluster[", "spark://", "yarn", "k8s://", "SPARK_HOME", "--conf",
                "--executor-memory", "--num-executors", "--properties-file", "--config", "conf/spark-defaults.conf",
                "conf/log4j2.properties", "SPARK_BACKPROP_JAR"}) {
            assertTrue(help.contains(s), "--help does not mention " + s);
        }
    }

    @Test
    void sparkOptionsGoToSparkSubmitAndTheRestToTheCommandInOrder() throws Exception {
        Result r = submit("train", "--epochs", "3", "--master=local[2]", "--executor-memory", "2g", "--conf", "spark.a=b",
                "-c", "spark.c=d=e", "--verbose", "--num-executors=4", "--config", "conf/friedman.properties", "--seed", "7");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of("--master", "local[2]", "--executor-memory", "2g", "--conf", "spark.a=b", "-c", "spark.c=d=e",
                "--verbose", "--num-executors", "4", "--properties-file", DEFAULTS, "--load-spark-defaults",
                "--class", "io.sparkbackprop.cli.Main", jar(), "train", "--epochs", "3", "--config", "conf/friedman.properties",
                "--seed", "7"), r.after("org.apache.spark.deploy.SparkSubmit"));
    }

    @Test
    void withoutSparkHomeItRunsSparkSubmitFromTheMavenJarsWithTheJvmFlagsOfConf() throws Exception {
        Result r = submit("train");
        assertEquals(0, r.exitCode(), r.err());
        List<String> cmd = r.command();
        assertEquals("java", cmd.get(0));
        List<String> jvm = cmd.subList(1, cmd.indexOf("-cp"));
        for (String flag : Files.readAllLines(ROOT.resolve("conf/jvm-flags.txt"))) {
            if (!flag.isBlank() && !flag.startsWith("#")) assertTrue(jvm.contains(flag.trim()), flag + " missing from " + jvm);
        }
        assertTrue(jvm.contains("-Dlog4j2.configurationFile=file:" + ROOT.resolve("conf/log4j2.properties")), jvm.toString());
        assertEquals(ROOT.resolve("target/spark-home/jars") + "/*", cmd.get(cmd.indexOf("-cp") + 1));
        assertEquals(List.of("--master", "local[*]"), r.after("org.apache.spark.deploy.SparkSubmit").subList(0, 2));
        // local-cluster executors are launched from SPARK_HOME/jars and need the Scala version spelt out.
        assertTrue(r.lines().contains("# SPARK_HOME=" + ROOT.resolve("target/spark-home")), r.lines().toString());
        assertTrue(r.lines().contains("# SPARK_SCALA_VERSION=2.13"));
        assertTrue(r.lines().contains("# OPENBLAS_NUM_THREADS=1"));
    }

    @Test
    void theDriverHeapFollowsDriverMemoryThenConfThenThePropertiesFile() throws Exception {
        assertTrue(submit("train").command().contains("-Xmx2g"), "conf/spark-defaults.conf says 2g");
        assertTrue(submit("train", "--conf", "spark.driver.memory=3g").command().contains("-Xmx3g"));
        for (List<String> both : List.of(submit("train", "--conf", "spark.driver.memory=3g", "--driver-memory", "5g").command(),
                submit("train", "--driver-memory", "5g", "--conf", "spark.driver.memory=3g").command())) {
            assertTrue(both.contains("-Xmx5g") && !both.contains("-Xmx3g"), both.toString());
        }

        Path props = dir.resolve("mine.conf");
        Files.writeString(props, "# mine\nspark.driver.memoryOverhead 1g\n  spark.driver.memory: 700m\n");
        Result r = submit("train", "--properties-file", props.toString());
        assertTrue(r.command().contains("-Xmx700m"), r.command().toString());
        // A file of the user's replaces the project's, as with spark-submit itself.
        assertFalse(r.command().contains(DEFAULTS));
        assertFalse(r.command().contains("--load-spark-defaults"));
    }

    @Test
    void withSparkHomeItRunsThatDistributionsSparkSubmit() throws Exception {
        Path home = dir.resolve("spark");
        Files.createDirectories(home.resolve("bin"));
        Path script = Files.createFile(home.resolve("bin/spark-submit"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        Result r = submit(Map.of("SPARK_HOME", home.toString()), "train", "--master", "yarn", "--num-executors", "4",
                "--driver-java-options", "-Dx=1 -Dy=2", "--epochs", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of(script.toString(), "--driver-java-options",
                "-Dlog4j2.configurationFile=file:" + ROOT.resolve("conf/log4j2.properties") + " -Dx=1 -Dy=2",
                "--master", "yarn", "--num-executors", "4", "--properties-file", DEFAULTS, "--load-spark-defaults",
                "--class", "io.sparkbackprop.cli.Main", jar(), "train", "--epochs", "2"), r.command());
        assertFalse(r.lines().contains("# SPARK_LOCAL_IP=127.0.0.1"), "a YARN driver must not be tied to loopback");

        // In cluster deploy mode the driver runs elsewhere: this machine's log4j2.properties is no use to it.
        Result cluster = submit(Map.of("SPARK_HOME", home.toString()), "train", "--master", "k8s://https://kubernetes.example:6443",
                "--deploy-mode", "cluster");
        assertEquals(0, cluster.exitCode(), cluster.err());
        assertFalse(cluster.command().contains("--driver-java-options"), cluster.command().toString());
    }

    @Test
    void benchRunsTheBenchJarWithTheAppJarBeside() throws Exception {
        Path bench = Files.createFile(dir.resolve("bench.jar"));
        Map<String, String> env = Map.of("SPARK_BACKPROP_BENCH_JAR", bench.toString());
        Result r = submit(env, "bench", "--quick", "--master", "local[2]", "--sections", "mllib");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(List.of("--master", "local[2]", "--properties-file", DEFAULTS, "--load-spark-defaults", "--jars", jar(),
                "--class", "io.sparkbackprop.bench.BenchMain", bench.toString(), "--quick", "--sections", "mllib"),
                r.after("org.apache.spark.deploy.SparkSubmit"));
        // Jars of the command line's still go, after the app jar.
        r = submit(env, "bench", "--jars", "a.jar,b.jar", "--quick");
        assertEquals(List.of("--master", "local[*]", "--jars", jar() + ",a.jar,b.jar", "--properties-file", DEFAULTS,
                "--load-spark-defaults", "--class", "io.sparkbackprop.bench.BenchMain", bench.toString(), "--quick"),
                r.after("org.apache.spark.deploy.SparkSubmit"));
        assertError(submit(Map.of("SPARK_BACKPROP_BENCH_JAR", dir.resolve("missing.jar").toString()), "bench"),
                "SPARK_BACKPROP_BENCH_JAR=" + dir.resolve("missing.jar") + ": no such file");
    }

    @Test
    void loopbackIsTheDefaultAddressOnlyForMastersOnThisMachine() throws Exception {
        assertTrue(submit("train", "--master", "local[2]").lines().contains("# SPARK_LOCAL_IP=127.0.0.1"));
        assertTrue(submit("train", "--master", "local-cluster[2,1,1024]").lines().contains("# SPARK_LOCAL_IP=127.0.0.1"));
        assertTrue(submit("train", "--master", "spark://127.0.0.1:7077").lines().contains("# SPARK_LOCAL_IP=127.0.0.1"));
        assertFalse(submit("train", "--master", "spark://spark-master.example:7077").lines().stream()
                .anyMatch(l -> l.startsWith("# SPARK_LOCAL_IP=")));
        assertTrue(submit(Map.of("SPARK_LOCAL_IP", "127.0.0.2"), "train").lines().contains("# SPARK_LOCAL_IP=127.0.0.2"));
    }

    @Test
    void mistakesStopWithAMessage() throws Exception {
        assertError(submit("train", "--master"), "--master needs a value");
        assertError(submit("train", "--conf", "spark.x"), "--conf needs KEY=VALUE, got 'spark.x'");
        assertError(submit("--master", "local[2]"), "no command given");
        assertError(submit("train", "--master", "yarn"), "--master yarn needs a Spark distribution: set SPARK_HOME");
        assertError(submit("train", "--master", "k8s://https://kubernetes.example:6443"),
                "--master k8s://https://kubernetes.example:6443 needs a Spark distribution");
        assertError(submit(Map.of("SPARK_HOME", dir.resolve("nothing").toString()), "train"),
                "SPARK_HOME=" + dir.resolve("nothing") + " has no bin/spark-submit");
        assertError(submit(Map.of("SPARK_BACKPROP_JAR", dir.resolve("missing.jar").toString()), "train"),
                "SPARK_BACKPROP_JAR=" + dir.resolve("missing.jar") + ": no such file");
        assertError(submit("train", "--properties-file", "nope.conf"), "--properties-file nope.conf: no such file");
        // A URI names a jar on the cluster: nothing to check here.
        assertEquals(0, submit(Map.of("SPARK_BACKPROP_JAR", "local:///opt/spark-backprop/spark-backprop.jar"), "train").exitCode());
    }

    private static void assertError(Result r, String message) {
        assertEquals(2, r.exitCode(), r.lines().toString());
        assertTrue(r.err().contains("submit.sh: " + message), "expected '" + message + "' in: " + r.err());
    }
}
