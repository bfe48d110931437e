package io.sparkbackprop.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Loss curves as PNG pictures (XChart): train and test loss per epoch of one run ({@code loss.png}), or of
 * several runs overlaid ({@code submit.sh plot}). The y axis is logarithmic when the losses span at least a
 * decade and are all positive, where a linear axis would flatten everything after the first epochs.
 */
public final class LossPlot {
    /** Train loss in blue, test loss in orange: the colours tests look for. */
    public static final Color TRAIN = new Color(0x1F77B4);
    public static final Color TEST = new Color(0xFF7F0E);
    /** Runs of an overlay take these in turn; train dashed, test solid. */
    private static final Color[] PALETTE = {TRAIN, TEST, new Color(0x2CA02C), new Color(0xD62728), new Color(0x9467BD),
        new Color(0x8C564B), new Color(0xE377C2), new Color(0x7F7F7F), new Color(0xBCBD22), new Color(0x17BECF)};
    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;

    static {
        // Drivers run on servers without a display; Java2D draws into images all the same.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private LossPlot() {
    }

    /** One run's curves, or several runs' overlaid. */
    public record Run(String name, List<EpochRecord> history) {
    }

    /** Writes one run's train and test loss per epoch. */
    public static void write(List<EpochRecord> history, String title, Path png) throws IOException {
        XYChart chart = chart(title);
        List<Double> all = new ArrayList<>();
        add(chart, "train loss", history, false, TRAIN, false, all);
        add(chart, "test loss", history, true, TEST, false, all);
        save(chart, all, png);
    }

    /** Writes several runs' curves in one picture, a colour per run. */
    public static void overlay(List<Run> runs, String title, Path png) throws IOException {
        if (runs.isEmpty()) throw new IllegalArgumentException("no runs to plot");
        XYChart chart = chart(title);
        List<Double> all = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            Color c = PALETTE[i % PALETTE.length];
            add(chart, r.name() + " train", r.history(), false, c, true, all);
            add(chart, r.name() + " test", r.history(), true, c, false, all);
        }
        save(chart, all, png);
    }

    private static XYChart chart(String title) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("epoch").yAxisTitle("loss").build();
        XYStyler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xE0E0E0));
        return chart;
    }

    private static void add(XYChart chart, String name, List<EpochRecord> history, boolean test, Color color, boolean dashed,
                            List<Double> all) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (EpochRecord r : history) {
            double v = test ? r.testLoss() : r.trainLoss();
            if (!Double.isFinite(v)) continue; // not measured this epoch
            x.add((double) r.epoch());
            y.add(v);
        }
        if (x.isEmpty()) return; // e.g. no test set
        all.addAll(y);
        XYSeries series = chart.addSeries(name, x, y);
        series.setLineColor(color);
        series.setMarkerColor(color);
        // A single point has no line to show: mark it.
        series.setMarker(x.size() == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        series.setLineStyle(dashed ? new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 5f}, 0f)
                : new BasicStroke(2.5f));
    }

    /** Log scale when all values are positive and the largest is at least ten times the smallest. */
    static boolean logScale(List<Double> values) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double v : values) {
            if (!(v > 0)) return false;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return !values.isEmpty() && max >= 10 * min;
    }

    private static void save(XYChart chart, List<Double> all, Path png) throws IOException {
        chart.getStyler().setYAxisLogarithmic(logScale(all));
        if (all.isEmpty()) chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        // XChart appends ".png" when the name lacks it; give it the exact name.
        String name = png.toString();
        BitmapEncoder.saveBitmap(chart, name.endsWith(".png") ? name.substring(0, name.length() - 4) : name, BitmapEncoder.BitmapFormat.PNG);
        if (!name.endsWith(".png")) Files.move(Path.of(name + ".png"), png, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
