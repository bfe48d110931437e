package io.sparkbackprop.train;

/**
 * RMSprop (Tieleman and Hinton, 2012): a running mean of squared gradients scales each weight's step,
 * s ← ρ s + (1−ρ) g², w −= lr · g / (√s + ε), with s in the weights' flat layout.
 */
public final class RmsProp implements Optimizer {
    private final double learningRate;
    private final double rho;
    private final double epsilon;
    private final double[] meanSquare;
    private long steps;

    public RmsProp(int numParams, double learningRate, double rho, double epsilon) {
        this.learningRate = learningRate;
        this.rho = rho;
        this.epsilon = epsilon;
        this.meanSquare = new double[numParams];
    }

    /** ρ 0.9, ε 1e-8. */
    public RmsProp(int numParams, double learningRate) {
        this(numParams, learningRate, 0.9, 1e-8);
    }

    @Override
    public void step(double[] w, double[] g, double lr) {
        for (int i = 0; i < w.length; i++) update(i, w, g, lr);
        steps++;
    }

    @Override
    public void step(double[] w, double[] g, double lr, int[] indices) {
        for (int i : indices) update(i, w, g, lr);
        steps++;
    }

    private void update(int i, double[] w, double[] g, double lr) {
        meanSquare[i] = rho * meanSquare[i] + (1 - rho) * g[i] * g[i];
        w[i] -= lr * g[i] / (Math.sqrt(meanSquare[i]) + epsilon);
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public OptimizerState state() {
        return new OptimizerState("rmsprop", steps, new double[][] {meanSquare});
    }

    @Override
    public void restore(OptimizerState s) {
        steps = s.restoreInto("rmsprop", meanSquare);
    }
}
