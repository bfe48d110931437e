package io.sparkbackprop.nn;

import dev.ludovic.netlib.blas.BLAS;

/** The JVM's one BLAS (netlib picks native OpenBLAS, the Vector API or plain Java on first use) and the conversions around sgemm. */
public final class Blas {
    static final BLAS BLAS = choose();

    private static BLAS choose() {
        BundledOpenBlas.install();
        return dev.ludovic.netlib.blas.BLAS.getInstance();
    }

    private Blas() {
    }

    /**
     * Makes this JVM's BLAS choice now. netlib picks one BLAS per JVM on first use, so whoever calls it first decides for
     * Spark ML and Breeze as well; entry points call this before anything else can, so the bundled OpenBLAS is the one.
     */
    public static void chooseFirst() {
        name();
    }

    /** The BLAS implementation in use: JNIBLAS (native), VectorBLAS or Java*BLAS. */
    public static String name() {
        return BLAS.getClass().getSimpleName();
    }

    /** Whether the bundled OpenBLAS was put in front of netlib, and from where (or why not). */
    public static String bundled() {
        // Calling this initialises the class, and with it the choice.
        return BundledOpenBlas.outcome;
    }

    /**
     * dgemm's GFLOP/s on 256² matrices in this thread: the best round of those that fit in about 40 ms (34 MFLOP a
     * round): a start-up probe of the BLAS in use. A Java BLAS reads low here, before the JIT has compiled it.
     */
    public static double gflops() {
        BLAS b = BLAS;
        int n = 256;
        double[] x = new double[n * n];
        double[] y = new double[n * n];
        double[] z = new double[n * n];
        java.util.Arrays.fill(x, 0.5);
        java.util.Arrays.fill(y, 0.25);
        double best = Double.MAX_VALUE;
        long start = System.nanoTime();
        for (int r = 0; r < 200 && (r < 3 || System.nanoTime() - start < 40_000_000L); r++) {
            long t0 = System.nanoTime();
            b.dgemm("N", "N", n, n, n, 1.0, x, n, y, n, 0.0, z, n);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    static void toFloat(double[] from, int fromOff, float[] to, int toOff, int len) {
        for (int i = 0; i < len; i++) to[toOff + i] = (float) from[fromOff + i];
    }

    /** to[toOff…] += from[fromOff…], len values. */
    static void addInto(float[] from, int fromOff, double[] to, int toOff, int len) {
        for (int i = 0; i < len; i++) to[toOff + i] += from[fromOff + i];
    }
}
