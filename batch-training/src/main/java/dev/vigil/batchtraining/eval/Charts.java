package dev.vigil.batchtraining.eval;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The report's three pictures as PNG, drawn with Java2D (headless): precision-recall curves, the
 * score distribution of frauds and legitimate authorizations, and a calibration plot.
 */
public final class Charts {
    private static final int W = 560, H = 400, LEFT = 60, RIGHT = 20, TOP = 36, BOTTOM = 48;
    private static final Color[] SERIES = {new Color(0xC0392B), new Color(0x2471A3), new Color(0x7F8C8D)};

    private Charts() {
    }

    /** A named series of scores over the same holdout. */
    public record Series(String name, double[] scores) {
    }

    public static void precisionRecall(Path file, boolean[] fraud, List<Series> series) throws IOException {
        Canvas c = new Canvas("Precision-recall on the holdout", "recall", "precision", 0, 1, 0, 1, false);
        for (int s = 0; s < series.size(); s++) {
            double[] scores = series.get(s).scores();
            Integer[] order = Metrics.byScoreDescending(scores);
            long positives = 0;
            for (boolean f : fraud) {
                positives += f ? 1 : 0;
            }
            if (positives == 0) {
                continue;
            }
            double[] xs = new double[order.length], ys = new double[order.length];
            long tp = 0;
            for (int k = 0; k < order.length; k++) {
                tp += fraud[order[k]] ? 1 : 0;
                xs[k] = (double) tp / positives;
                ys[k] = (double) tp / (k + 1);
            }
            c.line(xs, ys, SERIES[s % SERIES.length], series.get(s).name());
        }
        c.write(file);
    }

    public static void scoreDistribution(Path file, boolean[] fraud, double[] scores) throws IOException {
        int bins = 40;
        double[] legit = new double[bins], frauds = new double[bins];
        long nLegit = 0, nFraud = 0;
        for (int i = 0; i < scores.length; i++) {
            int b = Math.min(bins - 1, (int) (scores[i] * bins));
            if (fraud[i]) {
                frauds[b]++;
                nFraud++;
            } else {
                legit[b]++;
                nLegit++;
            }
        }
        double[] xs = new double[bins];
        for (int b = 0; b < bins; b++) {
            xs[b] = (b + 0.5) / bins;
            legit[b] = Math.log10(Math.max(legit[b] / Math.max(1, nLegit), 1e-6));
            frauds[b] = Math.log10(Math.max(frauds[b] / Math.max(1, nFraud), 1e-6));
        }
        Canvas c = new Canvas("Score distribution (share per bin, log10)", "score", "log10 share", 0, 1, -6, 0, false);
        c.line(xs, legit, SERIES[1], "legitimate (" + nLegit + ")");
        c.line(xs, frauds, SERIES[0], "fraud (" + nFraud + ")");
        c.write(file);
    }

    public static void calibration(Path file, boolean[] fraud, double[] scores) throws IOException {
        int bins = 10;
        double[] sum = new double[bins], hits = new double[bins], n = new double[bins];
        for (int i = 0; i < scores.length; i++) {
            int b = Math.min(bins - 1, (int) (scores[i] * bins));
            sum[b] += scores[i];
            hits[b] += fraud[i] ? 1 : 0;
            n[b]++;
        }
        int used = 0;
        double[] xs = new double[bins], ys = new double[bins];
        for (int b = 0; b < bins; b++) {
            if (n[b] > 0) {
                xs[used] = sum[b] / n[b];
                ys[used] = hits[b] / n[b];
                used++;
            }
        }
        Canvas c = new Canvas("Calibration (10 score bins)", "mean score", "observed fraud rate", 0, 1, 0, 1, true);
        c.line(Arrays.copyOf(xs, used), Arrays.copyOf(ys, used), SERIES[0], "model");
        c.write(file);
    }

    private static final class Canvas {
        private final BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        private final Graphics2D g = image.createGraphics();
        private final double x0, x1, y0, y1;
        private int legendRow;

        Canvas(String title, String xLabel, String yLabel, double x0, double x1, double y0, double y1, boolean diagonal) {
            this.x0 = x0;
            this.x1 = x1;
            this.y0 = y0;
            this.y1 = y1;
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, W, H);
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, LEFT, 22);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
            for (int i = 0; i <= 4; i++) {
                double fx = x0 + (x1 - x0) * i / 4, fy = y0 + (y1 - y0) * i / 4;
                g.drawString(String.format(Locale.ROOT, "%.2f", fx), px(fx) - 12, H - BOTTOM + 16);
                g.drawString(String.format(Locale.ROOT, "%.1f", fy), 18, py(fy) + 4);
            }
            g.drawString(xLabel, W / 2 - 30, H - 12);
            g.drawString(yLabel, 4, TOP - 6);
            if (diagonal) {
                g.setColor(Color.LIGHT_GRAY);
                g.drawLine(px(x0), py(y0), px(x1), py(y1));
            }
        }

        int px(double x) {
            return LEFT + (int) Math.round((x - x0) / (x1 - x0) * (W - LEFT - RIGHT));
        }

        int py(double y) {
            return H - BOTTOM - (int) Math.round((y - y0) / (y1 - y0) * (H - TOP - BOTTOM));
        }

        void line(double[] xs, double[] ys, Color color, String name) {
            g.setColor(color);
            g.setStroke(new BasicStroke(2f));
            int step = Math.max(1, xs.length / 2000);
            for (int i = step; i < xs.length; i += step) {
                g.drawLine(px(xs[i - step]), py(ys[i - step]), px(xs[i]), py(ys[i]));
            }
            g.drawString(name, W - RIGHT - 190, TOP + 16 + 14 * legendRow++);
        }

        void write(Path file) throws IOException {
            g.dispose();
            ImageIO.write(image, "png", file.toFile());
        }
    }
}
