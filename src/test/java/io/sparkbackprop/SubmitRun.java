package io.sparkbackprop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** ./submit.sh as a user runs it, without a Spark distribution (SparkSubmit from the Maven jars), for the ITs. */
final class SubmitRun {
    static final Path JAR = Path.of(System.getProperty("app.jar", "target/spark-backprop-0.1.0-SNAPSHOT.jar")).toAbsolutePath();
    static final Path JARS = Path.of(System.getProperty("spark.home.jars", "target/spark-home/jars")).toAbsolutePath();

    private SubmitRun() {
    }

    /** Starts submit.sh with the given arguments; its output goes to DIR/NAME.log. */
    static Process start(Path dir, String name, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", Path.of("submit.sh").toAbsolutePath().toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        // The jar `mvn package` just built: submit.sh must not start a build of its own inside this one.
        pb.environment().put("SPARK_BACKPROP_JAR", JAR.toString());
        return pb.start();
    }

    static List<String> with(List<String> a, String... b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(b));
        return all;
    }
}
