package io.sparkbackprop.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparkbackprop.data.Block;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;

/**
 * conf/spark-defaults.conf registers with Kryo every class training ships between JVMs. With
 * registrationRequired, Kryo refuses any class missing from the list, so these round trips fail the day a
 * shipped class is not registered. (ClusterIT runs a whole training on a cluster the same way.)
 */
class KryoRegistrationTest {

    private static SerializerInstance kryoFromConf() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("conf/spark-defaults.conf"))) {
            p.load(r);
        }
        assertEquals("org.apache.spark.serializer.KryoSerializer", p.getProperty("spark.serializer"));
        SparkConf conf = new SparkConf(false);
        for (String k : p.stringPropertyNames()) conf.set(k, p.getProperty(k));
        conf.set("spark.kryo.registrationRequired", "true");
        return new KryoSerializer(conf).newInstance();
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(SerializerInstance ser, T value) {
        ClassTag<T> tag = (ClassTag<T>) scala.reflect.ClassTag$.MODULE$.apply(value.getClass());
        return ser.deserialize(ser.serialize(value, tag), tag);
    }

    @Test
    void aGradientSumSurvivesKryoAndStillAddsUpInTreeOrder() throws IOException {
        SerializerInstance ser = kryoFromConf();
        // Partitions 0 and 2 of 3 arrive first; 1 comes after the trip, as in a treeAggregate across JVMs.
        TreeSum partial = TreeSum.leaf(3, 0, new double[] {1, 2}).merge(TreeSum.leaf(3, 2, new double[] {100, 200}));
        TreeSum back = roundTrip(ser, partial);
        double[] total = back.merge(roundTrip(ser, TreeSum.leaf(3, 1, new double[] {10, 20}))).total();
        assertArrayEquals(new double[] {111, 222}, total);
        // treeAggregate copies its (empty) zero value through the serializer too.
        TreeSum zero = roundTrip(ser, new TreeSum(2));
        assertArrayEquals(new double[] {5, 7}, zero.merge(TreeSum.leaf(2, 1, new double[] {4, 4}))
                .merge(TreeSum.leaf(2, 0, new double[] {1, 3})).total());
    }

    @Test
    void aDataBlockSurvivesKryo() throws IOException {
        Block b = new Block(2, 3, 1, new double[] {1, 2, 3, 4, 5, 6}, new double[] {-1, 0.5});
        Block back = roundTrip(kryoFromConf(), b);
        assertEquals(2, back.rows());
        assertEquals(3, back.numFeatures());
        assertEquals(1, back.labelWidth());
        assertArrayEquals(b.features(), back.features());
        assertArrayEquals(b.labels(), back.labels());
        // A float run's block (cached, and spilled to disk, through the same serializer) keeps its float features.
        Block single = roundTrip(kryoFromConf(), b.inSingle());
        assertEquals(true, single.single());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, single.singleFeatures());
        assertArrayEquals(b.labels(), single.labels());
    }

    /**
     * predict and evaluate broadcast a Network, which Kryo serializes without registration (as the conf runs it): its
     * topology's layers, activations and loss, the weights and the scaling must all come back.
     */
    @Test
    void aNetworkSurvivesKryoAsABroadcastShipsIt() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("conf/spark-defaults.conf"))) {
            p.load(r);
        }
        SparkConf conf = new SparkConf(false);
        for (String k : p.stringPropertyNames()) conf.set(k, p.getProperty(k));
        SerializerInstance ser = new KryoSerializer(conf).newInstance();
        io.sparkbackprop.nn.Topology t = io.sparkbackprop.nn.Topology.input(3).layer(4, io.sparkbackprop.nn.Activation.TANH)
                .output(2, io.sparkbackprop.nn.Loss.CROSS_ENTROPY);
        double[] w = io.sparkbackprop.nn.Initializer.XAVIER.initialize(t, 1);
        io.sparkbackprop.nn.Scaling s = new io.sparkbackprop.nn.Scaling(new double[] {1, 2, 3}, new double[] {2, 2, 2}, null, null);
        io.sparkbackprop.nn.Network net = new io.sparkbackprop.nn.Network(t, w, s);
        io.sparkbackprop.nn.Network back = roundTrip(ser, net);
        assertEquals(t, back.topology());
        assertEquals(t.layer(1).toString(), back.topology().layer(1).toString());
        assertArrayEquals(w, back.weights());
        assertArrayEquals(net.predict(new double[] {0.5, -1, 2}), back.predict(new double[] {0.5, -1, 2}), 0.0);
    }

    /** A sparse block (cached and spilled through Kryo) and a sparse step's result and patch (Kryo, and Java's packed form). */
    @Test
    void sparseBlocksStepSumsAndPatchesSurviveKryoAndJavaSerialization() throws Exception {
        SerializerInstance ser = kryoFromConf();
        io.sparkbackprop.nn.SparseRows x = io.sparkbackprop.nn.SparseRows.of(5, new int[] {0, 2, 3}, new int[] {1, 4, 0},
                new double[] {0.5, -2, 3});
        Block b = Block.sparse(x, 1, new double[] {1, 0}, null);
        for (Block block : new Block[] {b, b.inSingle()}) {
            Block back = roundTrip(ser, block);
            assertEquals(true, back.isSparse());
            assertEquals(block.single(), back.single());
            assertEquals(3, back.sparseFeatures().nonzeros());
            double[] row = new double[5];
            back.sparseFeatures().scatterRow(0, row, 0);
            assertArrayEquals(new double[] {0, 0.5, 0, 0, -2}, row);
        }
        // Layer of o = 2 over 5 inputs: column 3 summed as (1, 2); one sparse row (0.5 at 1, 2 at 3) with δ = (10, 20).
        // The standardizer broadcasts its scaling to the map that scales the blocks.
        io.sparkbackprop.nn.Scaling scaling = roundTrip(ser, new io.sparkbackprop.nn.Scaling(new double[] {1, 2}, new double[] {3, 4}, null, null));
        assertArrayEquals(new double[] {3, 4}, scaling.featureStd());
        ColumnSums sums = new ColumnSums(new int[] {3}, new double[] {1, 2}, new int[] {0, 2}, new int[] {1, 3}, new double[] {0.5, 2},
                new double[] {10, 20}, new double[] {5, 6}, 7.5, 2);
        WeightPatch patch = new WeightPatch(new int[] {1}, new double[] {8, 9}, new double[] {10});
        for (int trip = 0; trip < 2; trip++) {
            ColumnSums s = trip == 0 ? roundTrip(ser, sums) : javaRoundTrip(sums);
            double[] g = new double[10];
            boolean[] touched = new boolean[5];
            s.addFirstLayerInto(g, touched, 2);
            assertArrayEquals(new double[] {0, 0, 5, 10, 0, 0, 1 + 20, 2 + 40, 0, 0}, g);
            assertArrayEquals(new boolean[] {false, true, false, true, false}, touched);
            assertArrayEquals(sums.rest, s.rest);
            assertEquals(7.5, s.lossSum);
            assertEquals(2, s.rows);
            WeightPatch p = trip == 0 ? roundTrip(ser, patch) : javaRoundTrip(patch);
            double[] w = new double[7];
            p.applyTo(w);
            assertArrayEquals(new double[] {0, 0, 8, 9, 0, 0, 10}, w);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T javaRoundTrip(T value) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
