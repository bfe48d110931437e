package io.sparkbackprop.nn;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The OpenBLAS that ships inside the app jar (from Maven Central's {@code org.bytedeco:openblas}, Linux x86-64),
 * put in front of netlib's JNIBLAS before the JVM's first product: a current OpenBLAS recognises current CPUs,
 * which a distribution's older one may not (it then falls back to a generic kernel several times slower), and
 * executors need nothing installed.
 * <p>
 * The libraries are extracted once per host and version into the temporary directory and loaded from there;
 * netlib is pointed at them through {@code dev.ludovic.netlib.blas.nativeLibPath}. Whatever fails (another
 * platform, a temporary directory mounted noexec, {@code SPARK_BACKPROP_BLAS=system}) leaves netlib to its own
 * order: the system's {@code libblas.so.3}, then the Java Vector API.
 */
final class BundledOpenBlas {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BundledOpenBlas.class);
    /** netlib's property: the BLAS library its JNI glue loads. */
    static final String NETLIB_PATH = "dev.ludovic.netlib.blas.nativeLibPath";
    static final String VERSION = "0.3.31-1.5.13";
    /** libopenblas first: it is what netlib loads; the others are what it links against, found by its $ORIGIN runpath. */
    static final List<String> FILES = List.of("libopenblas.so.0", "libgfortran.so.5", "libquadmath.so.0", "libgcc_s.so.1");

    private BundledOpenBlas() {
    }

    /** What happened, for the BLAS report: the library's path, or why the bundled one is not used. */
    static String outcome = "not tried";

    /** Points netlib at the bundled OpenBLAS unless the user chose a BLAS; call before the first BLAS.getInstance(). */
    static void install() {
        String chosen = System.getProperty(NETLIB_PATH);
        String mode = System.getenv().getOrDefault("SPARK_BACKPROP_BLAS", System.getProperty("sparkbackprop.blas", "bundled"));
        if (chosen != null) {
            outcome = "not used: " + NETLIB_PATH + " names " + chosen;
            return;
        }
        if (!"bundled".equalsIgnoreCase(mode.trim())) {
            outcome = "not used: SPARK_BACKPROP_BLAS=" + mode;
            return;
        }
        String platform = platform(System.getProperty("os.name"), System.getProperty("os.arch"));
        if (platform == null || BundledOpenBlas.class.getResource(resource(platform, FILES.get(0))) == null) {
            outcome = "not bundled for " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
            return;
        }
        try {
            Path dir = extract(platform, Path.of(System.getProperty("java.io.tmpdir")));
            Path lib = dir.resolve(FILES.get(0));
            // Loaded here first, so that a library that cannot load leaves netlib free to take the system's.
            System.load(lib.toString());
            System.setProperty(NETLIB_PATH, lib.toString());
            outcome = "bundled OpenBLAS " + VERSION + ": " + lib;
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            outcome = "not used: " + e;
            LOG.warn("the bundled OpenBLAS could not be loaded ({}); netlib falls back to the system's BLAS or Java", e.toString());
        }
    }

    /** The bytedeco platform folder for this OS and architecture, or null when none is bundled. */
    static String platform(String os, String arch) {
        if (os == null || arch == null || !os.toLowerCase(Locale.ROOT).startsWith("linux")) return null;
        return switch (arch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "linux-x86_64";
            default -> null;
        };
    }

    static String resource(String platform, String file) {
        return "/org/bytedeco/openblas/" + platform + "/" + file;
    }

    /**
     * The libraries in {@code base}/spark-backprop-openblas-VERSION-USER, written once: a complete folder is reused,
     * and a new one is written aside and renamed into place, so JVMs starting together on one host (executors) never
     * load a half-written file.
     */
    static Path extract(String platform, Path base) throws IOException {
        Path dir = base.resolve("spark-backprop-openblas-" + VERSION + "-" + System.getProperty("user.name", "user"));
        if (complete(dir, platform)) return dir;
        Path fresh = Files.createTempDirectory(base, "spark-backprop-openblas-");
        for (String f : FILES) {
            try (InputStream in = BundledOpenBlas.class.getResourceAsStream(resource(platform, f))) {
                if (in == null) throw new IOException("the jar lacks " + resource(platform, f));
                Files.copy(in, fresh.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        try {
            Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileSystemException e) {
            // Another JVM won the race (or left an incomplete folder behind): use a complete one either way.
            if (!complete(dir, platform)) return fresh;
            deleteQuietly(fresh);
        }
        return dir;
    }

    private static boolean complete(Path dir, String platform) throws IOException {
        for (String f : FILES) {
            Path p = dir.resolve(f);
            java.net.URL url = BundledOpenBlas.class.getResource(resource(platform, f));
            if (url == null || !Files.isRegularFile(p)) return false;
            long expected = url.openConnection().getContentLengthLong();
            if (expected >= 0 && Files.size(p) != expected) return false;
        }
        return true;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) Files.deleteIfExists(p);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary folder; the OS cleans it
        }
    }
}
