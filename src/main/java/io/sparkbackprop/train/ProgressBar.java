package io.sparkbackprop.train;

import io.sparkbackprop.io.EpochRecord;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A live {@code [=====>    ]  37%} bar of the whole run's steps, redrawn in place on a terminal (at most ten
 * times a second) and wiped before each epoch's log line, so the two never garble each other. Off when the
 * output is not a terminal — a file or a pipe gets the plain per-epoch lines only.
 */
public final class ProgressBar implements TrainingListener {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private int totalEpochs;
    private int stepsPerEpoch;
    private long lastDraw;
    private int drawnLength;

    public ProgressBar(PrintStream out) {
        this.out = out;
    }

    /** A bar on standard error when it is a terminal, else a listener that does nothing. */
    public static TrainingListener onTerminal() {
        return stderrIsTerminal() ? new ProgressBar(System.err) : TrainingListener.NONE;
    }

    /**
     * Java only tells whether stdin and stdout are terminals (System.console()); the bar goes to stderr, which
     * may be redirected on its own (2> train.log), so Linux's view of file descriptor 2 decides where there is one.
     */
    static boolean stderrIsTerminal() {
        if (System.console() == null || "dumb".equals(System.getenv("TERM"))) return false;
        Path fd2 = Path.of("/proc/self/fd/2");
        if (!Files.exists(fd2)) return true;
        try {
            String target = Files.readSymbolicLink(fd2).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void onStart(int epochsDone, int totalEpochs, int stepsPerEpoch) {
        this.totalEpochs = totalEpochs;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    @Override
    public void onStep(int epoch, int step, double lossSum, double rows) {
        long now = System.nanoTime();
        boolean lastOfEpoch = step == stepsPerEpoch - 1;
        if (now - lastDraw < REDRAW_NANOS && !lastOfEpoch) return;
        lastDraw = now;
        long done = (long) (epoch - 1) * stepsPerEpoch + step + 1;
        String line = render(done / (double) ((long) totalEpochs * stepsPerEpoch), WIDTH)
                + String.format(Locale.ROOT, "  epoch %d/%d  step %d/%d", epoch, totalEpochs, step + 1, stepsPerEpoch);
        out.print("\r" + line + " ".repeat(Math.max(0, drawnLength - line.length())));
        out.flush();
        drawnLength = line.length();
    }

    @Override
    public void onEpoch(EpochRecord record, int totalEpochs, double rowsSeen) {
        clear();
    }

    private void clear() {
        if (drawnLength == 0) return;
        out.print("\r" + " ".repeat(drawnLength) + "\r");
        out.flush();
        drawnLength = 0;
    }

    /** "[=====>    ]  37%" for a fraction in [0, 1]: '=' for the part done, '>' at its head. */
    static String render(double fraction, int width) {
        double f = Math.max(0, Math.min(1, fraction));
        int filled = (int) Math.floor(f * width);
        StringBuilder sb = new StringBuilder(width + 7).append('[');
        for (int i = 0; i < width; i++) {
            sb.append(i < filled ? '=' : i == filled && filled < width && f > 0 ? '>' : ' ');
        }
        return sb.append(']').append(String.format(Locale.ROOT, " %3d%%", (int) Math.floor(f * 100))).toString();
    }
}
