package io.sparkbackprop.cli;

import io.sparkbackprop.io.ModelJson;
import io.sparkbackprop.nn.Activation;
import io.sparkbackprop.nn.Initializer;
import io.sparkbackprop.nn.Loss;
import io.sparkbackprop.nn.Network;
import io.sparkbackprop.nn.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The network's shape: hidden layers, activations, loss, initialisation, or a model to start from. */
public final class NetworkOptions {
    @Option(names = "--layers", defaultValue = "64,64", split = ",", description = "Hidden layer sizes. Default: ${DEFAULT-VALUE}")
    int[] layers;

    @Option(names = "--activation", defaultValue = "relu", description = "Hidden activation: relu, sigmoid, tanh or linear. Default: ${DEFAULT-VALUE}")
    String activation;

    @Option(names = "--activations", split = ",", description = "One activation per layer, output included (overrides --activation).")
    String[] activations;

    @Option(names = "--loss", defaultValue = "mse", description = "mse, bce or cross-entropy; the output activation follows: linear, sigmoid, softmax. Default: ${DEFAULT-VALUE}")
    String loss;

    @Option(names = "--init", description = "he, xavier or scaled-normal. Default: he for relu hidden layers, else xavier.")
    String init;

    @Option(names = "--init-model", description = "Start from this model.json; its topology wins over --layers.")
    Path initModel;

    Loss lossFunction() {
        return Loss.fromId(loss);
    }

    /** The model to start from, or null. */
    Network initialModel() {
        ModelJson.Saved saved = initialSaved();
        return saved == null ? null : saved.network();
    }

    /** The model to start from with the named columns it was trained on, or null. */
    ModelJson.Saved initialSaved() {
        if (initModel == null) return null;
        if (!Files.isRegularFile(initModel)) throw new IllegalArgumentException("--init-model " + initModel + ": no such file");
        return ModelJson.readSaved(initModel);
    }

    Optional<Initializer> initializer() {
        return init == null ? Optional.empty() : Optional.of(Initializer.fromId(init));
    }

    /** The topology for data with the given input and output sizes. */
    Topology topology(int inputs, int outputs) {
        Loss l = lossFunction();
        // "--layers 0" asks for no hidden layer at all (a linear or logistic model).
        int[] hidden = layers.length == 1 && layers[0] == 0 ? new int[0] : layers;
        for (int size : hidden) {
            if (size <= 0) throw new IllegalArgumentException("--layers sizes must be positive, got " + Arrays.toString(layers));
        }
        if (activations != null && activations.length != hidden.length + 1) {
            throw new IllegalArgumentException("--activations needs " + (hidden.length + 1) + " names (one per hidden layer and one for the output), got "
                    + activations.length);
        }
        Topology.Builder b = Topology.input(inputs);
        for (int i = 0; i < hidden.length; i++) b.layer(hidden[i], Activation.fromId(activations != null ? activations[i] : activation));
        return activations == null ? b.output(outputs, l) : b.output(outputs, Activation.fromId(activations[hidden.length]), l);
    }
}
