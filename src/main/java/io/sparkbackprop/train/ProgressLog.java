package io.sparkbackprop.train;

import io.sparkbackprop.io.EpochRecord;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per epoch (every N epochs on long runs, always the first and last): epoch, train loss,
 * test loss, test accuracy (classifiers), rows/s, elapsed time and ETA.
 */
public final class ProgressLog implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);
    private final int every;

    /** @param every log every N epochs; 0 picks N so that about 50 lines cover the run */
    public ProgressLog(int every) {
        this.every = every;
    }

    @Override
    public void onEpoch(EpochRecord r, int totalEpochs, double rowsSeen) {
        int n = every > 0 ? every : Math.max(1, (totalEpochs + 49) / 50);
        if (r.epoch() % n != 0 && r.epoch() != 1 && r.epoch() != totalEpochs) return;
        LOG.info(line(r, totalEpochs, rowsSeen));
    }

    static String line(EpochRecord r, int totalEpochs, double rowsSeen) {
        double eta = r.seconds() / r.epoch() * (totalEpochs - r.epoch());
        String width = String.valueOf(totalEpochs);
        String accuracy = r.hasTestAccuracy() ? String.format(Locale.ROOT, "  test accuracy %.4f", r.testAccuracy()) : "";
        return String.format(Locale.ROOT, "epoch %" + width.length() + "d/%s  train loss %.6g  test loss %s%s  %,.0f rows/s  elapsed %s  ETA %s",
                r.epoch(), width, r.trainLoss(), Double.isNaN(r.testLoss()) ? "-" : String.format(Locale.ROOT, "%.6g", r.testLoss()),
                accuracy, rowsSeen / Math.max(1e-9, r.seconds()), clock(r.seconds()), clock(eta));
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
