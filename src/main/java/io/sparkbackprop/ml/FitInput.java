package io.sparkbackprop.ml;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The rows a fit reads. A fit passes over its input several times before training (class labels, a vector's
 * size, the standardizer's statistics, building the blocks), and a dataset nobody cached is computed again
 * by each pass, all the way from its source (a CSV read and a VectorAssembler, say). So, as Spark ML's own
 * predictors do, an uncached input is cached for the fit, only the columns the fit uses, and dropped as soon
 * as the training blocks are cached. A dataset the caller cached is used as it is and left cached.
 */
final class FitInput {
    private final Dataset<Row> rows;
    private final boolean cachedHere;
    private boolean released;

    private FitInput(Dataset<Row> rows, boolean cachedHere) {
        this.rows = rows;
        this.cachedHere = cachedHere;
    }

    /** @param columns the columns the fit reads; null or empty names (an unset weight column, say) are skipped */
    static FitInput of(Dataset<?> dataset, String... columns) {
        Dataset<Row> df = dataset.toDF();
        if (!df.storageLevel().equals(StorageLevel.NONE())) return new FitInput(df, false);
        Set<String> used = new LinkedHashSet<>();
        for (String c : columns) {
            if (c != null && !c.isEmpty()) used.add(c);
        }
        List<Column> selected = new ArrayList<>();
        for (String c : used) selected.add(df.col(c));
        Dataset<Row> narrowed = df.select(selected.toArray(new Column[0]));
        return new FitInput(narrowed.persist(StorageLevel.MEMORY_AND_DISK()), true);
    }

    Dataset<Row> rows() {
        return rows;
    }

    /** Drops the fit's own cache (not a caller's); safe to call more than once. */
    void release() {
        if (cachedHere && !released) {
            rows.unpersist(false);
            released = true;
        }
    }
}
