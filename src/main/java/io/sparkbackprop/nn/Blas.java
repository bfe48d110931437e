package io.sparkbackprop.nn;

import dev.ludovic.netlib.blas.BLAS;

/** The JVM's one BLAS (netlib picks native OpenBLAS, the Vector API or plain Java on first use) and the conversions around sgemm. */
public final class Blas {
    static final BLAS BLAS = dev.ludovic.netlib.blas.BLAS.getInstance();

    private Blas() {
    }

    /** The BLAS implementation in use: JNIBLAS (native), VectorBLAS or Java*BLAS. */
    public static String name() {
        return BLAS.getClass().getSimpleName();
    }

    static void toFloat(double[] from, int fromOff, float[] to, int toOff, int len) {
        for (int i = 0; i < len; i++) to[toOff + i] = (float) from[fromOff + i];
    }

    static void toDouble(float[] from, int fromOff, double[] to, int toOff, int len) {
        for (int i = 0; i < len; i++) to[toOff + i] = from[fromOff + i];
    }

    /** to[toOff…] += from[0…len). */
    static void addInto(float[] from, double[] to, int toOff, int len) {
        for (int i = 0; i < len; i++) to[toOff + i] += from[i];
    }
}
