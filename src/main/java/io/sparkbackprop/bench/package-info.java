/**
 * The {@code bench} command's measurements: our trainer beside Spark MLlib's multilayer perceptron, the BLAS
 * it runs on, Spark's per-job floor and itself on fewer cores, all in one run so that ratios survive a
 * noisy machine. Uses {@code nn}, {@code data} and {@code train}; only {@code cli} uses it.
 */
package io.sparkbackprop.bench;
