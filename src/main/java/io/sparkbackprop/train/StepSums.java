package io.sparkbackprop.train;

/**
 * The one owner of what a task sends back from a step, a flat buffer laid out as
 * [gradient sum (numParams, the weights' layout), loss sum, rows (weight sum with row weights)], and of how
 * the driver reads it: the mean gradient and its Euclidean norm.
 */
final class StepSums {
    final double lossSum;
    final double rows;
    /** The mean gradient (null when the step had no rows). */
    final double[] mean;
    /** ‖mean‖₂ (NaN when the step had no rows). */
    final double norm;

    private StepSums(double lossSum, double rows, double[] mean, double norm) {
        this.lossSum = lossSum;
        this.rows = rows;
        this.mean = mean;
        this.norm = norm;
    }

    /** A zeroed buffer for a network of {@code numParams} weights. */
    static double[] newBuffer(int numParams) {
        return new double[numParams + 2];
    }

    /** Writes the loss and row sums after the gradient sum. */
    static void close(double[] buffer, double lossSum, double rows) {
        buffer[buffer.length - 2] = lossSum;
        buffer[buffer.length - 1] = rows;
    }

    /** Reads a (summed) buffer. */
    static StepSums of(double[] buffer) {
        int p = buffer.length - 2;
        double lossSum = buffer[p];
        double rows = buffer[p + 1];
        if (rows == 0) return new StepSums(lossSum, rows, null, Double.NaN);
        double[] g = java.util.Arrays.copyOf(buffer, p);
        double squares = 0;
        for (int i = 0; i < p; i++) {
            g[i] /= rows;
            squares += g[i] * g[i];
        }
        return new StepSums(lossSum, rows, g, Math.sqrt(squares));
    }
}
