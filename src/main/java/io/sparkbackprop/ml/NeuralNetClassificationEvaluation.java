package io.sparkbackprop.ml;

import java.io.Serializable;

/** Classification metrics of a model on a dataset. */
public record NeuralNetClassificationEvaluation(double accuracy, double weightedF1, double logLoss) implements Serializable {
}
