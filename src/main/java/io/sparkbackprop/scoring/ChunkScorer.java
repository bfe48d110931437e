package io.sparkbackprop.scoring;

import io.sparkbackprop.nn.Network;
import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a DataFrame in chunks and appends output columns: each partition's rows go through {@link ScoredChunks}, and
 * each row leaves with its own values followed by the columns {@link Outputs} fills from the network's outputs. No
 * network runs per row; per row the only allocations are the output values and the row itself.
 */
public final class ChunkScorer {
    private ChunkScorer() {
    }

    /** The appended columns' values of one row, from its outputs in a scored chunk. */
    public interface Outputs extends Serializable {
        /**
         * Writes the values of the appended columns for row j of the chunk into values[from…].
         */
        void fill(ScoredChunks chunk, int j, Object[] values, int from);
    }

    /**
     * The dataset with the columns of {@code schema} beyond the dataset's own appended (schema must start with the
     * dataset's columns), each chunk scored with {@code network}.
     */
    public static Dataset<Row> score(Dataset<Row> dataset, StructType schema, FeatureReader features, Network network, int chunkRows,
                                     boolean wantZ, boolean wantA, Outputs outputs) {
        int own = dataset.schema().size();
        int added = schema.size() - own;
        MapPartitionsFunction<Row, Row> perPartition = rows -> new Iterator<Row>() {
            private final ScoredChunks chunks = new ScoredChunks(rows, features, network, chunkRows, wantZ, wantA);
            private int next;

            @Override
            public boolean hasNext() {
                return next < chunks.rows() || chunks.hasNext();
            }

            @Override
            public Row next() {
                if (next == chunks.rows()) {
                    chunks.next();
                    next = 0;
                }
                Row r = chunks.row(next);
                Object[] values = new Object[own + added];
                for (int i = 0; i < own; i++) values[i] = r.get(i);
                outputs.fill(chunks, next, values, own);
                next++;
                return RowFactory.create(values);
            }
        };
        Dataset<Row> scored = dataset.mapPartitions(perPartition, Encoders.row(schema));
        // The encoder keeps names, types and nullability but not the columns' metadata (ML attributes: VectorAssembler's
        // feature groups, StringIndexer's labels, the attributes of the output columns): set it again, column by column.
        org.apache.spark.sql.Column[] withMetadata = new org.apache.spark.sql.Column[schema.size()];
        for (int i = 0; i < withMetadata.length; i++) {
            org.apache.spark.sql.types.StructField f = schema.fields()[i];
            withMetadata[i] = scored.col("`" + f.name().replace("`", "``") + "`").as(f.name(), f.metadata());
        }
        return scored.select(withMetadata);
    }
}
