package io.sparkbackprop.bench;

import io.sparkbackprop.nn.Topology;
import java.util.ArrayList;
import java.util.List;

/**
 * The floating-point work of the forward/backward kernel, counted the usual way for matrix products:
 * 2·m·n·k per (m×k)(k×n) product. Bias additions, activations and the loss are left out: they are
 * O(outputs) per row against O(inputs·outputs) for the products, and the BLAS reference does not do them.
 */
public final class FlopCount {
    private FlopCount() {
    }

    /** One dgemm call: C(m×n) = op(A)·op(B) + beta·C with op(A) m×k. Serializable: the reference runs it on the executors. */
    public record Gemm(String transA, String transB, int m, int n, int k, double beta) implements java.io.Serializable {
        public long flops() {
            return 2L * m * n * k;
        }
    }

    /** Z = W·A per layer: 2·n_out·n_in per row. */
    public static long forwardPerRow(Topology t) {
        long f = 0;
        for (int l = 0; l < t.numLayers(); l++) f += 2L * t.outputsOf(l) * t.inputsOf(l);
        return f;
    }

    /**
     * dW = dZ·Aᵀ for every layer, and dA = Wᵀ·dZ for every layer but the first: the kernel never forms
     * the gradient with respect to the input features, which nobody needs.
     */
    public static long backwardPerRow(Topology t) {
        long f = 0;
        for (int l = 0; l < t.numLayers(); l++) {
            f += 2L * t.outputsOf(l) * t.inputsOf(l);
            if (l > 0) f += 2L * t.inputsOf(l) * t.outputsOf(l);
        }
        return f;
    }

    /** Forward and backward: what one row costs in a training step. */
    public static long gradientPerRow(Topology t) {
        return forwardPerRow(t) + backwardPerRow(t);
    }

    /**
     * The products the kernel runs on a chunk of m rows, with its shapes and transposes (weights
     * n_out × n_in and activations n × m, column-major), so that a reference can time the same calls
     * without the rest of the kernel around them.
     */
    public static List<Gemm> gradientGemms(Topology t, int m) {
        List<Gemm> list = new ArrayList<>();
        for (int l = 0; l < t.numLayers(); l++) {
            // forward Z_l = W_l·A_{l-1}, added onto the bias already copied into Z
            list.add(new Gemm("N", "N", t.outputsOf(l), m, t.inputsOf(l), 1.0));
        }
        for (int l = t.numLayers() - 1; l >= 0; l--) {
            // dW_l += dZ_l·A_{l-1}ᵀ
            list.add(new Gemm("N", "T", t.outputsOf(l), t.inputsOf(l), m, 1.0));
            // dA_{l-1} = W_lᵀ·dZ_l
            if (l > 0) list.add(new Gemm("T", "N", t.inputsOf(l), m, t.outputsOf(l), 0.0));
        }
        return list;
    }
}
