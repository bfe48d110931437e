package io.sparkbackprop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.io.EpochRecord;
import io.sparkbackprop.io.HistoryCsv;
import io.sparkbackprop.io.ModelJson;
import io.sparkbackprop.nn.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The trainer where its users run it: a Spark standalone cluster (a Master and two Workers, each worker
 * launching one executor JVM, all on 127.0.0.1), the default job submitted through submit.sh. The weights
 * travel to the executors as real broadcasts and the gradients come back as real task results, serialized
 * by Kryo with registration required. The trained model must equal, to 1e-9, the same job on local[2]
 * with the same seed and partitioning (training is deterministic for those); Spark's own event log must
 * show both executors computing gradient tasks; and nothing of the cluster may be left running.
 */
class ClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JARS = SubmitRun.JARS;
    /** The default job, shortened: 16,000 training rows in 2 partitions (one per executor), 3 epochs. */
    private static final List<String> JOB = List.of("train", "--rows", "20000", "--epochs", "3", "--partitions", "2", "--seed", "42");

    private record Run(int exitCode, String log, double seconds) {
    }

    /** ./submit.sh as a user runs it, waited for. */
    private static Run submit(Path dir, String name, List<String> args) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process p = SubmitRun.start(dir, name, args);
        Path log = dir.resolve(name + ".log");
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(name + " run did not finish; log: " + log);
        }
        return new Run(p.exitValue(), Files.readString(log), (System.nanoTime() - start) / 1e9);
    }

    private static List<String> with(List<String> a, String... b) {
        return SubmitRun.with(a, b);
    }

    @Test
    void theDefaultJobOnAStandaloneClusterEqualsTheLocalRun() throws Exception {
        Path dir = Path.of("target/cluster-it/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")))
                .toAbsolutePath();
        Files.createDirectories(dir.resolve("events"));
        long t0 = System.nanoTime();
        StandaloneCluster cluster = new StandaloneCluster(dir, JARS, 2);
        int masterPort = cluster.masterPort();
        Run onCluster;
        try {
            System.out.printf("cluster: master and 2 workers up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            onCluster = submit(dir, "cluster", with(JOB, "--master", cluster.masterUrl(),
                    // Both executors registered before the first job, so the two partitions land one on each.
                    "--total-executor-cores", "2", "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                    "--conf", "spark.kryo.registrationRequired=true",
                    "--conf", "spark.ui.enabled=false",
                    "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.dir=file:" + dir.resolve("events"),
                    "--conf", "spark.eventLog.compress=false", "--conf", "spark.eventLog.rolling.enabled=false",
                    "--output", dir.resolve("cluster").toString()));
            assertEquals(0, onCluster.exitCode(), onCluster.log());
            // The workers launched the executors from this cluster's SPARK_HOME, so processesLeft() sees them.
            try (Stream<Path> logs = Files.find(cluster.workDir(), 3, (f, attrs) -> f.getFileName().toString().equals("stderr"))) {
                List<Path> executorLogs = logs.toList();
                assertEquals(2, executorLogs.size(), "executor logs: " + executorLogs);
                for (Path f : executorLogs) {
                    String first = Files.readAllLines(f).get(0);
                    assertTrue(first.startsWith("Spark Executor Command: ") && first.contains(cluster.home().toString()), first);
                }
            }
            // A finished application's executors are gone before the cluster stops: the workers ended them.
            cluster.await("the application's executors to exit", () -> cluster.processesLeft().stream()
                    .noneMatch(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")));
        } finally {
            cluster.close();
        }
        cluster.await("every cluster process to exit", () -> cluster.processesLeft().isEmpty());
        assertTrue(StandaloneCluster.portFree(masterPort), "the master's port is still taken");

        Run local = submit(dir, "local", with(JOB, "--master", "local[2]", "--output", dir.resolve("local").toString()));
        assertEquals(0, local.exitCode(), local.log());
        System.out.printf("cluster run %.1f s, local[2] run %.1f s, whole test %.1f s; logs in %s%n",
                onCluster.seconds(), local.seconds(), (System.nanoTime() - t0) / 1e9, dir);

        Network a = ModelJson.read(dir.resolve("cluster/model.json"));
        Network b = ModelJson.read(dir.resolve("local/model.json"));
        double[] wa = a.weights();
        double[] wb = b.weights();
        assertEquals(wb.length, wa.length);
        double maxDiff = 0;
        for (int i = 0; i < wa.length; i++) maxDiff = Math.max(maxDiff, Math.abs(wa[i] - wb[i]));
        System.out.printf("cluster vs local[2]: %d weights, largest difference %.3g%n", wa.length, maxDiff);
        assertTrue(maxDiff <= 1e-9, "weights differ by " + maxDiff);

        List<EpochRecord> ha = HistoryCsv.read(dir.resolve("cluster/history.csv"));
        List<EpochRecord> hb = HistoryCsv.read(dir.resolve("local/history.csv"));
        assertEquals(3, ha.size());
        assertEquals(3, hb.size());
        for (int e = 0; e < 3; e++) {
            assertEquals(hb.get(e).trainLoss(), ha.get(e).trainLoss(), 1e-9 * hb.get(e).trainLoss(), "train loss, epoch " + (e + 1));
            assertEquals(hb.get(e).testLoss(), ha.get(e).testLoss(), 1e-9 * hb.get(e).testLoss(), "test loss, epoch " + (e + 1));
        }
        assertTrue(ha.get(2).testLoss() < 0.5 * ha.get(0).testLoss(), "it trained: " + ha);

        // Spark's record of the cluster run: which executor ran which task, and what each task returned.
        EventLog events = EventLog.read(dir.resolve("events"));
        assertEquals(List.of("0", "1"), events.executors(), "executors added");
        assertEquals(Map.of("0", "127.0.0.1", "1", "127.0.0.1"), events.executorHosts);
        // A step's task sends back its partition's gradient buffer (8 bytes per weight, plus loss and row
        // count); a test-loss task (same call site) only the loss and row count. At the default aggregation depth 1
        // both are StepRunner's runJob, so their stages are named after it.
        long gradientBytes = 8L * wa.length;
        Map<String, Integer> stepTasks = events.successfulTasksPerExecutor("runJob at StepRunner", 0);
        Map<String, Integer> gradientTasks = events.successfulTasksPerExecutor("runJob at StepRunner", gradientBytes);
        System.out.println("gradient tasks per executor: " + gradientTasks + "; all tasks: " + events.successfulTasksPerExecutor("", 0));
        assertEquals(List.of("0", "1"), List.copyOf(gradientTasks.keySet()), "both executors, and only they, computed gradients");
        int steps = gradientTasks.values().stream().mapToInt(Integer::intValue).sum();
        int all = stepTasks.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(all - 2 * 3, steps, "every task but the 3 test-loss evaluations' (2 partitions each) returned a whole gradient");
        assertTrue(gradientTasks.values().stream().allMatch(n -> n > 0));

        // Every executor reported its BLAS to the driver.
        assertTrue(onCluster.log().matches("(?s).*BLAS on the driver: [^\\n]*; on executors 0, 1: .*"), onCluster.log());
    }

    /** The parts of a Spark event log (JSON lines) this test needs. */
    private static final class EventLog {
        final Map<String, String> executorHosts = new TreeMap<>();
        final Map<Integer, String> stageNames = new HashMap<>();
        final List<JsonNode> taskEnds = new ArrayList<>();

        static EventLog read(Path dir) throws IOException {
            Path file;
            try (Stream<Path> files = Files.list(dir)) {
                List<Path> logs = files.filter(f -> f.getFileName().toString().startsWith("app-")).toList();
                assertEquals(1, logs.size(), "event logs: " + logs);
                file = logs.get(0);
            }
            EventLog log = new EventLog();
            for (String line : Files.readAllLines(file)) {
                JsonNode e = JSON.readTree(line);
                switch (e.path("Event").asText()) {
                    case "SparkListenerExecutorAdded" -> log.executorHosts.put(e.path("Executor ID").asText(),
                            e.path("Executor Info").path("Host").asText());
                    case "SparkListenerStageSubmitted" -> log.stageNames.put(e.path("Stage Info").path("Stage ID").asInt(),
                            e.path("Stage Info").path("Stage Name").asText());
                    case "SparkListenerTaskEnd" -> log.taskEnds.add(e);
                    default -> {
                    }
                }
            }
            return log;
        }

        List<String> executors() {
            return List.copyOf(executorHosts.keySet());
        }

        /** Successful tasks per executor, of stages whose name starts so, that returned at least minResultBytes. */
        Map<String, Integer> successfulTasksPerExecutor(String stagePrefix, long minResultBytes) {
            Map<String, Integer> counts = new TreeMap<>();
            taskEnds.stream()
                    .filter(t -> "Success".equals(t.path("Task End Reason").path("Reason").asText()))
                    .filter(t -> stageNames.getOrDefault(t.path("Stage ID").asInt(), "").startsWith(stagePrefix))
                    .filter(t -> t.path("Task Metrics").path("Result Size").asLong() >= minResultBytes)
                    .forEach(t -> counts.merge(t.path("Task Info").path("Executor ID").asText(), 1, Integer::sum));
            return counts;
        }
    }
}
