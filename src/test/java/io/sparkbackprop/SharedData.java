package io.sparkbackprop;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The old name of {@link TestDatasets}, kept only so that the bench tests (being moved on another branch)
 * compile until they are merged; it reads the same repository folder, never ../shared.
 *
 * @deprecated use {@link TestDatasets}
 */
@Deprecated
public final class SharedData {
    private SharedData() {
    }

    /** @deprecated use {@link TestDatasets.Mnist} */
    @Deprecated
    public record Mnist(double[][] images, int[] labels) {
    }

    public static Path file(String name) {
        return TestDatasets.file(name);
    }

    public static Mnist mnist() throws IOException {
        TestDatasets.Mnist m = TestDatasets.mnist();
        return new Mnist(m.images(), m.labels());
    }
}
