package io.sparkbackprop.bench;

/**
 * One measured comparison: our figure beside its baseline from the same run, their ratio
 * (ours / baseline) and, when there is one, the target the ratio must meet.
 *
 * @param key      the figure's key in the targets' configuration ({@link Targets}); empty when unknown (an older file)
 * @param unit     the unit of ours and baseline (both in the same one)
 * @param ours     NaN when not measured
 * @param baseline NaN when not measured (or when there is none, e.g. a system that never got there)
 * @param target   null for figures reported without a target (verdict INFO; the baseline and ratio may be missing)
 * @param note     how it was measured, or why it missed and what would address it; may be empty
 */
public record Figure(String section, String key, String metric, String unit, double ours, double baseline, double ratio,
                     Target target, Verdict verdict, String note) {

    public enum Verdict {
        PASS, MISS, INFO, NOT_MEASURED
    }

    /** ratio = ours / baseline, judged against the target. */
    public static Figure of(String section, String key, String metric, String unit, double ours, double baseline, Target target,
                            String note) {
        return withRatio(section, key, metric, unit, ours, baseline, ours / baseline, target, note);
    }

    /** A ratio worked out otherwise (e.g. against a bound when the baseline never finished). */
    public static Figure withRatio(String section, String key, String metric, String unit, double ours, double baseline, double ratio,
                                   Target target, String note) {
        Verdict v;
        if (target == null) v = Double.isFinite(ours) ? Verdict.INFO : Verdict.NOT_MEASURED;
        else if (!Double.isFinite(ratio)) v = Verdict.NOT_MEASURED;
        else v = target.met(ratio) ? Verdict.PASS : Verdict.MISS;
        return new Figure(section, key, metric, unit, ours, baseline, ratio, target, v, note == null ? "" : note);
    }

    /** How far the ratio is from its target, as a fraction of the target (0 when met): 1.2 against "<= 1" is 0.2. */
    public double shortfall() {
        if (target == null || target.met(ratio)) return 0;
        return target.atMost() ? ratio / target.bound() - 1 : 1 - ratio / target.bound();
    }

    public Figure withNote(String more) {
        String joined = note.isEmpty() ? more : note + "; " + more;
        return new Figure(section, key, metric, unit, ours, baseline, ratio, target, verdict, joined);
    }
}
