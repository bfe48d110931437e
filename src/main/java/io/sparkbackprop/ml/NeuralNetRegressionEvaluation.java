package io.sparkbackprop.ml;

import java.io.Serializable;

/** Regression metrics of a model on a dataset, in label units. */
public record NeuralNetRegressionEvaluation(double rmse, double mse, double mae, double r2) implements Serializable {
}
