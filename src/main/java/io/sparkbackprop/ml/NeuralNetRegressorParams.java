package io.sparkbackprop.ml;

import java.util.Arrays;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.Param;

/** The regressor's own Params beside the shared ones. */
public interface NeuralNetRegressorParams extends NeuralNetParams {
    String[] LOSSES = {"mse", "bce"};

    default Param<String> loss() {
        return new Param<>(this, "loss", "loss: mse (linear output) or bce (sigmoid output, labels in [0, 1])",
                NeuralNetParams.valid((String s) -> Arrays.asList(LOSSES).contains(s)));
    }

    default BooleanParam standardizeLabel() {
        return new BooleanParam(this, "standardizeLabel", "train on labels scaled by their mean and deviation and map "
                + "predictions back, so labels of any magnitude train well (mse only)");
    }

    default String getLoss() {
        return getOrDefault(loss());
    }

    default boolean getStandardizeLabel() {
        return (Boolean) getOrDefault(standardizeLabel());
    }

    static void setRegressorDefaults(NeuralNetRegressorParams p) {
        NeuralNetParams.setDefaults(p);
        p.setDefault(p.loss(), "mse");
        p.setDefault(p.standardizeLabel(), true);
    }
}
