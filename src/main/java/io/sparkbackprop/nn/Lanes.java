package io.sparkbackprop.nn;

/**
 * The element-wise loops between the products (activations and their derivatives): plain loops here, the CPU's
 * vector lanes in {@link VectorLanes} when the JVM has {@code jdk.incubator.vector} (Spark's launcher adds it to
 * every driver and executor). They matter once the BLAS is fast: {@code Math.exp} costs ~6 ns a value, so a
 * sigmoid took a tenth of a 784-128-10 chunk's time beside OpenBLAS's dgemm; in vector lanes it costs under 1 ns.
 * <p>
 * The sigmoid's exponential is {@link #exp}, written here with additions and multiplications only, and the
 * vector lanes run the very same steps: so both kinds give the same bits, and so does the vector code before and
 * after the JIT compiles it (the vector API's own lane-wise {@code EXP} calls a different exp once compiled, and a
 * model's last bits then depended on when that happened). Tanh stays {@code Math.tanh} in both.
 */
public class Lanes {
    /** The lanes this JVM runs. */
    static final Lanes CPU = choose();

    /** What {@link #CPU} is, for the logs: "vector lanes (512-bit)", or "plain loops (why)". */
    public static String inUse() {
        return CPU.describe();
    }

    /** The property that turns the vector lanes off: {@value}. */
    static final String PROPERTY = "spark.backprop.vectorLanes";

    private final String why;

    Lanes(String why) {
        this.why = why;
    }

    /** a = 1/(1 + e^−z) over len values; exactly 0 below z = −708 (where it is under 1e-307). */
    void sigmoid(double[] z, double[] a, int len) {
        for (int i = 0; i < len; i++) a[i] = sigmoid(z[i]);
    }

    void tanh(double[] z, double[] a, int len) {
        for (int i = 0; i < len; i++) a[i] = Math.tanh(z[i]);
    }

    /** a = z where z > 0, else 0 (also for NaN, as the reference's {@code z > 0 ? z : 0}). */
    void relu(double[] z, double[] a, int len) {
        for (int i = 0; i < len; i++) a[i] = z[i] > 0 ? z[i] : 0.0;
    }

    /** delta = 0 where z is not > 0 (relu'(0) = 0). */
    void reluDerivative(double[] z, double[] delta, int len) {
        for (int i = 0; i < len; i++) if (!(z[i] > 0)) delta[i] = 0.0;
    }

    void sigmoid(float[] z, float[] a, int len) {
        for (int i = 0; i < len; i++) a[i] = sigmoid(z[i]);
    }

    void tanh(float[] z, float[] a, int len) {
        for (int i = 0; i < len; i++) a[i] = (float) Math.tanh(z[i]);
    }

    void relu(float[] z, float[] a, int len) {
        for (int i = 0; i < len; i++) a[i] = z[i] > 0 ? z[i] : 0f;
    }

    void reluDerivative(float[] z, float[] delta, int len) {
        for (int i = 0; i < len; i++) if (!(z[i] > 0)) delta[i] = 0f;
    }

    /** "vector lanes (512-bit)" or "plain loops (…why…)", for the logs. */
    String describe() {
        return "plain loops (" + why + ")";
    }

    static double sigmoid(double z) {
        return z < -EXP_LIMIT ? 0.0 : 1.0 / (1.0 + exp(-z));
    }

    static float sigmoid(float z) {
        return z < -EXP_LIMIT_F ? 0f : 1f / (1f + exp(-z));
    }

    // e^x = 2^k · e^r with k = round(x / ln 2) and |r| ≤ ln 2 / 2: r by Cody and Waite's two-part ln 2 (k·LN2_HI is
    // exact), e^r by its Taylor series to r^13 (error below 1e-17 on that interval), 2^k built in the exponent bits.
    // Adding 1.5·2^52 rounds x/ln 2 to the nearest integer k and leaves k in the sum's low bits.
    static final double EXP_LIMIT = 708;
    static final double ROUNDER = 0x1.8p52;
    static final double LOG2_E = 1.4426950408889634;
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    static final double[] TAYLOR = taylor(13);
    static final float EXP_LIMIT_F = 87f;
    static final float ROUNDER_F = 0x1.8p23f;
    static final float LOG2_E_F = 1.442695f;
    static final float LN2_HI_F = 0.693359375f;
    static final float LN2_LO_F = -2.12194440e-4f;
    static final float[] TAYLOR_F = toFloat(taylor(7));

    /** e^x for x clamped to [−708, 708] (NaN stays NaN), with additions and multiplications only. */
    static double exp(double x) {
        double c = Math.max(-EXP_LIMIT, Math.min(EXP_LIMIT, x));
        double t = c * LOG2_E + ROUNDER;
        double k = t - ROUNDER;
        double r = (c - k * LN2_HI) - k * LN2_LO;
        double p = TAYLOR[TAYLOR.length - 1];
        for (int i = TAYLOR.length - 2; i >= 0; i--) p = p * r + TAYLOR[i];
        long kBits = Double.doubleToRawLongBits(t) - Double.doubleToRawLongBits(ROUNDER);
        return p * Double.longBitsToDouble((kBits + 1023) << 52);
    }

    /** e^x in float for x clamped to [−87, 87], the same steps as {@link #exp(double)}. */
    static float exp(float x) {
        float c = Math.max(-EXP_LIMIT_F, Math.min(EXP_LIMIT_F, x));
        float t = c * LOG2_E_F + ROUNDER_F;
        float k = t - ROUNDER_F;
        float r = (c - k * LN2_HI_F) - k * LN2_LO_F;
        float p = TAYLOR_F[TAYLOR_F.length - 1];
        for (int i = TAYLOR_F.length - 2; i >= 0; i--) p = p * r + TAYLOR_F[i];
        int kBits = Float.floatToRawIntBits(t) - Float.floatToRawIntBits(ROUNDER_F);
        return p * Float.intBitsToFloat((kBits + 127) << 23);
    }

    /** 1/i! for i = 0…degree. */
    private static double[] taylor(int degree) {
        double[] c = new double[degree + 1];
        c[0] = 1;
        for (int i = 1; i <= degree; i++) c[i] = c[i - 1] / i;
        return c;
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    private static Lanes choose() {
        if ("false".equals(System.getProperty(PROPERTY))) return new Lanes("turned off by -D" + PROPERTY + "=false");
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return new Lanes("the JVM runs without --add-modules=jdk.incubator.vector");
        }
        try {
            // Loaded by name, so that a JVM without the module never links the class that uses it.
            return (Lanes) Class.forName("io.sparkbackprop.nn.VectorLanes").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return new Lanes("the vector API did not load: " + e);
        }
    }
}
