package io.sparkbackprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataReaderTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("DataReaderTest")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    // ---------------------------------------------------------------- CSV

    @Test
    void csvRoundTripsExactValuesInHeaderOrder() throws IOException {
        String path = write("data.csv", "x1,x2,x3,y\n1.5,-2,3e2,0\n0.25,7,-0.125,1\n-1e-3,0,42,2.5\n");

        LabeledData data = DataReader.read(spark, path, DataFormat.CSV, null, 0);

        assertEquals(3, data.numFeatures());
        assertEquals(List.of("x1", "x2", "x3"), data.featureNames());
        assertEquals("y", data.labelName());
        assertEquals(List.of("features", "label"), Arrays.asList(data.frame().columns()));
        assertEquals(LabeledData.schema(), data.frame().schema());
        assertRows(data, new double[][] {{1.5, -2, 300}, {0.25, 7, -0.125}, {-0.001, 0, 42}}, new double[] {0, 1, 2.5});
    }

    @Test
    void csvLabelChosenByNameFromTheMiddleOfTheHeader() throws IOException {
        String path = write("data.csv", "a,b,target,c\n1,2,10,3\n4,5,20,6\n");

        LabeledData data = DataReader.read(spark, path, DataFormat.CSV, "target", 0);

        assertEquals(List.of("a", "b", "c"), data.featureNames());
        assertEquals("target", data.labelName());
        assertRows(data, new double[][] {{1, 2, 3}, {4, 5, 6}}, new double[] {10, 20});
    }

    @Test
    void csvToleratesQuotesSpacesWindowsLineEndsByteOrderMarkAndBlankLines() throws IOException {
        String path = write("excel.csv", "\uFEFF\"x 1\", \"x,2\" ,y\r\n\"1.5\", 2 ,3\r\n\r\n4,5,6\r\n\r\n");

        LabeledData data = DataReader.read(spark, path, DataFormat.CSV, "y", 0);

        assertEquals(List.of("x 1", "x,2"), data.featureNames());
        assertRows(data, new double[][] {{1.5, 2}, {4, 5}}, new double[] {3, 6});
    }

    @Test
    void csvDirectoryOfPartsEachWithTheHeaderSkipsBookkeepingFiles() throws IOException {
        Path parts = Files.createDirectory(dir.resolve("parts"));
        Files.writeString(parts.resolve("part-0.csv"), "u,v\n1,2\n3,4\n");
        Files.writeString(parts.resolve("part-1.csv"), "u,v\n5,6\n");
        Files.writeString(parts.resolve("part-2.csv"), "");
        Files.writeString(parts.resolve("_SUCCESS"), "");
        Files.writeString(parts.resolve(".part-0.csv.crc"), "garbage");

        LabeledData data = DataReader.read(spark, parts.toString(), DataFormat.CSV, null, 0);

        assertEquals(3, data.frame().count());
        assertEquals(12.0, data.frame().agg(functions.sum("label")).first().getDouble(0));
    }

    @Test
    void everyFormatIsReadOnceTheCheckingPassCachesTheRowsUntilReleased() throws IOException {
        String csv = write("once.csv", "a,b,y\n1,2,3\n4,5,6\n");
        String libsvm = write("once.libsvm", "3 1:1 2:2\n6 1:4 2:5\n");
        String parquet = writeParquet(new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType),
                RowFactory.create(Vectors.dense(1, 2), 3.0), RowFactory.create(Vectors.dense(4, 5), 6.0));
        for (String[] input : new String[][] {{csv, "CSV"}, {libsvm, "LIBSVM"}, {parquet, "PARQUET"}}) {
            LabeledData data = DataReader.read(spark, input[0], DataFormat.valueOf(input[1]), null, 2);
            assertEquals(StorageLevel.MEMORY_AND_DISK(), data.frame().storageLevel(), input[1]);
            // With the files gone, the caller's jobs still get every row: they read the cache, not the input.
            deleteRecursively(Path.of(input[0]));
            assertRows(data, new double[][] {{1, 2}, {4, 5}}, new double[] {3, 6});
            assertRows(data, new double[][] {{1, 2}, {4, 5}}, new double[] {3, 6});
            data.release();
            assertEquals(StorageLevel.NONE(), data.frame().storageLevel(), input[1]);
        }
    }

    @Test
    void aFailedReadLeavesNothingCached() throws IOException {
        spark.catalog().clearCache();
        String bad = write("bad-cached.csv", "a,y\n1,2\nx,4\n");
        assertThrows(BadInputException.class, () -> DataReader.read(spark, bad, DataFormat.CSV, null, 0));
        String empty = write("empty-cached.csv", "a,y\n");
        assertThrows(BadInputException.class, () -> DataReader.read(spark, empty, DataFormat.CSV, null, 0));
        assertTrue(spark.sharedState().cacheManager().isEmpty(), "a cache left behind by a failed read");
    }

    private static void deleteRecursively(Path p) throws IOException {
        try (java.util.stream.Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    @Test
    void csvBadCellFarIntoABigFileIsReportedOnItsExactLine() throws IOException {
        // Many small splits, so that the bad line is read by a task that starts mid-file and only knows
        // its byte offset: the line number must still come out right.
        StringBuilder csv = new StringBuilder("x1,x2,x3,y\n");
        int badLine = 1234;
        for (int line = 2; line <= 2000; line++) {
            csv.append(line == badLine ? "0.5,1,oops,1" : line + ".25,1,2,3").append(line % 3 == 0 ? "\r\n" : "\n");
        }
        String path = write("big.csv", csv.toString());
        String key = "mapreduce.input.fileinputformat.split.maxsize";
        spark.sparkContext().hadoopConfiguration().set(key, "2048");
        try {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> DataReader.read(spark, path, DataFormat.CSV, null, 0));
            assertEquals(path + " line " + badLine + ", column 'x3': 'oops' is not a number; every cell below the "
                    + "header must be a number: fix the value or remove the line", e.getMessage());
        } finally {
            spark.sparkContext().hadoopConfiguration().unset(key);
        }
    }

    @Test
    void csvGoodBigFileInManySplitsKeepsEveryRowOnce() throws IOException {
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 1; i <= 3000; i++) csv.append(i).append(',').append(2 * i).append('\n');
        String path = write("many.csv", csv.toString());
        String key = "mapreduce.input.fileinputformat.split.maxsize";
        spark.sparkContext().hadoopConfiguration().set(key, "4096");
        try {
            LabeledData data = DataReader.read(spark, path, DataFormat.CSV, null, 0);
            assertTrue(data.frame().javaRDD().getNumPartitions() > 1, "the file should span several splits");
            assertEquals(3000, data.frame().count());
            assertEquals(3000.0 * 3001, data.frame().agg(functions.sum("label")).first().getDouble(0));
        } finally {
            spark.sparkContext().hadoopConfiguration().unset(key);
        }
    }

    @Test
    void csvMissingFileNamesThePath() {
        String path = dir.resolve("nope.csv").toString();
        BadInputException e = assertThrows(BadInputException.class,
                () -> DataReader.read(spark, path, DataFormat.CSV, null, 0));
        assertEquals("no such file or directory: " + path, e.getMessage());
    }

    @Test
    void csvEmptyFileHasNoDataRows() throws IOException {
        String path = write("empty.csv", "");
        assertMessage("no data rows in " + path, () -> DataReader.read(spark, path, DataFormat.CSV, null, 0));
    }

    @Test
    void csvHeaderOnlyHasNoDataRows() throws IOException {
        String path = write("header.csv", "a,b,y\n\n");
        assertMessage("no data rows in " + path, () -> DataReader.read(spark, path, DataFormat.CSV, null, 0));
    }

    @Test
    void csvNonNumericCellNamesFileLineColumnAndValue() throws IOException {
        StringBuilder csv = new StringBuilder("x1,x2,x3,y\n");
        for (int line = 2; line <= 20; line++) csv.append(line == 17 ? "1,2,abc,0\n" : "1,2,3,0\n");
        String path = write("data.csv", csv.toString());

        BadInputException e = assertThrows(BadInputException.class,
                () -> DataReader.read(spark, path, DataFormat.CSV, null, 0));

        assertTrue(e.getMessage().startsWith(path + " line 17, column 'x3': 'abc' is not a number"), e.getMessage());
        assertFalse(e.getMessage().contains("SparkException") || e.getMessage().contains("stage"), e.getMessage());
    }

    @Test
    void csvEmptyCellIsNotANumber() throws IOException {
        String path = write("gaps.csv", "a,b,y\n1,2,3\n4,,6\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> DataReader.read(spark, path, DataFormat.CSV, null, 0));
        assertTrue(e.getMessage().startsWith(path + " line 3, column 'b': '' (an empty cell) is not a number"),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "nan", "Infinity", "-Infinity", "inf", "-inf", "+INF"})
    void csvNonFiniteFeatureNamesLineColumnAndValue(String value) throws IOException {
        String path = write("nonfinite.csv", "a,b,y\n1,2,3\n4,5,6\n7," + value + ",9\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> DataReader.read(spark, path, DataFormat.CSV, null, 0));
        assertTrue(e.getMessage().startsWith(path + " line 4, column 'b': '" + value + "' is not a finite number"),
                e.getMessage());
    }

    @Test
    void csvNonFiniteLabelNamesLineColumnAndValue() throws IOException {
        String path = write("label.csv", "a,b,y\n1,2,NaN\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> DataReader.read(spark, path, DataFormat.CSV, null, 0));
        assertTrue(e.getMessage().startsWith(path + " line 2, column 'y': 'NaN' is not a finite number"), e.getMessage());
    }

    @Test
    void csvOverflowingNumberIsNotFinite() throws IOException {
        String path = write("huge.csv", "a,y\n1e999,1\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> DataReader.read(spark, path, DataFormat.CSV, null, 0));
        assertTrue(e.getMessage().startsWith(path + " line 2, column 'a': '1e999' is too large"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"1,2,3|3", "1,2,3,4,5|5", "1,2,3,4,|5"})
    void csvRowWidthDifferentFromTheHeaderNamesLineAndCounts(String row, int found) throws IOException {
        String path = write("width.csv", "a,b,c,y\n1,2,3,4\n" + row + "\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> DataReader.read(spark, path, DataFormat.CSV, null, 0));
        assertEquals(path + " line 3: expected 4 cells, as many as the header has, found " + found
                + "; look for a missing or an extra comma", e.getMessage());
    }

    @Test
    void csvUnknownLabelListsTheColumns() throws IOException {
        String path = write("data.csv", "x1,x2,x3,y\n1,2,3,4\n");
        assertMessage("label column 'target' is not in the header of " + path + "; its columns are: x1, x2, x3, y (--label names the label column)",
                () -> DataReader.read(spark, path, DataFormat.CSV, "target", 0));
    }

    @Test
    void csvFileWithoutHeaderIsRecognised() throws IOException {
        String path = write("noheader.csv", "1,2,3\n4,5,6\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> DataReader.read(spark, path, DataFormat.CSV, null, 0));
        assertTrue(e.getMessage().startsWith(path + " line 1 looks like data, not a header ('1,2,3')"), e.getMessage());
    }

    @Test
    void csvUnnamedIndexColumnIsRejected() throws IOException {
        String path = write("pandas.csv", ",a,y\n0,1,2\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> DataReader.read(spark, path, DataFormat.CSV, null, 0));
        assertTrue(e.getMessage().startsWith(path + " line 1: column 1 of the header has no name"), e.getMessage());
    }

    @Test
    void csvPartWithADifferentHeaderIsNamed() throws IOException {
        Path parts = Files.createDirectory(dir.resolve("parts"));
        Files.writeString(parts.resolve("part-0.csv"), "u,v\n1,2\n");
        Path second = parts.resolve("part-1.csv");
        Files.writeString(second, "u,w\n5,6\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> DataReader.read(spark, parts.toString(), DataFormat.CSV, null, 0));
        assertTrue(e.getMessage().startsWith(second + " line 1: expected the header 'u,v'"), e.getMessage());
    }

    @Test
    void csvWrongExpectedFeatureCount() throws IOException {
        String path = write("data.csv", "a,b,y\n1,2,3\n");
        assertMessage(path + " has 2 feature columns (y is the label) where 5 were expected",
                () -> DataReader.read(spark, path, DataFormat.CSV, null, 5));
    }

    @Test
    void csvCallerJobFailureCanBeUnwrappedToTheLocatedMessage() throws IOException {
        String path = write("later.csv", "a,y\n1,2\n3,4\nx,5\n");
        long offsetOfLine4 = "a,y\n1,2\n3,4\n".length();
        Exception wrapped = new SparkException("Job aborted due to stage failure",
                new LocatedInputError("file:" + path, offsetOfLine4, ", column 'a': 'x' is not a number"));

        BadInputException e = BadInputException.foundIn(wrapped).orElseThrow();

        assertEquals(path + " line 4, column 'a': 'x' is not a number", e.getMessage());
        assertTrue(BadInputException.foundIn(new RuntimeException("unrelated")).isEmpty());
    }

    @Test
    void csvFileSpoiledAfterReadingFailsTheCallersJobWithAnUnwrappableMessage() throws IOException {
        String path = write("spoiled.csv", "a,y\n1,2\n3,4\n");
        LabeledData data = DataReader.read(spark, path, DataFormat.CSV, null, 0);
        write("spoiled.csv", "a,y\n1,2\nx,4\n");
        // Released (or evicted, or lost with an executor), the rows are read from the file again.
        data.release();

        Exception failure = assertThrows(Exception.class, () -> data.frame().collectAsList());

        assertEquals(path + " line 3, column 'a': 'x' is not a number; every cell below the header must be a number: "
                + "fix the value or remove the line", BadInputException.foundIn(failure).orElseThrow().getMessage());
    }

    // ---------------------------------------------------------------- LIBSVM

    @Test
    void libsvmRoundTripsToSparseVectorsWithGivenSize() throws IOException {
        String path = write("data.libsvm", "1 1:0.5 3:2\n0 2:-1.25\n# a comment\n\n2.5 4:7\n");

        LabeledData data = DataReader.read(spark, path, DataFormat.LIBSVM, null, 5);

        assertEquals(5, data.numFeatures());
        assertEquals(List.of("f0", "f1", "f2", "f3", "f4"), data.featureNames());
        assertEquals("label", data.labelName());
        assertEquals(List.of("features", "label"), Arrays.asList(data.frame().columns()));
        assertRows(data, new double[][] {{0.5, 0, 2, 0, 0}, {0, -1.25, 0, 0, 0}, {0, 0, 0, 7, 0}},
                new double[] {1, 0, 2.5});
        // Sparse as read: a 2^18-wide hashed file is never made dense.
        for (Row r : data.frame().collectAsList()) assertInstanceOf(org.apache.spark.ml.linalg.SparseVector.class, r.getAs("features"));
    }

    @Test
    void libsvmInfersTheSizeFromTheLargestIndex() throws IOException {
        String path = write("data.svm", "1 1:0.5 3:2\n0 2:-1.25\n");
        LabeledData data = DataReader.read(spark, path, null, null, 0);
        assertEquals(3, data.numFeatures());
        assertRows(data, new double[][] {{0.5, 0, 2}, {0, -1.25, 0}}, new double[] {1, 0});
    }

    @Test
    void libsvmMissingFileNamesThePath() {
        String path = dir.resolve("nope.libsvm").toString();
        assertMessage("no such file or directory: " + path, () -> DataReader.read(spark, path, DataFormat.LIBSVM, null, 0));
    }

    @Test
    void libsvmEmptyFileHasNoDataRows() throws IOException {
        String path = write("empty.libsvm", "# only a comment\n");
        assertMessage("no data rows in " + path, () -> DataReader.read(spark, path, DataFormat.LIBSVM, null, 0));
        assertMessage("no data rows in " + path, () -> DataReader.read(spark, path, DataFormat.LIBSVM, null, 3));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1 2:1 1:3|the index 1 does not follow 2",
        "1 1:abc|the value of index 1 'abc' is not a number",
        "1 x:2|the index 'x' is not a whole number",
        "1 0:2|the index 0 is below 1",
        "1 3|'3' is not an index:value pair",
        "yes 1:2|the label 'yes' is not a number",
        "1 1:NaN|the value of index 1 'NaN' is not a finite number",
        "1\t1:2|the line holds a tab"})
    void libsvmMalformedLineNamesFileAndLine(String badLine, String problem) throws IOException {
        String path = write("bad.libsvm", "1 1:1 2:2\n0 2:3\n" + badLine + "\n1 1:1\n");
        for (int numFeatures : new int[] {0, 4}) {
            BadInputException e = assertThrows(BadInputException.class,
                    () -> DataReader.read(spark, path, DataFormat.LIBSVM, null, numFeatures));
            assertTrue(e.getMessage().startsWith(path + " line 3: "), e.getMessage());
            assertTrue(e.getMessage().contains(problem), e.getMessage());
        }
    }

    @Test
    void libsvmIndexBeyondTheGivenSize() throws IOException {
        String path = write("wide.libsvm", "1 1:1\n0 9:3\n");
        BadInputException e = assertThrows(BadInputException.class,
                () -> DataReader.read(spark, path, DataFormat.LIBSVM, null, 4));
        assertTrue(e.getMessage().startsWith(path + " line 2: in '9:3', the index 9 is beyond the 4 features expected"),
                e.getMessage());
    }

    // ---------------------------------------------------------------- --drop-invalid

    @Test
    void dropInvalidSkipsNonFiniteRowsInEveryFormat() throws IOException {
        String csv = write("nan.csv", "a,b,y\n1,2,3\nNaN,2,3\n4,5,inf\n6,7,8\n4,1e999,0\n");
        assertRows(DataReader.read(spark, csv, DataFormat.CSV, null, 0, true), new double[][] {{1, 2}, {6, 7}}, new double[] {3, 8});

        String libsvm = write("nan.libsvm", "1 1:0.5\n2 1:NaN\nNaN 1:1\n3 2:4\n");
        assertRows(DataReader.read(spark, libsvm, DataFormat.LIBSVM, null, 2, true), new double[][] {{0.5, 0}, {0, 4}},
                new double[] {1, 3});

        String parquet = dir.resolve("nan.parquet").toString();
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
        spark.createDataFrame(List.of(
                        RowFactory.create(Vectors.dense(1, 2), 1.0),
                        RowFactory.create(Vectors.dense(Double.POSITIVE_INFINITY, 2), 1.0),
                        RowFactory.create(Vectors.dense(3, 4), Double.NaN),
                        RowFactory.create(Vectors.dense(5, 6), 0.0)), schema)
                .coalesce(1).write().parquet(parquet);
        assertRows(DataReader.read(spark, parquet, DataFormat.PARQUET, null, 0, true), new double[][] {{1, 2}, {5, 6}},
                new double[] {1, 0});
    }

    // ---------------------------------------------------------------- Parquet

    @Test
    void parquetRoundTripsWithDefaultLabel() {
        String path = dir.resolve("data.parquet").toString();
        StructType schema = new StructType()
                .add("features", SQLDataTypes.VectorType())
                .add("label", DataTypes.IntegerType);
        spark.createDataFrame(List.of(
                        RowFactory.create(Vectors.dense(1, 2, 3), 1),
                        RowFactory.create(Vectors.sparse(3, new int[] {1}, new double[] {-4}), 0)), schema)
                .coalesce(1).write().parquet(path);

        LabeledData data = DataReader.read(spark, path, DataFormat.PARQUET, null, 0);

        assertEquals(3, data.numFeatures());
        assertEquals(List.of("f0", "f1", "f2"), data.featureNames());
        assertEquals("label", data.labelName());
        assertEquals(LabeledData.schema(), data.frame().schema());
        assertRows(data, new double[][] {{1, 2, 3}, {0, -4, 0}}, new double[] {1, 0});
    }

    @Test
    void parquetLabelByNameAmongOtherColumns() {
        String path = dir.resolve("named").toString();
        StructType schema = new StructType()
                .add("id", DataTypes.StringType)
                .add("features", SQLDataTypes.VectorType())
                .add("price", DataTypes.DoubleType);
        spark.createDataFrame(List.of(RowFactory.create("a", Vectors.dense(0.5, -0.5), 9.75)), schema)
                .coalesce(1).write().parquet(path);

        LabeledData data = DataReader.read(spark, path, null, "price", 0);

        assertEquals("price", data.labelName());
        assertRows(data, new double[][] {{0.5, -0.5}}, new double[] {9.75});
    }

    @Test
    void parquetWithoutRowsHasNoDataRows() {
        String path = writeParquet(new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType));
        assertMessage("no data rows in " + path, () -> DataReader.read(spark, path, DataFormat.PARQUET, null, 0));
    }

    @Test
    void parquetMissingPathNamesIt() {
        String path = dir.resolve("nope.parquet").toString();
        assertMessage("no such file or directory: " + path, () -> DataReader.read(spark, path, DataFormat.PARQUET, null, 0));
    }

    @Test
    void parquetFeaturesOfTheWrongTypeNameColumnTypeAndColumns() {
        String path = writeParquet(new StructType().add("features", DataTypes.StringType).add("label", DataTypes.DoubleType),
                RowFactory.create("1,2", 1.0));
        BadInputException e = assertThrows(BadInputException.class,
                () -> DataReader.read(spark, path, DataFormat.PARQUET, null, 0));
        assertTrue(e.getMessage().startsWith(path + ": column 'features' has type string where a Spark ML vector column"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("the columns are: features (string), label (double)"), e.getMessage());
    }

    @Test
    void parquetMissingLabelNamesItAndTheColumns() {
        String path = writeParquet(new StructType().add("features", SQLDataTypes.VectorType()).add("y", DataTypes.DoubleType),
                RowFactory.create(Vectors.dense(1), 1.0));
        assertMessage(path + ": there is no column 'label' where a numeric column is needed; the columns are: "
                        + "features (vector), y (double)",
                () -> DataReader.read(spark, path, DataFormat.PARQUET, null, 0));
    }

    @Test
    void parquetNonNumericLabelNamesItsType() {
        String path = writeParquet(new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.StringType),
                RowFactory.create(Vectors.dense(1), "cat"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> DataReader.read(spark, path, DataFormat.PARQUET, null, 0));
        assertTrue(e.getMessage().startsWith(path + ": column 'label' has type string where a numeric column is needed"),
                e.getMessage());
    }

    @Test
    void parquetVectorsOfDifferentSizesAndNaNLabelsAreCaught() {
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
        String sizes = writeParquet(schema, RowFactory.create(Vectors.dense(1, 2), 1.0), RowFactory.create(Vectors.dense(3), 0.0));
        BadInputException e = assertThrows(BadInputException.class,
                () -> DataReader.read(spark, sizes, DataFormat.PARQUET, null, 0));
        assertTrue(e.getMessage().contains("column 'features' has a vector of size 1 where 2 features are expected"),
                e.getMessage());

        String nan = writeParquet(schema, RowFactory.create(Vectors.dense(1, 2), Double.NaN));
        e = assertThrows(BadInputException.class, () -> DataReader.read(spark, nan, DataFormat.PARQUET, null, 0));
        assertTrue(e.getMessage().startsWith(nan + ": label column 'label' has the value NaN"), e.getMessage());
    }

    // ---------------------------------------------------------------- format detection

    @ParameterizedTest
    @CsvSource({"a/data.csv,CSV", "DATA.CSV,CSV", "x.libsvm,LIBSVM", "x.svm,LIBSVM", "x.txt,LIBSVM",
        "x.parquet,PARQUET", "out.parquet/,PARQUET"})
    void formatFromExtension(String path, DataFormat expected) {
        assertEquals(expected, DataFormat.detect(path, null));
    }

    @ParameterizedTest
    @CsvSource({"a/data.csv.gz,CSV", "DATA.CSV.BZ2,CSV", "x.libsvm.gz,LIBSVM", "x.txt.bz2,LIBSVM", "part-0.snappy.parquet,PARQUET"})
    void formatFromExtensionBeforeACompressionSuffix(String path, DataFormat expected) {
        assertEquals(expected, DataFormat.detect(path, null));
    }

    /** Gzip and bzip2 files, as Spark's own readers take them: the rows decompressed, the header and a bad line located. */
    @ParameterizedTest
    @CsvSource({"gz", "bz2"})
    void compressedCsvReadsLikeThePlainFileAndLocatesABadLine(String codec) throws IOException {
        String csv = "x1,x2,y\n1,2,3\n4,5,6\n";
        String path = compressed("rows.csv." + codec, csv, codec);
        LabeledData data = DataReader.read(spark, path, DataFormat.detect(path, null), null, 0);
        assertEquals(List.of("x1", "x2"), data.featureNames());
        assertRows(data, new double[][] {{1, 2}, {4, 5}}, new double[] {3, 6});
        data.release();

        String bad = compressed("bad.csv." + codec, csv + "7,oops,9\n", codec);
        BadInputException e = assertThrows(BadInputException.class, () -> DataReader.read(spark, bad, DataFormat.detect(bad, null), null, 0));
        assertEquals(bad + " line 4, column 'x2': 'oops' is not a number; every cell below the header must be a number: fix the value"
                + " or remove the line", e.getMessage());
    }

    @Test
    void compressedLibsvmReadsAndLocatesABadLine() throws IOException {
        String path = compressed("rows.libsvm.gz", "1 1:0.5 3:2\n0 2:1\n", "gz");
        LabeledData data = DataReader.read(spark, path, DataFormat.detect(path, null), null, 3);
        assertRows(data, new double[][] {{0.5, 0, 2}, {0, 1, 0}}, new double[] {1, 0});
        data.release();
        String bad = compressed("bad.libsvm.gz", "1 1:0.5\n0 3:1 2:1\n", "gz");
        BadInputException e = assertThrows(BadInputException.class, () -> DataReader.read(spark, bad, DataFormat.detect(bad, null), null, 3));
        assertTrue(e.getMessage().startsWith(bad + " line 2: "), e.getMessage());
    }

    /** Directories as Spark writes them (part files beside _SUCCESS and .crc files), detected from the parts, compressed or not. */
    @Test
    void directoriesSparkWroteAreDetectedFromTheirParts() {
        StructType schema = new StructType().add("x1", DataTypes.DoubleType).add("y", DataTypes.DoubleType);
        Dataset<Row> rows = spark.createDataFrame(List.of(RowFactory.create(1.0, 2.0), RowFactory.create(3.0, 4.0), RowFactory.create(5.0, 6.0)),
                schema).repartition(2);
        String plain = dir.resolve("csv-parts").toString();
        rows.write().option("header", true).csv(plain);
        String gz = dir.resolve("csv-gz-parts").toString();
        rows.write().option("header", true).option("compression", "gzip").csv(gz);
        String parquet = dir.resolve("parquet-parts").toString();
        rows.write().parquet(parquet);
        for (String path : List.of(plain, gz)) {
            assertTrue(new java.io.File(path, "_SUCCESS").exists(), path);
            assertEquals(DataFormat.CSV, DataFormat.detect(path, null), path);
            LabeledData data = DataReader.read(spark, path, DataFormat.detect(path, null), "y", 0);
            assertEquals(12.0, data.frame().agg(functions.sum("label")).first().getDouble(0), path);
            data.release();
        }
        assertEquals(DataFormat.PARQUET, DataFormat.detect(parquet, null));
    }

    @Test
    void aDirectoryOfPartsOfTwoFormatsIsRefusedNamingThem() throws IOException {
        Path mixed = Files.createDirectory(dir.resolve("mixed"));
        Files.writeString(mixed.resolve("part-0.csv"), "u,v\n1,2\n");
        Files.writeString(mixed.resolve("part-1.libsvm"), "1 1:2\n");
        assertMessage(mixed + " holds files of more than one format (csv: part-0.csv, libsvm: part-1.libsvm); keep one format a directory,"
                + " or give it with --format csv, --format libsvm, --format parquet", () -> DataFormat.detect(mixed.toString(), null));
    }

    /** A model's training columns selected by name, in their order, from a file that holds them among others. */
    @Test
    void csvFeaturesByNameInTrainingOrderOthersIgnored() throws IOException {
        String path = write("named.csv", "note,x2,y,x1\nabc,2,3,1\nxyz,5,6,4\n");
        LabeledData data = DataReader.read(spark, path, DataFormat.CSV, "y", List.of("x1", "x2"), 2, false);
        assertEquals(List.of("x1", "x2"), data.featureNames());
        assertRows(data, new double[][] {{1, 2}, {4, 5}}, new double[] {3, 6});
        data.release();
        assertMessage(path + " lacks the feature column 'x0' the model was trained on (its features, in order: x0, x1, x2; label: y); its columns:"
                + " note, x2, y, x1; give a file with every one of them (other columns are ignored)",
                () -> DataReader.read(spark, path, DataFormat.CSV, "y", List.of("x0", "x1", "x2"), 3, false));
    }

    private String compressed(String name, String content, String codec) throws IOException {
        Path file = dir.resolve(name);
        try (java.io.OutputStream raw = Files.newOutputStream(file);
             java.io.OutputStream out = codec.equals("gz") ? new java.util.zip.GZIPOutputStream(raw)
                     : new org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream(raw)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return file.toString();
    }

    @Test
    void explicitFormatWinsAndIgnoresCase() {
        assertEquals(DataFormat.PARQUET, DataFormat.detect("x.csv", "parquet"));
        assertEquals(DataFormat.LIBSVM, DataFormat.detect("x.csv", "LibSVM"));
    }

    @Test
    void directoryOfParquetPartsIsParquet() {
        String path = writeParquet(new StructType().add("label", DataTypes.DoubleType), RowFactory.create(1.0));
        assertEquals(DataFormat.PARQUET, DataFormat.detect(path, null));
    }

    @Test
    void unknownExtensionNamesThePathAndTheChoices() throws IOException {
        String path = write("data.json", "{}");
        BadInputException e = assertThrows(BadInputException.class, () -> DataFormat.detect(path, null));
        assertTrue(e.getMessage().contains(path), e.getMessage());
        assertTrue(e.getMessage().endsWith("give it with --format csv, --format libsvm, --format parquet"), e.getMessage());

        Path emptyDir = Files.createDirectory(dir.resolve("nothing-here"));
        Files.writeString(emptyDir.resolve("_SUCCESS"), "");
        assertMessage(emptyDir + " is a directory without data files (only bookkeeping such as _SUCCESS, or nothing): nothing to read",
                () -> DataFormat.detect(emptyDir.toString(), null));
    }

    @Test
    void unknownExplicitFormatListsTheChoices() {
        assertMessage("unknown format 'json': use --format csv, --format libsvm, --format parquet",
                () -> DataFormat.detect("x.csv", "json"));
    }

    @Test
    void undetectableMissingPathSaysItIsMissing() {
        String path = dir.resolve("nothing").toString();
        assertMessage("no such file or directory: " + path, () -> DataFormat.detect(path, null));
    }

    // ---------------------------------------------------------------- helpers

    private String write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
        return file.toString();
    }

    private int parquetCount;

    private String writeParquet(StructType schema, Row... rows) {
        String path = dir.resolve("table" + parquetCount++).toString();
        spark.createDataFrame(List.of(rows), schema).coalesce(1).write().parquet(path);
        return path;
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable read) {
        assertEquals(expected, assertThrows(BadInputException.class, read).getMessage());
    }

    /** Rows in file order: every file here is small enough to be one partition. */
    private static void assertRows(LabeledData data, double[][] features, double[] labels) {
        Dataset<Row> frame = data.frame();
        List<Row> rows = frame.collectAsList();
        assertEquals(labels.length, rows.size());
        List<double[]> actualFeatures = new ArrayList<>();
        double[] actualLabels = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Vector v = rows.get(i).getAs("features");
            // CSV rows are dense; LIBSVM rows stay sparse, Parquet rows as stored.
            assertEquals(data.numFeatures(), v.size());
            actualFeatures.add(v.toArray());
            actualLabels[i] = rows.get(i).getDouble(1);
        }
        for (int i = 0; i < features.length; i++) assertArrayEquals(features[i], actualFeatures.get(i), 0.0, "row " + i);
        assertArrayEquals(labels, actualLabels, 0.0);
    }
}
