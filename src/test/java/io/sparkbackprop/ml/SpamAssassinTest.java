package io.sparkbackprop.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkbackprop.SparkTestSession;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.Tokenizer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark's standard text pipeline on real mail (src/test/data/spam-assassin.jsonl.gz, the SpamAssassin public corpus):
 * Tokenizer → HashingTF (its default 2^18 features, sparse) → IDF → our classifier with every Param at its default but
 * the seed, against Spark's LogisticRegression on the same seeded split, both scored by Spark's evaluator. The rows
 * are never made dense: one block of them dense would be 4,096 × 2^18 doubles, 8.6 GB, in this 4 GB test JVM.
 * Fit times are printed, not asserted (the bench and README compare speed).
 */
class SpamAssassinTest {
    private static SparkSession spark;
    private static Dataset<Row> train;
    private static Dataset<Row> test;

    @BeforeAll
    static void start() {
        spark = SparkTestSession.start("SpamAssassinTest");
        Dataset<Row>[] split = spark.read().json("src/test/data/spam-assassin.jsonl.gz").randomSplit(new double[] {0.8, 0.2}, 42);
        train = split[0].cache();
        test = split[1].cache();
        assertEquals(6046, train.count() + test.count());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static PipelineStage[] textThen(PipelineStage classifier) {
        return new PipelineStage[] {new Tokenizer().setInputCol("text").setOutputCol("words"),
            new HashingTF().setInputCol("words").setOutputCol("tf"), new IDF().setInputCol("tf").setOutputCol("features"), classifier};
    }

    /** {accuracy on the held-out mail, fit seconds}. */
    private static double[] fitAndScore(PipelineStage classifier) {
        long start = System.nanoTime();
        PipelineModel model = new Pipeline().setStages(textThen(classifier)).fit(train);
        double seconds = (System.nanoTime() - start) / 1e9;
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(test));
        return new double[] {accuracy, seconds};
    }

    @Test
    void theDefaultClassifierOnHashedTfIdfIsAtLeastAsAccurateAsLogisticRegression() {
        double[] lr = fitAndScore(new LogisticRegression());
        double[] ours = fitAndScore(new NeuralNetClassifier().setSeed(1L));
        System.out.printf("SpamAssassin, HashingTF 2^18 + IDF, %d train / %d test mails: NeuralNetClassifier (defaults, seed 1) accuracy "
                + "%.4f, fit %.1f s; LogisticRegression accuracy %.4f, fit %.1f s; fit time ratio %.2f%n", train.count(), test.count(),
                ours[0], ours[1], lr[0], lr[1], ours[1] / lr[1]);
        assertTrue(lr[0] > 0.97, "LogisticRegression's accuracy " + lr[0]);
        assertTrue(ours[0] >= lr[0], "accuracy " + ours[0] + " below LogisticRegression's " + lr[0]);
    }
}
