package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Both kinds of lanes against the functions written with java.lang.Math, one value at a time. */
class LanesTest {
    /** Not a multiple of any vector length, so the tails run too; with the special values at both ends. */
    private static final int LEN = 1000 + 13;

    private static List<Lanes> bothKinds() {
        return List.of(Lanes.CPU, plain());
    }

    private static Lanes plain() {
        return new Lanes("the test's second kind");
    }

    private static double[] inputs() {
        SplittableRandom rng = new SplittableRandom(7);
        double[] z = new double[LEN];
        for (int i = 0; i < LEN; i++) z[i] = (rng.nextDouble() - 0.5) * (i % 3 == 0 ? 80 : 8);
        double[] special = {0.0, -0.0, 1e-300, -1e-300, 30, -30, 87.5, -87.5, 707.9, -707.9, 709, -709, 745, -745, 1e6, -1e6,
                Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
        System.arraycopy(special, 0, z, 0, special.length);
        System.arraycopy(special, 0, z, LEN - special.length, special.length);
        return z;
    }

    private static float[] inFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    @Test
    void theTestJvmRunsTheVectorLanes() {
        // surefire's argLine carries Spark's launcher flags, --add-modules=jdk.incubator.vector among them.
        assertTrue(Lanes.CPU.describe().startsWith("vector lanes ("), Lanes.CPU.describe());
    }

    @Test
    void theExponentialIsWithinTwoUlpsOfMathExpOnItsRange() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 200_000; i++) {
            double x = (rng.nextDouble() * 2 - 1) * (i % 2 == 0 ? 708 : 3);
            double expected = Math.exp(x);
            assertEquals(expected, Lanes.exp(x), 2 * Math.ulp(expected), "exp(" + x + ")");
            float xf = (float) ((rng.nextDouble() * 2 - 1) * (i % 2 == 0 ? 87 : 3));
            float expectedF = (float) Math.exp(xf);
            assertEquals(expectedF, Lanes.exp(xf), 2 * Math.ulp(expectedF), "float exp(" + xf + ")");
        }
        assertTrue(Double.isNaN(Lanes.exp(Double.NaN)));
        assertEquals(Math.exp(708), Lanes.exp(1e9), 2 * Math.ulp(Math.exp(708)), "clamped above");
    }

    @Test
    void doubleActivationsMatchTheirFormulas() {
        double[] z = inputs();
        for (Lanes lanes : bothKinds()) {
            double[] a = new double[LEN];
            lanes.sigmoid(z, a, LEN);
            // Below z = −708 the sigmoid is exactly 0 (its true value is under 3.3e-308).
            for (int i = 0; i < LEN; i++) assertClose(1.0 / (1.0 + Math.exp(-z[i])), a[i], 1e-15, 3.3e-308, lanes, "sigmoid", z[i]);
            lanes.tanh(z, a, LEN);
            for (int i = 0; i < LEN; i++) assertClose(Math.tanh(z[i]), a[i], 1e-15, 0, lanes, "tanh", z[i]);
            lanes.relu(z, a, LEN);
            for (int i = 0; i < LEN; i++) assertEquals(z[i] > 0 ? z[i] : 0.0, a[i], 0.0, lanes.describe() + " relu of " + z[i]);
            double[] delta = new double[LEN];
            java.util.Arrays.fill(delta, 3.5);
            lanes.reluDerivative(z, delta, LEN);
            for (int i = 0; i < LEN; i++) assertEquals(z[i] > 0 ? 3.5 : 0.0, delta[i], 0.0, lanes.describe() + " relu' at " + z[i]);
        }
    }

    @Test
    void floatActivationsMatchTheirFormulasInFloat() {
        float[] z = inFloat(inputs());
        for (Lanes lanes : bothKinds()) {
            float[] a = new float[LEN];
            lanes.sigmoid(z, a, LEN);
            // Below z = −87 the float sigmoid is exactly 0 (its true value is under 1.7e-38).
            for (int i = 0; i < LEN; i++) assertClose((float) (1.0 / (1.0 + Math.exp(-z[i]))), a[i], 3e-7, 1.7e-38, lanes, "float sigmoid", z[i]);
            lanes.tanh(z, a, LEN);
            for (int i = 0; i < LEN; i++) assertClose((float) Math.tanh(z[i]), a[i], 3e-7, 0, lanes, "float tanh", z[i]);
            lanes.relu(z, a, LEN);
            for (int i = 0; i < LEN; i++) assertEquals(z[i] > 0 ? z[i] : 0f, a[i], 0f, lanes.describe() + " relu of " + z[i]);
            float[] delta = new float[LEN];
            java.util.Arrays.fill(delta, -2f);
            lanes.reluDerivative(z, delta, LEN);
            for (int i = 0; i < LEN; i++) assertEquals(z[i] > 0 ? -2f : 0f, delta[i], 0f, lanes.describe() + " relu' at " + z[i]);
        }
    }

    /** What keeps a model's bits independent of the JVM's lanes and of when the JIT compiled the vector code. */
    @Test
    void vectorAndPlainLanesGiveTheSameBits() {
        double[] z = inputs();
        double[] a = new double[LEN];
        double[] b = new double[LEN];
        Lanes.CPU.sigmoid(z, a, LEN);
        plain().sigmoid(z, b, LEN);
        assertArrayEquals(b, a);
        float[] zf = inFloat(z);
        float[] af = new float[LEN];
        float[] bf = new float[LEN];
        Lanes.CPU.sigmoid(zf, af, LEN);
        plain().sigmoid(zf, bf, LEN);
        assertArrayEquals(bf, af);
    }

    @Test
    void onlyLenValuesAreWritten() {
        double[] z = inputs();
        double[] a = new double[LEN];
        java.util.Arrays.fill(a, 42);
        Lanes.CPU.sigmoid(z, a, 21);
        for (int i = 21; i < LEN; i++) assertEquals(42, a[i], 0.0);
    }

    /** |actual − expected| ≤ rel·|expected| + abs; NaN only for NaN, infinities exactly. */
    private static void assertClose(double expected, double actual, double rel, double abs, Lanes lanes, String what, double at) {
        String msg = lanes.describe() + " " + what + " at " + at;
        if (Double.isNaN(expected) || Double.isInfinite(expected)) {
            assertEquals(expected, actual, 0.0, msg);
            return;
        }
        assertEquals(expected, actual, rel * Math.abs(expected) + abs, msg);
    }
}
