package io.sparkbackprop.cli;

import io.sparkbackprop.io.ModelJson;
import io.sparkbackprop.nn.Network;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a trained model: a run's --output directory (its model.json) or a model.json itself. */
final class ModelFiles {
    private ModelFiles() {
    }

    static Network read(Path model) {
        return readSaved(model).network();
    }

    /** The model with the named input columns it was trained on (null columns when its training input had no names). */
    static ModelJson.Saved readSaved(Path model) {
        Path file = Files.isDirectory(model) ? model.resolve("model.json") : model;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--model " + model + ": " + (Files.isDirectory(model) ? "the directory has no model.json"
                    : "no such file or directory") + "; give a train run's --output directory or a model.json");
        }
        return ModelJson.readSaved(file);
    }
}
