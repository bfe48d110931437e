package io.sparkbackprop.train;

/**
 * Gradient descent with momentum, the velocity kept in the weights' flat layout. Heavy-ball:
 * v ← μ v + g, w −= lr·v. Nesterov (the look-ahead form that needs no second gradient): v ← μ v + g,
 * w −= lr·(g + μ v). The learning rate multiplies the velocity at each step instead of being folded into
 * it, so a schedule that lowers the rate slows the weights at once.
 */
public final class Momentum implements Optimizer {
    private final double learningRate;
    private final double momentum;
    private final boolean nesterov;
    private final double[] velocity;
    private long steps;

    public Momentum(int numParams, double learningRate, double momentum, boolean nesterov) {
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        this.learningRate = learningRate;
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.velocity = new double[numParams];
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
        velocity[i] = momentum * velocity[i] + g[i];
        w[i] -= lr * (nesterov ? g[i] + momentum * velocity[i] : velocity[i]);
    }

    @Override
    public double learningRate() {
        return learningRate;
    }

    private String name() {
        return nesterov ? "nesterov" : "momentum";
    }

    @Override
    public OptimizerState state() {
        return new OptimizerState(name(), steps, new double[][] {velocity});
    }

    @Override
    public void restore(OptimizerState s) {
        steps = s.restoreInto(name(), velocity);
    }
}
