package io.sparkbackprop.nn;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Lanes} on the vector API, in the CPU's widest lanes: the same steps as the plain loops, lane by lane, so
 * the same bits; the tail shorter than a vector runs the plain code. Only {@link Lanes#CPU} makes one, by name,
 * when the module is there. The exponential uses only operations that every x86-64 vector unit has (no
 * double-to-long conversion, which AVX2 lacks and the vector API would then run value by value).
 */
final class VectorLanes extends Lanes {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final long ROUNDER_BITS = Double.doubleToRawLongBits(ROUNDER);
    private static final int ROUNDER_BITS_F = Float.floatToRawIntBits(ROUNDER_F);

    VectorLanes() {
        super(null);
    }

    @Override
    void sigmoid(double[] z, double[] a, int len) {
        int i = 0;
        for (int end = D.loopBound(len); i < end; i += D.length()) {
            DoubleVector v = DoubleVector.fromArray(D, z, i);
            DoubleVector s = DoubleVector.broadcast(D, 1.0).div(exp(v.neg()).add(1.0));
            s.blend(0.0, v.compare(VectorOperators.LT, -EXP_LIMIT)).intoArray(a, i);
        }
        for (; i < len; i++) a[i] = sigmoid(z[i]);
    }

    private static DoubleVector exp(DoubleVector x) {
        DoubleVector c = x.max(-EXP_LIMIT).min(EXP_LIMIT);
        DoubleVector t = c.mul(LOG2_E).add(ROUNDER);
        DoubleVector k = t.sub(ROUNDER);
        DoubleVector r = c.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
        DoubleVector p = DoubleVector.broadcast(D, TAYLOR[TAYLOR.length - 1]);
        for (int j = TAYLOR.length - 2; j >= 0; j--) p = p.mul(r).add(TAYLOR[j]);
        DoubleVector scale = t.reinterpretAsLongs().sub(ROUNDER_BITS - 1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return p.mul(scale);
    }

    @Override
    void relu(double[] z, double[] a, int len) {
        int i = 0;
        DoubleVector zero = DoubleVector.zero(D);
        for (int end = D.loopBound(len); i < end; i += D.length()) {
            DoubleVector v = DoubleVector.fromArray(D, z, i);
            zero.blend(v, v.compare(VectorOperators.GT, 0.0)).intoArray(a, i);
        }
        for (; i < len; i++) a[i] = z[i] > 0 ? z[i] : 0.0;
    }

    @Override
    void reluDerivative(double[] z, double[] delta, int len) {
        int i = 0;
        for (int end = D.loopBound(len); i < end; i += D.length()) {
            VectorMask<Double> off = DoubleVector.fromArray(D, z, i).compare(VectorOperators.GT, 0.0).not();
            DoubleVector.fromArray(D, delta, i).blend(0.0, off).intoArray(delta, i);
        }
        for (; i < len; i++) if (!(z[i] > 0)) delta[i] = 0.0;
    }

    @Override
    void sigmoid(float[] z, float[] a, int len) {
        int i = 0;
        for (int end = F.loopBound(len); i < end; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, z, i);
            FloatVector s = FloatVector.broadcast(F, 1f).div(exp(v.neg()).add(1f));
            s.blend(0f, v.compare(VectorOperators.LT, -EXP_LIMIT_F)).intoArray(a, i);
        }
        for (; i < len; i++) a[i] = sigmoid(z[i]);
    }

    private static FloatVector exp(FloatVector x) {
        FloatVector c = x.max(-EXP_LIMIT_F).min(EXP_LIMIT_F);
        FloatVector t = c.mul(LOG2_E_F).add(ROUNDER_F);
        FloatVector k = t.sub(ROUNDER_F);
        FloatVector r = c.sub(k.mul(LN2_HI_F)).sub(k.mul(LN2_LO_F));
        FloatVector p = FloatVector.broadcast(F, TAYLOR_F[TAYLOR_F.length - 1]);
        for (int j = TAYLOR_F.length - 2; j >= 0; j--) p = p.mul(r).add(TAYLOR_F[j]);
        FloatVector scale = t.reinterpretAsInts().sub(ROUNDER_BITS_F - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale);
    }

    @Override
    void relu(float[] z, float[] a, int len) {
        int i = 0;
        FloatVector zero = FloatVector.zero(F);
        for (int end = F.loopBound(len); i < end; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, z, i);
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(a, i);
        }
        for (; i < len; i++) a[i] = z[i] > 0 ? z[i] : 0f;
    }

    @Override
    void reluDerivative(float[] z, float[] delta, int len) {
        int i = 0;
        for (int end = F.loopBound(len); i < end; i += F.length()) {
            VectorMask<Float> off = FloatVector.fromArray(F, z, i).compare(VectorOperators.GT, 0f).not();
            FloatVector.fromArray(F, delta, i).blend(0f, off).intoArray(delta, i);
        }
        for (; i < len; i++) if (!(z[i] > 0)) delta[i] = 0f;
    }

    @Override
    String describe() {
        return "vector lanes (" + D.vectorBitSize() + "-bit)";
    }
}
