package io.sparkbackprop.train;

/** Plain gradient descent, w −= lr·g: the reference network's update. */
public final class Sgd implements Optimizer {
    private final double learningRate;

    public Sgd(double learningRate) {
        this.learningRate = learningRate;
    }

    @Override
    public void step(double[] w, double[] g) {
        for (int i = 0; i < w.length; i++) w[i] -= learningRate * g[i];
    }
}
