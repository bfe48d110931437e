/** spark-backprop: dense neural networks trained by back-propagation, data-parallel on Spark. */
package io.sparkbackprop;
