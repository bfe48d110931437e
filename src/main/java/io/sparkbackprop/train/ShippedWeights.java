package io.sparkbackprop.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The weights of a lazy sparse run on the executors, kept there from step to step instead of broadcast whole each
 * step: the driver broadcasts a full copy once (the base) and after each step only its {@link WeightPatch}. Every JVM
 * keeps a replica per run ({@link #weights}); a task finds it current, or one patch behind, or (a new or restarted
 * executor) rebuilds it from the base and the patches since. The driver starts a new base when the patches since the
 * last one carry more values than a full copy, so what it keeps broadcast stays under two copies.
 * <p>
 * Correctness never depends on a replica being there: one that is missing, evicted or stale is rebuilt from what the
 * {@link Ticket} names. A JVM keeps the replicas of its {@value #REPLICAS_PER_JVM} most recently used runs: the driver
 * forgets its own when the run ends, but an executor of a cluster keeps a finished run's copy until two later runs
 * have displaced it (the driver cannot reach every executor's memory; 134 MB for a 2^18 × 64 first layer).
 */
final class ShippedWeights implements AutoCloseable {
    static final int REPLICAS_PER_JVM = 2;
    /** Patches kept before a new full copy however small they are: each task's closure names them all. */
    static final int MAX_PATCHES = 64;

    private final JavaSparkContext sc;
    private final String run = java.util.UUID.randomUUID().toString();
    private Broadcast<double[]> base;
    private long baseVersion;
    private final List<Broadcast<WeightPatch>> patches = new ArrayList<>();
    private long patchValues;
    private long version;

    ShippedWeights(JavaSparkContext sc) {
        this.sc = sc;
    }

    /** The weights now are {@code w}, all of them changed (the start, or an exact step): a new base. */
    Ticket full(double[] w) {
        dropAll();
        version++;
        base = sc.broadcast(w.clone());
        baseVersion = version;
        return ticket();
    }

    /** The weights now are the last ones with {@code patch} applied ({@code w} is the result, for a new base when due). */
    Ticket patched(WeightPatch patch, double[] w) {
        if (base == null || patchValues + patch.size() > w.length || patches.size() >= MAX_PATCHES) return full(w);
        version++;
        patches.add(sc.broadcast(patch));
        patchValues += patch.size();
        return ticket();
    }

    private Ticket ticket() {
        return new Ticket(run, version, base, baseVersion, new ArrayList<>(patches));
    }

    private void dropAll() {
        if (base != null) base.destroy();
        for (Broadcast<WeightPatch> p : patches) p.destroy();
        base = null;
        patches.clear();
        patchValues = 0;
    }

    @Override
    public void close() {
        dropAll();
        forget(run);
    }

    /** What a task needs to find the weights of one version: small, shipped in its closure. */
    static final class Ticket implements Serializable {
        private static final long serialVersionUID = 1L;
        final String run;
        final long version;
        final Broadcast<double[]> base;
        final long baseVersion;
        /** The patches of versions baseVersion + 1 … version, in order. */
        final List<Broadcast<WeightPatch>> patches;

        Ticket(String run, long version, Broadcast<double[]> base, long baseVersion, List<Broadcast<WeightPatch>> patches) {
            this.run = run;
            this.version = version;
            this.base = base;
            this.baseVersion = baseVersion;
            this.patches = patches;
        }
    }

    /** One JVM's copy of a run's weights at a version. */
    private static final class Replica {
        long version = -1;
        double[] w;
    }

    private static final Map<String, Replica> REPLICAS = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Replica> eldest) {
            return size() > REPLICAS_PER_JVM;
        }
    };

    /**
     * The weights of the ticket's version in this JVM: the replica as it is, patched forward, or rebuilt. The array is
     * shared by this JVM's tasks of the step and must not be written.
     */
    static double[] weights(Ticket t) {
        Replica r;
        synchronized (REPLICAS) {
            r = REPLICAS.computeIfAbsent(t.run, k -> new Replica());
        }
        synchronized (r) {
            if (r.version == t.version) return r.w;
            if (r.w == null || r.version < t.baseVersion || r.version > t.version) {
                r.w = t.base.value().clone();
                r.version = t.baseVersion;
            }
            for (long v = r.version + 1; v <= t.version; v++) {
                t.patches.get((int) (v - t.baseVersion - 1)).value().applyTo(r.w);
            }
            r.version = t.version;
            return r.w;
        }
    }

    private static void forget(String run) {
        synchronized (REPLICAS) {
            REPLICAS.remove(run);
        }
    }
}
