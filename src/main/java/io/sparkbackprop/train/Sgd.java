package io.sparkbackprop.train;

/** Plain gradient descent, w −= lr·g: the reference network's update. */
public final class Sgd implements Optimizer {
    private final double learningRate;
    private long steps;

    public Sgd(double learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public void step(double[] w, double[] g, double lr) {
        for (int i = 0; i < w.length; i++) w[i] -= lr * g[i];
        steps++;
    }

    @Override
    public void step(double[] w, double[] g, double lr, int[] indices) {
        for (int i : indices) w[i] -= lr * g[i];
        steps++;
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public OptimizerState state() {
        return new OptimizerState("sgd", steps, new double[0][]);
    }

    @Override
    public void restore(OptimizerState s) {
        steps = s.restoreInto("sgd");
    }
}
