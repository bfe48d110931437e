package io.sparkbackprop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * No Docker engine runs where the tests run, so docker/ is checked against the rest of the project instead:
 * the image is the Spark the pom builds against, it copies the jar `mvn package` makes and what
 * .dockerignore lets through, it installs OpenBLAS, and the compose cluster can actually run the job
 * (workers with room for an executor, the driver reachable, ports only on loopback).
 */
class DockerFilesTest {
    private static final String DOCKERFILE = read("docker/Dockerfile");
    private static final String COMPOSE = read("docker/docker-compose.yml");

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String pom(String tag) throws Exception {
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        return d.getElementsByTagName(tag).item(0).getTextContent().trim();
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), "no match for " + regex);
        return m.group(1);
    }

    @Test
    void theImageIsTheOfficialSparkImageOfThePomsSparkScalaAndJava() throws Exception {
        assertEquals(pom("spark.version"), group(DOCKERFILE, "^ARG SPARK_VERSION=(\\S+)$"));
        String from = group(DOCKERFILE, "^FROM (\\S+)$");
        assertEquals("apache/spark:${SPARK_VERSION}-scala" + pom("scala.binary.version") + "-java" + pom("maven.compiler.release")
                + "-ubuntu", from);
        assertTrue(DOCKERFILE.contains("apt-get install -y --no-install-recommends libopenblas0"));
        assertTrue(DOCKERFILE.contains("ENV OPENBLAS_NUM_THREADS=1"));
    }

    @Test
    void theImageCopiesTheJarMavenBuildsAndDockerignoreLetsThroughExactlyWhatIsCopied() throws Exception {
        List<String> sources = new ArrayList<>();
        Matcher m = Pattern.compile("^COPY (?:--\\S+ )*(\\S+) \\S+$", Pattern.MULTILINE).matcher(DOCKERFILE);
        while (m.find()) sources.add(m.group(1).replaceFirst("/$", ""));
        String jar = "target/" + pom("artifactId") + "-" + pom("version") + ".jar";
        assertEquals(List.of(jar, "submit.sh", "conf"), sources);
        // submit.sh's own default jar is the same file.
        assertTrue(read("submit.sh").contains("DEFAULT_JAR=\"$ROOT/" + jar + "\""));
        List<String> allowed = read(".dockerignore").lines().filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();
        assertEquals(sources, allowed);
        assertTrue(read(".dockerignore").lines().anyMatch(l -> l.equals("*")), ".dockerignore must exclude the rest (target/ is large)");
        assertTrue(DOCKERFILE.contains("SPARK_BACKPROP_JAR=/opt/spark-backprop/spark-backprop.jar"));
    }

    @Test
    void theComposeClusterCanRunTheDefaultJob() throws IOException {
        // Every published port on the host's loopback only.
        Matcher ports = Pattern.compile("^\\s+- \"([^\"]+)\"$", Pattern.MULTILINE).matcher(COMPOSE.substring(COMPOSE.indexOf("ports:")));
        assertTrue(ports.find());
        assertTrue(ports.group(1).startsWith("127.0.0.1:"), ports.group(1));
        assertFalse(Pattern.compile("^\\s+- \"?\\d+:\\d+", Pattern.MULTILINE).matcher(COMPOSE).find(), "a port published on all interfaces");

        // A worker offering less memory than an executor asks for never starts one: the job would hang.
        Properties defaults = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("conf/spark-defaults.conf"))) {
            defaults.load(r);
        }
        long executorMb = megabytes(defaults.getProperty("spark.executor.memory"));
        Matcher workers = Pattern.compile("org\\.apache\\.spark\\.deploy\\.worker\\.Worker\",\\s+\"--host\", \"(worker-\\d)\", \"--cores\", "
                + "\"(\\d+)\", \"--memory\", \"(\\w+)\", \"spark://master:7077\"").matcher(COMPOSE);
        int count = 0;
        while (workers.find()) {
            count++;
            assertTrue(megabytes(workers.group(3)) >= executorMb, workers.group(1) + " has " + workers.group(3) + " for an executor of "
                    + defaults.getProperty("spark.executor.memory"));
            assertTrue(COMPOSE.contains("hostname: " + workers.group(1)), "executors advertise the worker's host name");
        }
        assertEquals(2, count, "two workers");
        assertTrue(COMPOSE.contains("\"--host\", \"master\", \"--port\", \"7077\""));
        assertTrue(COMPOSE.contains("hostname: submit") && COMPOSE.contains("\"spark.driver.host=submit\""),
                "executors in the workers must reach the driver by name");
        assertTrue(COMPOSE.contains("command: [\"submit.sh\", \"train\", \"--master\", \"spark://master:7077\", \"--total-executor-cores\", \"2\","));
    }

    private static long megabytes(String size) {
        Matcher m = Pattern.compile("(\\d+)([mg])", Pattern.CASE_INSENSITIVE).matcher(size.trim());
        assertTrue(m.matches(), size);
        return Long.parseLong(m.group(1)) * (m.group(2).equalsIgnoreCase("g") ? 1024 : 1);
    }
}
