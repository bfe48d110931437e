/**
 * Files a run leaves behind: the portable {@code model.json} ({@link io.sparkbackprop.io.ModelJson}), the
 * per-epoch {@code history.csv} ({@link io.sparkbackprop.io.HistoryCsv}) and the output directory that
 * holds them, written all-or-nothing ({@link io.sparkbackprop.io.OutputDirectory}). Depends only on
 * {@code nn} and Jackson.
 */
package io.sparkbackprop.io;
