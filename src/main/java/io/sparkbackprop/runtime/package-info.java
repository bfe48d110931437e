/**
 * What a run finds about the machines it runs on, reported in the driver's log: the BLAS implementation
 * of the driver and of every executor ({@link io.sparkbackprop.runtime.BlasReport}).
 */
package io.sparkbackprop.runtime;
