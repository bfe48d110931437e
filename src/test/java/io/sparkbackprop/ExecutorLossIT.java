package io.sparkbackprop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.io.EpochRecord;
import io.sparkbackprop.io.HistoryCsv;
import io.sparkbackprop.io.ModelJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An executor JVM killed (by its own PID, SIGKILL) in the middle of training on a standalone cluster: Spark
 * retries the lost tasks elsewhere, recomputes the lost cached blocks from lineage, and the run must end
 * exactly as an undisturbed one — no gradient counted twice, none missing.
 */
class ExecutorLossIT {
    private static final Path JARS = SubmitRun.JARS;
    private static final List<String> JOB = List.of("train", "--rows", "20000", "--epochs", "8", "--batch-size", "256",
            "--partitions", "2", "--seed", "7", "--log-every", "1");

    private static Process submit(Path dir, String name, List<String> args) throws IOException {
        return SubmitRun.start(dir, name, args);
    }

    private static void finish(Process p, Path log) throws Exception {
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("run did not finish; log: " + log);
        }
        assertEquals(0, p.exitValue(), Files.readString(log));
    }

    private static List<String> with(List<String> a, String... b) {
        return SubmitRun.with(a, b);
    }

    @Test
    void trainingSurvivesAKilledExecutorAndEndsAsTheUndisturbedRun() throws Exception {
        Path dir = Path.of("target/executor-loss-it/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")))
                .toAbsolutePath();
        Files.createDirectories(dir);
        StandaloneCluster cluster = new StandaloneCluster(dir, JARS, 2);
        long killed;
        try {
            Process run = submit(dir, "cluster", with(JOB, "--master", cluster.masterUrl(), "--total-executor-cores", "2",
                    "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0", "--conf", "spark.ui.enabled=false",
                    "--output", dir.resolve("cluster").toString()));
            Path log = dir.resolve("cluster.log");
            // Kill once training is under way: after epoch 2 is logged, during epoch 3.
            cluster.await("epoch 2 to finish", () -> {
                try {
                    return Files.readString(log).contains("epoch 2/8");
                } catch (IOException e) {
                    return false;
                }
            });
            ProcessHandle executor = cluster.processesLeft().stream()
                    .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                    .findFirst().orElseThrow(() -> new AssertionError("no executor process found"));
            killed = executor.pid();
            executor.destroyForcibly();
            System.out.println("killed executor JVM " + killed);
            finish(run, log);
            String text = Files.readString(log);
            // The driver saw the executor go mid-run (its tasks, if one was running, are retried elsewhere).
            assertTrue(text.contains("Lost executor"), text);
        } finally {
            cluster.close();
        }
        cluster.await("every cluster process to exit", () -> cluster.processesLeft().isEmpty());
        assertTrue(ProcessHandle.of(killed).map(p -> !p.isAlive()).orElse(true), "the killed executor is gone");
        // The worker saw its executor die and started a replacement: proof that the kill hit mid-run.
        try (var logs = Files.find(dir.resolve("work"), 3, (f, a) -> f.getFileName().toString().equals("stderr"))) {
            assertTrue(logs.count() >= 3, "a replacement executor was launched");
        }

        Process local = submit(dir, "local", with(JOB, "--master", "local[2]", "--output", dir.resolve("local").toString()));
        finish(local, dir.resolve("local.log"));
        double[] a = ModelJson.read(dir.resolve("cluster/model.json")).weights();
        double[] b = ModelJson.read(dir.resolve("local/model.json")).weights();
        double maxDiff = 0;
        for (int i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
        System.out.printf("after losing an executor: largest weight difference to the undisturbed local run %.3g%n", maxDiff);
        assertTrue(maxDiff <= 1e-9, "weights differ by " + maxDiff);
        List<EpochRecord> ha = HistoryCsv.read(dir.resolve("cluster/history.csv"));
        List<EpochRecord> hb = HistoryCsv.read(dir.resolve("local/history.csv"));
        assertEquals(hb.size(), ha.size());
        for (int e = 0; e < ha.size(); e++) {
            assertEquals(hb.get(e).trainLoss(), ha.get(e).trainLoss(), 1e-9 * hb.get(e).trainLoss(), "train loss, epoch " + (e + 1));
        }
    }
}
