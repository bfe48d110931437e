package io.sparkbackprop.train;

/** Plain gradient descent, w −= lr·g: the reference network's update. */
public final class Sgd implements Optimizer {
    private final double learningRate;
    private long steps;

    public Sgd(double learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public void step(double[] w, double[] g) {
        for (int i = 0; i < w.length; i++) w[i] -= learningRate * g[i];
        steps++;
    }

    @Override
    public OptimizerState state() {
        return new OptimizerState("sgd", steps, new double[0][]);
    }

    @Override
    public void restore(OptimizerState s) {
        if (!s.optimizer().equals("sgd")) throw new IllegalArgumentException("the saved optimizer state is " + s.optimizer() + "'s, not sgd's");
        steps = s.steps();
    }
}
