package io.sparkbackprop.io;

import java.io.Serializable;
import java.util.List;

/**
 * The named columns a model was trained on: its features in training order and its label. Kept beside the weights
 * (model.json's {@code input_columns}) so that {@code predict} and {@code evaluate} select a file's columns by name,
 * in that order, whatever else the file holds; unknown (null) where the training input had no names (LIBSVM, a
 * vector column, the generator), and then only the width is checked.
 */
public record InputColumns(List<String> features, String label) implements Serializable {
    public InputColumns {
        features = List.copyOf(features);
        if (features.isEmpty()) throw new IllegalArgumentException("a model's input columns need at least one feature");
        if (label != null && features.contains(label)) {
            throw new IllegalArgumentException("the label column '" + label + "' is also named as a feature");
        }
    }
}
