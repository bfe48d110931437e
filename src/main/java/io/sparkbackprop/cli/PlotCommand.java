package io.sparkbackprop.cli;

import io.sparkbackprop.io.EpochRecord;
import io.sparkbackprop.io.HistoryCsv;
import io.sparkbackprop.io.HistoryJson;
import io.sparkbackprop.io.LossPlot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code plot DIR...}: several runs' train and test loss in one picture. Needs no Spark. */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Overlay the loss curves of several train runs (their --output directories) in one PNG.")
public final class PlotCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Run directories holding history.json or history.csv.")
    List<Path> runs;

    @Option(names = "--output", defaultValue = "loss-comparison.png", description = "The PNG to write. Default: ${DEFAULT-VALUE}")
    Path output;

    @Option(names = "--title", defaultValue = "loss per epoch (train dashed, test solid)", description = "Title of the picture.")
    String title;

    @Override
    public Integer call() throws Exception {
        List<LossPlot.Run> loaded = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Path dir : runs) {
            // Runs are named by their folder; two folders of one name (a/run, b/run) get a number.
            String base = dir.toAbsolutePath().normalize().getFileName().toString();
            String name = base;
            for (int n = 2; !names.add(name); n++) name = base + " #" + n;
            loaded.add(new LossPlot.Run(name, history(dir)));
        }
        LossPlot.overlay(loaded, title, output);
        System.out.println("wrote " + output.toAbsolutePath());
        return 0;
    }

    /** history.json when the run wrote one (it has every figure), else history.csv. */
    static List<EpochRecord> history(Path dir) throws java.io.IOException {
        if (Files.isRegularFile(dir.resolve("history.json"))) return HistoryJson.readEpochs(dir.resolve("history.json"));
        if (Files.isRegularFile(dir.resolve("history.csv"))) return HistoryCsv.read(dir.resolve("history.csv"));
        throw new IllegalArgumentException(dir + " has neither history.json nor history.csv: give the --output directory of a train run");
    }
}
