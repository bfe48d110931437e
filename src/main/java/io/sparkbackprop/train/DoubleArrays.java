package io.sparkbackprop.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Large double and int arrays as blocks of bytes, for Java serialization's sake: {@code ObjectOutputStream} writes a
 * double[] value by value (~0.3 GB/s here) and a byte[] as one copy. A sparse step ships megabytes of them each way
 * every step, and Java's is Spark's default serializer for task results and broadcasts. The classes that use these
 * swap themselves for a packed form in {@code writeReplace} only; Kryo, which does not call it, copies the arrays
 * as they are.
 */
final class DoubleArrays {
    private DoubleArrays() {
    }

    static byte[] pack(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return b.array();
    }

    static double[] unpackDoubles(byte[] bytes) {
        double[] values = new double[bytes.length / 8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(values);
        return values;
    }

    static byte[] pack(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return b.array();
    }

    static int[] unpackInts(byte[] bytes) {
        int[] values = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(values);
        return values;
    }
}
