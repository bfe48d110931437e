package io.sparkbackprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossPlotTest {
    @TempDir
    Path dir;

    /** Losses falling from 5 to about 0.05 (two decades); the test loss measured every other epoch. */
    private static List<EpochRecord> history(double scale) {
        List<EpochRecord> h = new ArrayList<>();
        for (int e = 1; e <= 30; e++) {
            double train = scale * (0.05 + 5 * Math.exp(-e / 4.0));
            double test = e % 2 == 0 || e == 30 ? train * 1.3 : Double.NaN;
            h.add(new EpochRecord(e, train, test, e * 0.5));
        }
        return h;
    }

    /** Pixels within a small distance of a colour (anti-aliasing blends the edges of lines). */
    private static int pixelsNear(BufferedImage img, Color c) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                Color p = new Color(img.getRGB(x, y));
                int d = Math.abs(p.getRed() - c.getRed()) + Math.abs(p.getGreen() - c.getGreen()) + Math.abs(p.getBlue() - c.getBlue());
                if (d < 40) n++;
            }
        }
        return n;
    }

    @Test
    void lossPngIsARealPictureOfTwoCurves() throws IOException {
        Path png = dir.resolve("loss.png");
        LossPlot.write(history(1), "friedman", png);
        byte[] bytes = Files.readAllBytes(png);
        assertEquals((byte) 0x89, bytes[0]);
        assertEquals("PNG", new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII));
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "decodes as an image");
        assertTrue(img.getWidth() >= 600 && img.getHeight() >= 400, img.getWidth() + "×" + img.getHeight());
        // Not blank: many distinct colours, and long runs of each curve's colour (a curve over most of the width
        // is hundreds of pixels; the legend's sample lines alone are a few dozen).
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) for (int x = 0; x < img.getWidth(); x += 3) colours.add(img.getRGB(x, y));
        assertTrue(colours.size() > 20, colours.size() + " colours");
        int train = pixelsNear(img, LossPlot.TRAIN);
        int test = pixelsNear(img, LossPlot.TEST);
        assertTrue(train > 500, "train curve pixels: " + train);
        assertTrue(test > 500, "test curve pixels: " + test);
        // The curves span most of the plot's width.
        int minX = Integer.MAX_VALUE;
        int maxX = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if (img.getRGB(x, y) == LossPlot.TRAIN.getRGB()) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                }
            }
        }
        assertTrue(maxX - minX > img.getWidth() / 2, "train curve from x " + minX + " to " + maxX);
    }

    @Test
    void logScaleWhenTheLossesSpanADecade() {
        assertTrue(LossPlot.logScale(List.of(5.0, 1.0, 0.5)));
        assertFalse(LossPlot.logScale(List.of(5.0, 1.0, 0.51)));
        assertFalse(LossPlot.logScale(List.of(5.0, 0.0)), "zero has no logarithm");
        assertFalse(LossPlot.logScale(List.of()));
    }

    @Test
    void overlaysSeveralRunsAndPlotsARunWithoutTestLoss() throws IOException {
        Path png = dir.resolve("runs.png");
        LossPlot.overlay(List.of(new LossPlot.Run("a", history(1)), new LossPlot.Run("b", history(2)), new LossPlot.Run("c", history(0.5))),
                "three runs", png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertTrue(pixelsNear(img, LossPlot.TRAIN) > 300 && pixelsNear(img, LossPlot.TEST) > 300 && pixelsNear(img, new Color(0x2CA02C)) > 300);
        List<EpochRecord> trainOnly = new ArrayList<>();
        for (EpochRecord r : history(1)) trainOnly.add(new EpochRecord(r.epoch(), r.trainLoss(), Double.NaN, r.seconds()));
        Path single = dir.resolve("sub/dir/loss.png");
        LossPlot.write(trainOnly, "no test set", single);
        assertTrue(pixelsNear(ImageIO.read(single.toFile()), LossPlot.TRAIN) > 300);
    }
}
