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

    /** The features of {@code available} that are missing, in training order. */
    public List<String> missingFrom(List<String> available) {
        return features.stream().filter(f -> !available.contains(f)).toList();
    }

    /** The refusal when {@code where} lacks some of them: which ones, and what the model was trained on. */
    public IllegalArgumentException lacking(String where, List<String> missing) {
        return new IllegalArgumentException(where + " lacks " + (missing.size() == 1 ? "the feature column " : "the feature columns ")
                + String.join(", ", missing.stream().map(m -> "'" + m + "'").toList()) + " the model was trained on (its features, in order: "
                + String.join(", ", features) + (label == null ? "" : "; label: " + label)
                + "); give a file with every one of them (other columns are ignored); nothing was written");
    }
}
