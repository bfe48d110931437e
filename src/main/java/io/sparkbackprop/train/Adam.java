package io.sparkbackprop.train;

/**
 * Adam (Kingma and Ba, 2015) with bias-corrected first and second moments kept in the weights' flat
 * layout: m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g², w −= lr · m̂ / (√v̂ + ε).
 * <p>
 * With a weight decay λ > 0 it is AdamW (Loshchilov and Hutter, 2019): the decay is applied to the weights
 * directly, w −= lr · (m̂ / (√v̂ + ε) + λ·w), instead of being added to the gradient, so it is not divided by
 * √v̂ and shrinks every decayed weight at the same relative rate whatever its gradient history.
 */
public final class Adam implements Optimizer {
    private final String name;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    /** Which weights decay (null: all); biases are usually left out. */
    private final boolean[] decayed;
    private final double[] m;
    private final double[] v;
    private long t;

    public Adam(int numParams, double learningRate, double beta1, double beta2, double epsilon) {
        this("adam", numParams, learningRate, beta1, beta2, epsilon, 0.0, null);
    }

    public Adam(int numParams, double learningRate) {
        this(numParams, learningRate, 0.9, 0.999, 1e-8);
    }

    private Adam(String name, int numParams, double learningRate, double beta1, double beta2, double epsilon,
                 double weightDecay, boolean[] decayed) {
        if (decayed != null && decayed.length != numParams) {
            throw new IllegalArgumentException("decay mask of " + decayed.length + " entries for " + numParams + " weights");
        }
        this.name = name;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.decayed = decayed == null ? null : decayed.clone();
        this.m = new double[numParams];
        this.v = new double[numParams];
    }

    /** AdamW with β1 0.9, β2 0.999, ε 1e-8 and decoupled weight decay λ on the weights the mask marks (null: all). */
    public static Adam adamW(int numParams, double learningRate, double weightDecay, boolean[] decayed) {
        return new Adam("adamw", numParams, learningRate, 0.9, 0.999, 1e-8, weightDecay, decayed);
    }

    @Override
    public void step(double[] w, double[] g, double lr) {
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < w.length; i++) update(i, w, g, lr, c1, c2);
    }

    /** Lazy: the bias corrections use the global step count, as PyTorch's SparseAdam does. */
    @Override
    public void step(double[] w, double[] g, double lr, int[] indices) {
        t++;
        double c1 = 1 - Math.pow(beta1, t);
        double c2 = 1 - Math.pow(beta2, t);
        for (int i : indices) update(i, w, g, lr, c1, c2);
    }

    private void update(int i, double[] w, double[] g, double lr, double c1, double c2) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        if (weightDecay != 0 && (decayed == null || decayed[i])) {
            // Decoupled: uses the weight before this step's update, as in the paper's algorithm.
            w[i] -= lr * ((m[i] / c1) / (Math.sqrt(v[i] / c2) + epsilon) + weightDecay * w[i]);
        } else {
            w[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + epsilon);
        }
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public OptimizerState state() {
        return new OptimizerState(name, t, new double[][] {m, v});
    }

    @Override
    public void restore(OptimizerState s) {
        t = s.restoreInto(name, m, v);
    }
}
