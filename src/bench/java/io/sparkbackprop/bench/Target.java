package io.sparkbackprop.bench;

import java.util.Locale;

/** A bound on a ratio: "&lt;= 0.9" (ours at most 0.9 times the baseline) or "&gt;= 1.7". */
public record Target(boolean atMost, double bound) {

    public static Target atMost(double bound) {
        return new Target(true, bound);
    }

    public static Target atLeast(double bound) {
        return new Target(false, bound);
    }

    public boolean met(double ratio) {
        return atMost ? ratio <= bound : ratio >= bound;
    }

    /** ASCII, so that the table and the CSV read the same on any terminal. */
    public String text() {
        return (atMost ? "<= " : ">= ") + String.format(Locale.ROOT, "%s", bound);
    }

    /** "&lt;= X" or "&gt;= X", X a finite number. */
    public static Target parse(String text) {
        String s = text.trim();
        if (s.startsWith("<=") || s.startsWith(">=")) {
            try {
                double bound = Double.parseDouble(s.substring(2).trim());
                if (Double.isFinite(bound)) return new Target(s.startsWith("<="), bound);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("a target is '<= X' or '>= X' with X a number, got '" + text + "'");
    }
}
