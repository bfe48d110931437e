package io.sparkbackprop.train;

/**
 * Adam (Kingma and Ba, 2015) with bias-corrected first and second moments kept in the weights' flat
 * layout: m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g², w −= lr · m̂ / (√v̂ + ε).
 */
public final class Adam implements Optimizer {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double[] m;
    private final double[] v;
    private long t;

    public Adam(int numParams, double learningRate, double beta1, double beta2, double epsilon) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.m = new double[numParams];
        this.v = new double[numParams];
    }

    public Adam(int numParams, double learningRate) {
        this(numParams, learningRate, 0.9, 0.999, 1e-8);
    }

    @Override
    public void step(double[] w, double[] g) {
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < w.length; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * g[i];
            v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
            w[i] -= learningRate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + epsilon);
        }
    }

    @Override
    public OptimizerState state() {
        return new OptimizerState("adam", t, new double[][] {m, v});
    }

    @Override
    public void restore(OptimizerState s) {
        s.requireShape("adam", 2, m.length);
        double[][] slots = s.slots();
        System.arraycopy(slots[0], 0, m, 0, m.length);
        System.arraycopy(slots[1], 0, v, 0, v.length);
        t = s.steps();
    }

    /** Updates taken so far. */
    public long steps() {
        return t;
    }
}
