package io.sparkbackprop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A Spark standalone cluster on this machine, every service on 127.0.0.1: one Master and N Workers, each
 * its own JVM started from the Maven-resolved Spark jars, stopped by PID. Everything it starts carries
 * {@link #home()} in its command line (the classpath; workers hand it on to the executors they launch),
 * which is how {@link #processesLeft()} finds anything left running.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final Path home;
    private final int masterPort;
    private final int masterUiPort;
    private final List<Process> processes = new ArrayList<>();
    private volatile boolean closed;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @param dir  a new directory for this cluster: its SPARK_HOME, work directories and logs
     * @param jars Spark's runtime jars (target/spark-home/jars)
     */
    StandaloneCluster(Path dir, Path jars, int workers) throws IOException, InterruptedException {
        this.dir = dir;
        this.home = dir.resolve("spark-home");
        Files.createDirectories(home);
        // A SPARK_HOME of its own: its path in every command line marks this cluster's processes.
        Files.createSymbolicLink(home.resolve("jars"), jars.toAbsolutePath());
        this.masterPort = freePort();
        this.masterUiPort = freePort();
        try {
            start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(masterPort),
                    "--webui-port", String.valueOf(masterUiPort));
            // Workers that dial a master not yet listening wait ~15 s before trying again: start them once it answers.
            await("the master's web UI", () -> masterState() != null);
            for (int i = 1; i <= workers; i++) {
                start("worker" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0", "--webui-port", "0",
                        "--cores", "1", "--memory", "1g", "--work-dir", dir.resolve("work").toString(), masterUrl());
            }
            await(workers + " alive workers", () -> aliveWorkers() == workers);
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    int masterPort() {
        return masterPort;
    }

    Path home() {
        return home;
    }

    /** The work directory (executor logs in app-ID/N/stderr). */
    Path workDir() {
        return dir.resolve("work");
    }

    private void start(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(JvmFlags.list());
        cmd.addAll(List.of("-Xmx256m", "-cp", home.resolve("jars") + "/*", mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_HOME", home.toString());
        // Workers launch executors from SPARK_HOME/jars; without a distribution's layout the launcher
        // must be told the Scala version.
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("OPENBLAS_NUM_THREADS", "1");
        processes.add(pb.start());
    }

    /** The master's /json state, or null while it does not answer. */
    JsonNode masterState() {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private int aliveWorkers() {
        JsonNode state = masterState();
        int alive = 0;
        if (state != null) {
            for (JsonNode w : state.path("workers")) if ("ALIVE".equals(w.path("state").asText())) alive++;
        }
        return alive;
    }

    /** Processes of this cluster (master, workers, executors) still running. */
    List<ProcessHandle> processesLeft() {
        String marker = home.toString();
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self && p.isAlive())
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .toList();
    }

    /** Polls until the condition holds; fails after two minutes (a start-up gone wrong, not a slow machine). */
    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            // While the cluster should be up, a dead master or worker means waiting is pointless.
            for (Process p : closed ? List.<Process>of() : processes) {
                if (!p.isAlive()) throw new IllegalStateException("a cluster process exited (" + p.exitValue() + ") while waiting for "
                        + what + "; logs in " + dir);
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting for " + what + "; logs in " + dir);
            Thread.sleep(250);
        }
    }

    /** Stops the workers (which stop their executors), then the master: SIGTERM by PID, SIGKILL if ignored. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** True when nothing listens on the loopback port any more. */
    static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
