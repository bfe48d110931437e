package io.sparkbackprop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The optional PyTorch baseline: runs the bench jar's {@code pytorch_baseline.py} in a Python that has torch
 * ({@value #PYTHON_VARIABLE}, else {@code python3}) and reads back its median seconds per iteration or step. Where
 * there is no such Python the bench reports the PyTorch figures as not measured and says how to install it.
 */
final class PyTorch {
    static final String PYTHON_VARIABLE = "SPARK_BACKPROP_PYTHON";
    private static final String SCRIPT = "pytorch_baseline.py";
    private static final long TIMEOUT_MINUTES = 10;

    /** Seconds per iteration or step, or NaN with the reason. */
    record Timing(double seconds, String version, String error) {
        boolean measured() {
            return Double.isFinite(seconds);
        }
    }

    /** The same network and work as one of our runs: full batch when batch is 0. */
    record Work(int[] layers, String activation, String dtype, int rows, int batch, String optimizer, double learningRate, int threads,
                int steps, int turns, long seed) {
        List<String> arguments() {
            List<String> a = new ArrayList<>();
            StringBuilder sizes = new StringBuilder();
            for (int l : layers) sizes.append(sizes.length() == 0 ? "" : ",").append(l);
            a.addAll(List.of("--layers", sizes.toString(), "--activation", activation, "--dtype", dtype, "--rows", Integer.toString(rows),
                    "--batch", Integer.toString(batch), "--optimizer", optimizer, "--lr", Double.toString(learningRate), "--threads",
                    Integer.toString(threads), "--steps", Integer.toString(steps), "--turns", Integer.toString(turns), "--seed",
                    Long.toString(seed)));
            return a;
        }
    }

    private PyTorch() {
    }

    static String python() {
        String p = System.getenv(PYTHON_VARIABLE);
        return p == null || p.isBlank() ? "python3" : p;
    }

    /** Whether torch imports (a second at most), with the reason when not. */
    static Timing probe() {
        return probe(python());
    }

    static Timing probe(String python) {
        return run(python, List.of("-c", "import json, torch; print(json.dumps({'seconds': 0.0, 'torch': torch.__version__}))"), 1);
    }

    static Timing time(Work work) {
        Path script = null;
        try {
            script = Files.createTempFile("spark-backprop-pytorch", ".py");
            try (InputStream in = PyTorch.class.getResourceAsStream(SCRIPT)) {
                if (in == null) return failed("the bench jar has no " + SCRIPT);
                Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            List<String> args = new ArrayList<>(List.of(script.toString()));
            args.addAll(work.arguments());
            return run(python(), args, work.threads());
        } catch (IOException e) {
            return failed("could not write the PyTorch script: " + e.getMessage());
        } finally {
            if (script != null) script.toFile().delete();
        }
    }

    private static Timing run(String python, List<String> args, int threads) {
        List<String> command = new ArrayList<>(List.of(python));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        // One BLAS thread per torch thread, as ours; torch.set_num_threads sets the rest.
        pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
        try {
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return failed("PyTorch took over " + TIMEOUT_MINUTES + " minutes");
            }
            String text = new String(out, StandardCharsets.UTF_8).trim();
            String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1);
            JsonNode json;
            try {
                json = new ObjectMapper().readTree(last);
            } catch (IOException e) {
                json = null;
            }
            if (json != null && json.has("error")) return failed(json.get("error").asText());
            if (p.exitValue() != 0 || json == null || !json.has("seconds")) {
                return failed(String.format(Locale.ROOT, "%s exited with %d: %s", python, p.exitValue(),
                        text.length() > 300 ? text.substring(text.length() - 300) : text));
            }
            return new Timing(json.get("seconds").asDouble(), json.path("torch").asText(""), null);
        } catch (IOException e) {
            return failed("no " + python + " to run PyTorch (" + e.getMessage() + "): install Python 3 and pip install torch, or set "
                    + PYTHON_VARIABLE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed("interrupted");
        }
    }

    private static Timing failed(String why) {
        String hint = why.contains("pip install torch") ? "" : "; PyTorch is an optional baseline: pip install torch";
        return new Timing(Double.NaN, "", why + hint);
    }
}
