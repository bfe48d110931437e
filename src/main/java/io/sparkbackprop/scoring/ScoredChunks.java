package io.sparkbackprop.scoring;

import io.sparkbackprop.nn.Network;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;

/**
 * A partition's rows scored a chunk at a time: up to {@code chunkRows} rows gathered into one column-major buffer,
 * one forward pass through the network for all of them (the training kernel's, a BLAS product per layer), then the
 * chunk's rows with the output layer's Z and outputs. The buffers are reused from chunk to chunk, so they are only
 * valid until the next call to {@link #next()}; memory stays one chunk whatever the partition's size.
 */
public final class ScoredChunks implements Iterator<ScoredChunks> {
    /** Rows per chunk by default: 1,024 × 784 features is 6.4 MB of buffer, and products that deep run at full rate. */
    public static final int DEFAULT_CHUNK_ROWS = 1024;

    private final Iterator<Row> rows;
    private final FeatureReader features;
    private final Network network;
    private final int chunkRows;
    private final int n;
    private final int k;
    private final List<Row> chunk;
    private double[] x;
    private SparseChunk sparse;
    /** Whether sparse rows may be scored as they are: not when the model's scaling centres (every zero would move). */
    private final boolean sparseScoring;
    /** What a sparse chunk's values are divided by (a scaling that does not centre), or null for none. */
    private final double[] divisors;
    private final double[] z;
    private final double[] a;
    private int m;
    private long read;

    /** @param wantZ, wantA which of the output layer's Z and outputs (in label units) the caller reads */
    public ScoredChunks(Iterator<Row> rows, FeatureReader features, Network network, int chunkRows, boolean wantZ, boolean wantA) {
        if (chunkRows <= 0) throw new IllegalArgumentException("rows per chunk must be positive, got " + chunkRows);
        this.rows = rows;
        this.features = features;
        this.network = network;
        this.chunkRows = chunkRows;
        this.n = network.topology().inputSize();
        this.k = network.topology().outputSize();
        this.chunk = new ArrayList<>(chunkRows);
        this.z = wantZ ? new double[k * chunkRows] : null;
        this.a = wantA ? new double[k * chunkRows] : null;
        this.sparseScoring = network.scaling() == null || !network.scaling().centresFeatures();
        this.divisors = network.scaling() == null || network.scaling().isIdentityOnFeatures() ? null : network.scaling().featureStd();
    }

    @Override
    public boolean hasNext() {
        return rows.hasNext();
    }

    /** Gathers and scores the next chunk; returns this, now holding it. */
    @Override
    public ScoredChunks next() {
        if (!rows.hasNext()) throw new NoSuchElementException();
        chunk.clear();
        m = 0;
        Row first = rows.next();
        if (sparseScoring && features.sparse(first)) return nextSparse(first);
        if (x == null) x = new double[n * chunkRows];
        features.read(first, read++, x, 0);
        chunk.add(first);
        m = 1;
        while (m < chunkRows && rows.hasNext()) {
            Row r = rows.next();
            features.read(r, read++, x, m * n);
            chunk.add(r);
            m++;
        }
        network.scoreBlock(x, m, z, a);
        return this;
    }

    /** A chunk that starts with a sparse row, gathered as sparse rows (a dense row among them goes in by its nonzeros). */
    private ScoredChunks nextSparse(Row first) {
        if (sparse == null) sparse = new SparseChunk(n, chunkRows);
        sparse.clear();
        features.readSparse(first, read++, sparse);
        chunk.add(first);
        m = 1;
        while (m < chunkRows && rows.hasNext()) {
            Row r = rows.next();
            features.readSparse(r, read++, sparse);
            chunk.add(r);
            m++;
        }
        if (divisors != null) {
            double[] v = sparse.values();
            for (int p = 0; p < sparse.nonzeros(); p++) v[p] /= divisors[sparse.index(p)];
        }
        network.scoreScaled(sparse.rowsSoFar(), z, a);
        return this;
    }

    /** Rows in the current chunk. */
    public int rows() {
        return m;
    }

    /** Row j of the current chunk. */
    public Row row(int j) {
        return chunk.get(j);
    }

    /** The output layer's Z of the current chunk (k per row, row j from j·k), or null if not asked for. */
    public double[] z() {
        return z;
    }

    /** The outputs in label units of the current chunk (k per row), or null if not asked for. */
    public double[] a() {
        return a;
    }

    /** Outputs per row. */
    public int width() {
        return k;
    }
}
