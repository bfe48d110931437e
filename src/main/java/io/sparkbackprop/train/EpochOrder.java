package io.sparkbackprop.train;

/**
 * A seeded pseudo-random permutation of a partition's rows 0..n-1 for one epoch, computed index by index
 * in O(1) and without storing it: a 4-round Feistel network on the smallest even number of bits covering
 * n, with cycle-walking to stay below n. A step therefore costs O(its batch), never a scan or a shuffle
 * of the whole partition, and the order depends only on (seed, epoch, partition).
 */
final class EpochOrder {
    private static final int ROUNDS = 4;

    private final long n;
    private final int halfBits;
    private final long halfMask;
    private final long[] roundKeys = new long[ROUNDS];

    EpochOrder(long n, long seed, int epoch, int partition) {
        if (n < 0) throw new IllegalArgumentException("negative row count");
        this.n = n;
        int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(Math.max(1, n - 1)));
        if ((bits & 1) == 1) bits++;
        this.halfBits = bits / 2;
        this.halfMask = (1L << halfBits) - 1;
        long k = mix(seed ^ mix(epoch * 0x9E3779B97F4A7C15L + partition));
        for (int r = 0; r < ROUNDS; r++) {
            k = mix(k + 0x632BE59BD9B4E019L);
            roundKeys[r] = k;
        }
    }

    /** The row visited at position i of this epoch's order. */
    long rowAt(long i) {
        if (i < 0 || i >= n) throw new IndexOutOfBoundsException("position " + i + " of " + n);
        long x = i;
        do {
            x = encrypt(x); // cycle-walk: a bijection on [0, 2^bits) restricted to [0, n)
        } while (x >= n);
        return x;
    }

    private long encrypt(long x) {
        long left = x >>> halfBits;
        long right = x & halfMask;
        for (int r = 0; r < ROUNDS; r++) {
            long next = left ^ (mix(right ^ roundKeys[r]) & halfMask);
            left = right;
            right = next;
        }
        return (left << halfBits) | right;
    }

    /** SplitMix64's finaliser: a cheap, well-mixing 64-bit hash. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
