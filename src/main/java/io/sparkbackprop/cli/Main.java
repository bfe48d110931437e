package io.sparkbackprop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command-line entry point that submit.sh runs through spark-submit. */
@Command(name = "spark-backprop", mixinStandardHelpOptions = true, version = "spark-backprop 0.1.0",
        description = "Dense neural networks trained by back-propagation, data-parallel on Apache Spark.",
        subcommands = {TrainCommand.class, PredictCommand.class, EvaluateCommand.class, PlotCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command and returns its exit code; errors a user can fix are printed without a stack trace. */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)}, printing to the given writers. */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String message = UserErrors.describe(e);
            if (message == null) throw e;
            cmd.getErr().println("error: " + message);
            return 2;
        });
        try {
            JobFile.install(cli, args);
        } catch (IllegalArgumentException e) {
            cli.getErr().println("error: " + e.getMessage());
            return 2;
        }
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
