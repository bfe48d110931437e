package io.sparkbackprop.cli;

import io.sparkbackprop.io.EpochRecord;
import io.sparkbackprop.io.HistoryCsv;
import io.sparkbackprop.io.HistoryJson;
import io.sparkbackprop.io.InputColumns;
import io.sparkbackprop.io.LossPlot;
import io.sparkbackprop.io.ModelJson;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.train.TrainingResult;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The files a training run leaves in its --output directory: model.json, history.csv, history.json and loss.png. */
final class RunOutputs {
    private RunOutputs() {
    }

    /** @param columns the named input columns trained on (model.json's input_columns), or null when they have no names */
    static void write(Path dir, Network trained, InputColumns columns, TrainingResult result, Map<String, String> settings, Instant started,
                      double totalSeconds, String title) throws IOException {
        List<EpochRecord> history = result.history();
        ModelJson.write(trained, columns, dir.resolve("model.json"));
        HistoryCsv.write(history, dir.resolve("history.csv"));
        EpochRecord last = history.isEmpty() ? null : history.get(history.size() - 1);
        double trainingSeconds = last == null ? 0 : last.seconds();
        // Training rows per second over the whole run: every epoch visits each training row once.
        double trainRows = settings.containsKey("rows") ? Double.parseDouble(settings.get("rows")) : Double.NaN;
        HistoryJson.write(new HistoryJson.Run(settings, started.toString(), trainingSeconds, totalSeconds, result.steps(),
                trainRows * history.size() / Math.max(1e-9, trainingSeconds), result.bestEpoch()), history, dir.resolve("history.json"));
        LossPlot.write(history, title, dir.resolve("loss.png"));
    }
}
