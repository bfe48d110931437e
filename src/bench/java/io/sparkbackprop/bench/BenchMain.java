package io.sparkbackprop.bench;

import io.sparkbackprop.cli.UserErrors;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The bench jar's entry point: {@code ./submit.sh bench ...} runs it through spark-submit with the app jar
 * beside it. The bench is not a command of the library's {@code io.sparkbackprop.cli.Main}.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the bench and returns its exit code; errors a user can fix are printed without a stack trace (exit code 2). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)}, printing to the given writers. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new BenchCommand()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String message = UserErrors.describe(e);
            if (message == null) throw e;
            cmd.getErr().println("error: " + message);
            return 2;
        });
        return cli.execute(args);
    }
}
