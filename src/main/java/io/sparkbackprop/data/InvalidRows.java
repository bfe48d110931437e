package io.sparkbackprop.data;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What --drop-invalid does: rows with NaN or infinite features or labels are skipped, and counted in the log. */
final class InvalidRows {
    private static final Logger LOG = LoggerFactory.getLogger(InvalidRows.class);

    private InvalidRows() {
    }

    /** The checked columns turn an invalid row's value into null; those rows go. */
    static Dataset<Row> dropNulls(Dataset<Row> checked) {
        return checked.where(checked.col(LabeledData.FEATURES).isNotNull().and(checked.col(LabeledData.LABEL).isNotNull()));
    }

    static void report(String path, long dropped) {
        if (dropped > 0) {
            LOG.warn("{}: dropped {} row(s) with NaN or infinite values (--drop-invalid)", path, dropped);
        } else {
            LOG.info("{}: no rows with NaN or infinite values", path);
        }
    }
}
