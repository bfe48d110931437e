package io.sparkbackprop.bench;

import io.sparkbackprop.data.Block;
import io.sparkbackprop.nn.Backprop;
import io.sparkbackprop.nn.Topology;
import io.sparkbackprop.nn.Workspace;
import io.sparkbackprop.train.TrainingSet;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/** Classification accuracy of weights on a cached set: one job, the largest logit against the class label. */
final class Accuracy {
    private Accuracy() {
    }

    static double of(JavaSparkContext sc, TrainingSet data, Topology t, double[] w, int chunk) {
        Broadcast<double[]> bw = sc.broadcast(w.clone());
        try {
            long[] counts = data.blocks().mapPartitions(it -> {
                Workspace ws = Workspace.forThread(t, chunk);
                int k = t.outputSize();
                long correct = 0;
                long total = 0;
                while (it.hasNext()) {
                    Block b = it.next();
                    if (b.rows() == 0) continue;
                    double[] logits = new double[k * b.rows()];
                    new Backprop(bw.value(), ws).logits(b.features(), 0, b.rows(), logits, 0);
                    for (int j = 0; j < b.rows(); j++) {
                        if (argmax(logits, j * k, k) == (int) b.labels()[j]) correct++;
                    }
                    total += b.rows();
                }
                return List.of(new long[] {correct, total}).iterator();
            }).reduce((a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            return (double) counts[0] / counts[1];
        } finally {
            bw.destroy();
        }
    }

    static int argmax(double[] v, int off, int k) {
        int best = 0;
        for (int r = 1; r < k; r++) {
            if (v[off + r] > v[off + best]) best = r;
        }
        return best;
    }
}
