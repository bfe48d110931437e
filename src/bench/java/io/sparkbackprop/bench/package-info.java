/**
 * The bench ({@link io.sparkbackprop.bench.BenchMain}, {@code ./submit.sh bench}): our trainer beside Spark MLlib's
 * multilayer perceptron, the BLAS it runs on, Spark's per-job floor, itself on fewer cores, on input in many partitions
 * and on many rows, all in one run so that ratios survive a noisy machine. It lives beside the library (src/bench, its
 * own jar) and uses only the library's public API; nothing in the library uses it.
 */
package io.sparkbackprop.bench;
