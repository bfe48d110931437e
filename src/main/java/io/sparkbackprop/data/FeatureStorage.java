package io.sparkbackprop.data;

import java.util.Locale;

/**
 * How a block stores its features: {@link #DENSE} (column-major values), {@link #SPARSE} (compressed rows) or
 * {@link #AUTO}, which keeps dense input dense and stores a block that holds sparse vectors as compressed rows when
 * fewer than {@value #SPARSE_BELOW} of its values are nonzero (the kernel's sparse products cost per nonzero what
 * the dense ones cost per value at about that density), dense otherwise. Storage never changes the numbers a model
 * learns, only the memory and the time.
 */
public enum FeatureStorage {
    AUTO, DENSE, SPARSE;

    /** The density below which {@link #AUTO} stores a block of sparse vectors sparse: {@value}. */
    public static final double SPARSE_BELOW = 0.1;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** By its {@link #id()} ("auto", "dense", "sparse"); the message names the setting and the choices. */
    public static FeatureStorage of(String id) {
        for (FeatureStorage s : values()) {
            if (s.id().equals(id)) return s;
        }
        throw new IllegalArgumentException("feature storage (--feature-storage, featureStorage) must be auto, dense or sparse, got '"
                + id + "'");
    }

    /** Whether a block of these rows is stored sparse: {@code anySparse} whether any row came as a sparse vector. */
    boolean storesSparse(boolean anySparse, long nonzeros, long rows, int width) {
        return switch (this) {
            case DENSE -> false;
            case SPARSE -> true;
            case AUTO -> anySparse && nonzeros < SPARSE_BELOW * rows * width;
        };
    }
}
