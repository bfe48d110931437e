package io.sparkbackprop.cli;

import io.sparkbackprop.data.FeatureStorage;
import picocli.CommandLine.Option;

/** Where the rows come from and how they are split and scaled. */
public final class DataOptions {
    @Option(names = "--data", description = "CSV (header; label last or --label), LIBSVM (.libsvm/.svm/.txt) or Parquet "
            + "(vector 'features' column). Default: generated Friedman #1 data.")
    String data;

    @Option(names = "--format", description = "csv, libsvm or parquet, when the file name does not tell.")
    String format;

    @Option(names = "--label", description = "Label column of a CSV or Parquet file. Default: the last CSV column; 'label' in Parquet.")
    String label;

    @Option(names = "--rows", defaultValue = "100000", description = "Rows of generated Friedman #1 data (train + test). Default: ${DEFAULT-VALUE}")
    long rows;

    @Option(names = "--partitions", defaultValue = "0",
            description = "Partitions of generated data; 0 = Spark's default parallelism. Default: ${DEFAULT-VALUE}")
    int partitions;

    @Option(names = "--test-data", description = "Separate test set, in the same format as --data.")
    String testData;

    @Option(names = "--test-fraction", defaultValue = "0.2", description = "Share of the rows held out for testing when there is no --test-data. Default: ${DEFAULT-VALUE}")
    double testFraction;

    // On by default, as Spark's LinearRegression and LogisticRegression standardize: features nobody centred (incomes,
    // counts) train badly unscaled. An optional true/false, so that a job file's "standardize = false" or the command
    // line's --standardize=false turns it off.
    @Option(names = "--standardize", arity = "0..1", defaultValue = "true", fallbackValue = "true", paramLabel = "true|false",
            description = "Scale the features by the training set's mean and deviation, stored in the model. On by default; "
            + "--standardize=false turns it off. A run from --init-model or a checkpoint keeps that model's scaling (none when "
            + "it has none).")
    boolean standardize = true;

    // Off by default on the command line, so that the losses it logs and writes stay in the label's units; on for
    // labels of large magnitude (prices), which train slowly unscaled.
    @Option(names = "--standardize-label", arity = "0..1", defaultValue = "false", fallbackValue = "true", paramLabel = "true|false",
            description = "Also scale a regression label by its mean and deviation (predictions come back in label units, "
            + "the logged losses are then in scaled units). Default: off.")
    boolean standardizeLabel;

    @Option(names = "--drop-invalid", description = "Skip rows with NaN or infinite features or labels (their number is "
            + "logged) instead of stopping with an error.")
    boolean dropInvalid;

    @Option(names = "--keep-partitioning", description = "Train on the input's partitions as they are; by default more "
            + "partitions than the task slots (Spark's defaultParallelism) are merged into that many, since each step runs a "
            + "task per partition.")
    boolean keepPartitioning;

    @Option(names = "--block-size", defaultValue = "4096", description = "Rows per cached block (its rows are multiplied --chunk-size at a time). Default: ${DEFAULT-VALUE}")
    int blockSize;

    @Option(names = "--num-features", defaultValue = "0", paramLabel = "N", description = "LIBSVM: the number of features "
            + "(indices 1..N); 0 takes the largest index in --data, which may fall short of the data's true width (a hashed "
            + "space of 2^18 whose last buckets are empty, say). Default: ${DEFAULT-VALUE}")
    int numFeatures;

    @Option(names = "--feature-storage", defaultValue = "auto", paramLabel = "auto|dense|sparse", description = "How cached "
            + "blocks hold the features: auto keeps dense input dense and stores sparse rows (LIBSVM) as compressed rows when "
            + "under a tenth of a block's values are nonzero; dense or sparse force one. The model learned is the same. "
            + "Default: ${DEFAULT-VALUE}")
    String featureStorage;

    FeatureStorage storage() {
        return FeatureStorage.of(featureStorage);
    }

    void validate() {
        storage();
        if (numFeatures < 0) throw new IllegalArgumentException("--num-features must be 0 (the largest index) or positive, got " + numFeatures);
        if (!(testFraction >= 0 && testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction must be in [0, 1), got " + testFraction);
        }
        if (rows <= 0) throw new IllegalArgumentException("--rows must be positive, got " + rows);
        if (partitions < 0) throw new IllegalArgumentException("--partitions must be 0 (automatic) or positive, got " + partitions);
        if (blockSize <= 0) throw new IllegalArgumentException("--block-size must be positive, got " + blockSize);
    }
}
