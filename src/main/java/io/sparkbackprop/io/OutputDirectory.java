package io.sparkbackprop.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a run's output directory all or nothing. The files go into a hidden sibling of the target first
 * ({@code .name.writing-…}), which is renamed to the target only once complete; a sibling, so the rename
 * stays on one filesystem and is atomic where the filesystem allows. A reader therefore sees either the
 * previous output or the new one, never a mix, and a crash mid-write leaves the previous output intact.
 * Local paths only for now.
 */
public final class OutputDirectory {
    private static final System.Logger LOG = System.getLogger(OutputDirectory.class.getName());
    private static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private OutputDirectory() {
    }

    /** Like {@link java.util.function.Consumer}, but allowed to throw IOException. */
    @FunctionalInterface
    public interface IOConsumer<T> {
        void accept(T t) throws IOException;
    }

    /**
     * Writes the run's files into a fresh temporary sibling directory via {@code writer}, then moves it to
     * {@code target}.
     * <ul>
     * <li>Refuses ({@link OutputExistsException}) when {@code target} exists and is non-empty, unless
     * {@code overwrite}. An empty directory counts as free.</li>
     * <li>With {@code overwrite}, the previous contents are kept until the new directory is complete: the old
     * directory is moved aside, the new one moved in, and only then the old one deleted.</li>
     * <li>When {@code writer} fails, the temporary directory is deleted, {@code target} is untouched and the
     * exception propagates.</li>
     * <li>When the finished directory cannot be moved into place, the previous target is restored and the
     * finished files are left in the temporary directory, whose path the exception names: after a long
     * training run they are worth more than a tidy parent directory.</li>
     * </ul>
     */
    public static void commit(Path target, boolean overwrite, IOConsumer<Path> writer) throws IOException {
        Path dest = absolute(target);
        checkWritable(dest, overwrite);
        Path parent = dest.getParent();
        Files.createDirectories(parent);
        Path staging = createUniqueSibling(dest, "writing");
        try {
            writer.accept(staging);
        } catch (Throwable e) {
            deleteTree(staging, e);
            throw e;
        }
        install(staging, dest, overwrite);
    }

    /**
     * The check {@link #commit} makes, for use before training starts, so a run that would be refused at the
     * end is refused before it spends hours. Also refuses a target that is a file, an overwrite that would
     * delete the working directory, and a target whose parent cannot be created or written.
     */
    public static void checkWritable(Path target, boolean overwrite) {
        Path dest = absolute(target);
        if (Files.exists(dest) || Files.isSymbolicLink(dest)) {
            refuseIfOccupied(dest, overwrite);
        }
        Path ancestor = dest.getParent();
        while (ancestor != null && !Files.exists(ancestor)) ancestor = ancestor.getParent();
        if (ancestor == null || !Files.isDirectory(ancestor) || !Files.isWritable(ancestor)) {
            throw new IllegalArgumentException("cannot create the output directory " + dest + ": "
                    + (ancestor == null ? "no existing parent" : ancestor + " is not a writable directory"));
        }
    }

    /**
     * A fresh folder under {@code runsRoot} named by the clock's local time, e.g. {@code runs/20261127-103012},
     * with {@code -2}, {@code -3}, … appended when that name is taken. Only the name is chosen; the directory
     * is created by {@link #commit}, which refuses rather than mixes should another run take it meanwhile.
     */
    public static Path freshRunDirectory(Path runsRoot, Clock clock) {
        String stamp = RUN_NAME.format(LocalDateTime.now(clock));
        Path candidate = runsRoot.resolve(stamp);
        for (int n = 2; Files.exists(candidate, LinkOption.NOFOLLOW_LINKS); n++) {
            candidate = runsRoot.resolve(stamp + "-" + n);
        }
        return candidate;
    }

    private static Path absolute(Path target) {
        Path dest = target.toAbsolutePath().normalize();
        if (dest.getParent() == null || dest.getFileName() == null) {
            throw new IllegalArgumentException("cannot use the filesystem root " + dest + " as the output directory");
        }
        return dest;
    }

    private static void refuseIfOccupied(Path dest, boolean overwrite) {
        if (!Files.isDirectory(dest)) {
            throw new OutputExistsException("--output " + dest + " exists and is not a directory; choose another --output");
        }
        if (!overwrite) {
            if (isEmptyDirectory(dest)) return;
            throw new OutputExistsException("--output " + dest + " exists and is not empty; pass --overwrite to "
                    + "replace it or choose another --output");
        }
        // Replacing the directory we run in, or one above it, would delete far more than a previous run.
        try {
            Path real = dest.toRealPath();
            if (Path.of("").toRealPath().startsWith(real)) {
                throw new OutputExistsException("--output " + dest + " contains the working directory; --overwrite "
                        + "would delete it; choose another --output");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot inspect --output " + dest + ": " + e, e);
        }
    }

    private static boolean isEmptyDirectory(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list --output " + dir + ": " + e, e);
        }
    }

    /** Moves the finished staging directory to dest, keeping any previous dest until that has worked. */
    private static void install(Path staging, Path dest, boolean overwrite) throws IOException {
        boolean occupied = Files.exists(dest, LinkOption.NOFOLLOW_LINKS);
        if (occupied) {
            try {
                // Checked again: another process may have filled dest while the writer ran.
                refuseIfOccupied(dest, overwrite);
            } catch (IllegalArgumentException e) {
                throw new OutputExistsException(e.getMessage() + " (it changed while this run was writing; the "
                        + "finished output is kept in " + staging + ")");
            }
        }
        Path holder = occupied ? createUniqueSibling(dest, "old") : null;
        Path aside = holder == null ? null : holder.resolve(dest.getFileName());
        try {
            if (aside != null) rename(dest, aside);
            rename(staging, dest);
        } catch (IOException | RuntimeException e) {
            if (aside != null && Files.exists(aside, LinkOption.NOFOLLOW_LINKS) && !Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    rename(aside, dest); // put the previous output back
                } catch (IOException restore) {
                    e.addSuppressed(restore);
                }
            }
            boolean oldStillAside = aside != null && Files.exists(aside, LinkOption.NOFOLLOW_LINKS);
            if (holder != null && !oldStillAside) deleteTree(holder, e);
            throw new IOException("could not move the finished output into " + dest + "; it is kept in " + staging
                    + (oldStillAside ? "; the previous output is in " + aside : ""), e);
        }
        if (holder != null) {
            try {
                deleteTree(holder);
            } catch (IOException e) {
                // The new output is in place; a leftover hidden copy of the old one is not worth failing the run.
                LOG.log(System.Logger.Level.WARNING, "could not delete the previous output, moved aside to " + aside, e);
            }
        }
    }

    /** Atomic rename where supported; a plain move otherwise (still a rename, as both paths share a parent). */
    private static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /**
     * A new hidden sibling, {@code .name.<purpose>-<random>}. Created with createDirectory rather than
     * createTempDirectory, whose owner-only permissions would otherwise become the output's permissions.
     */
    private static Path createUniqueSibling(Path dest, String purpose) throws IOException {
        String prefix = "." + dest.getFileName() + "." + purpose + "-";
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
            try {
                return Files.createDirectory(dest.resolveSibling(prefix + suffix));
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 100) throw e;
            }
        }
    }

    /** Deletes a tree while another failure is propagating; its own failure is attached, not thrown. */
    private static void deleteTree(Path root, Throwable propagating) {
        try {
            deleteTree(root);
        } catch (IOException | RuntimeException e) {
            propagating.addSuppressed(e);
        }
    }

    /** Deletes a tree without following symbolic links, so a link inside never leads outside it. */
    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) throw failure;
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
