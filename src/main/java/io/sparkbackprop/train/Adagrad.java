package io.sparkbackprop.train;

/**
 * Adagrad (Duchi, Hazan and Singer, 2011): each weight's step shrinks with the sum of its squared gradients,
 * G ← G + g², w −= lr · g / (√G + ε), with G in the weights' flat layout.
 */
public final class Adagrad implements Optimizer {
    private final double learningRate;
    private final double epsilon;
    private final double[] sumSquares;
    private long steps;

    public Adagrad(int numParams, double learningRate, double epsilon) {
        this.learningRate = learningRate;
        this.epsilon = epsilon;
        this.sumSquares = new double[numParams];
    }

    /** ε 1e-10. */
    public Adagrad(int numParams, double learningRate) {
        this(numParams, learningRate, 1e-10);
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
        sumSquares[i] += g[i] * g[i];
        w[i] -= lr * g[i] / (Math.sqrt(sumSquares[i]) + epsilon);
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public OptimizerState state() {
        return new OptimizerState("adagrad", steps, new double[][] {sumSquares});
    }

    @Override
    public void restore(OptimizerState s) {
        steps = s.restoreInto("adagrad", sumSquares);
    }
}
