package io.sparkbackprop.ml;

import org.apache.spark.ml.util.Identifiable$;

/**
 * Hands a uid to a Java subclass of a Spark ML class while its superclass constructor runs.
 * <p>
 * Spark's shared params ({@code featuresCol}, ...) are created by the Scala superclass constructor and
 * capture {@code uid()} right then. Scala assigns constructor parameters before calling super; Java
 * cannot, so our {@code uid()} reads the uid stashed here when its field is not set yet.
 */
final class Uids {
    private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

    private Uids() {
    }

    static String random(String prefix) {
        return Identifiable$.MODULE$.randomUID(prefix);
    }

    /** Call as the argument of this(...) so it runs before super(). */
    static String stash(String uid) {
        PENDING.set(uid);
        return uid;
    }

    /** The stashed uid, for uid() while the superclass is being built. */
    static String pending() {
        String uid = PENDING.get();
        if (uid == null) throw new IllegalStateException("no uid stashed: construct through a public constructor");
        return uid;
    }

    static void clear() {
        PENDING.remove();
    }
}
