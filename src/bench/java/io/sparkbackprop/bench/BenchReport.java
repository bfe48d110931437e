package io.sparkbackprop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A bench run's figures with what they were measured on (machine, BLAS, master, settings), as a table for
 * people and as CSV and JSON for comparing runs over time. The CSV repeats the run's date on every line so
 * that the files of many runs can simply be concatenated.
 */
public record BenchReport(Map<String, String> run, List<Figure> figures) {
    public static final String FORMAT = "spark-backprop-bench";
    static final String CSV_HEADER = "run,section,key,metric,unit,ours,baseline,ratio,target,verdict,note";
    /** The header before the figures had keys: such files (and concatenations with them) still read, with empty keys. */
    static final String CSV_HEADER_WITHOUT_KEYS = "run,section,metric,unit,ours,baseline,ratio,target,verdict,note";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public BenchReport {
        run = new LinkedHashMap<>(run);
        figures = List.copyOf(figures);
    }

    /** The figure with this metric name, or null. */
    public Figure figure(String metric) {
        for (Figure f : figures) {
            if (f.metric().equals(metric)) return f;
        }
        return null;
    }

    // ---- table ------------------------------------------------------------------------------------------

    /**
     * A Markdown table (pasteable into README.md): each figure with its baseline, ratio, target ("none" without one),
     * verdict and the key that sets its target; then the run's settings and the notes.
     */
    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("| section | metric | ours | baseline | ratio | target | verdict | key |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Figure f : figures) {
            sb.append("| ").append(f.section()).append(" | ").append(f.metric()).append(" | ")
                    .append(amount(f.ours(), f.unit())).append(" | ").append(amount(f.baseline(), f.unit())).append(" | ")
                    .append(number(f.ratio())).append(" | ").append(f.target() == null ? "none" : f.target().text()).append(" | ")
                    .append(f.verdict() == Figure.Verdict.NOT_MEASURED ? "not measured" : f.verdict()).append(" | ")
                    .append(f.key()).append(" |\n");
        }
        sb.append('\n');
        run.forEach((k, v) -> sb.append(k).append(": ").append(v).append('\n'));
        boolean header = false;
        for (Figure f : figures) {
            if (f.note().isEmpty()) continue;
            if (!header) sb.append("\nnotes:\n");
            header = true;
            sb.append("- ").append(f.metric()).append(" (").append(f.verdict() == Figure.Verdict.NOT_MEASURED
                    ? "not measured" : f.verdict()).append("): ").append(f.note()).append('\n');
        }
        return sb.toString();
    }

    static String number(double v) {
        if (Double.isNaN(v)) return "-";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e6 || a < 1e-3)) return String.format(Locale.ROOT, "%.3g", v);
        if (a >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.3g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    private static String amount(double v, String unit) {
        return Double.isNaN(v) ? "-" : number(v) + (unit.isEmpty() ? "" : " " + unit);
    }

    // ---- CSV --------------------------------------------------------------------------------------------

    public void writeCsv(Path file) throws IOException {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        String date = run.getOrDefault("date", "");
        for (Figure f : figures) {
            sb.append(String.join(",", quote(date), quote(f.section()), quote(f.key()), quote(f.metric()), quote(f.unit()), exact(f.ours()),
                    exact(f.baseline()), exact(f.ratio()), quote(f.target() == null ? "" : f.target().text()),
                    f.verdict().name(), quote(f.note()))).append('\n');
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    /**
     * The figures of a file written by {@link #writeCsv} (or several such files concatenated, headers included). Each
     * header says which columns follow it, so files from before the key column read too.
     */
    public static List<Figure> readCsv(Path file) throws IOException {
        List<Figure> out = new ArrayList<>();
        List<List<String>> records = parseCsv(Files.readString(file, StandardCharsets.UTF_8));
        boolean keys = true;
        for (List<String> r : records) {
            String line = String.join(",", r);
            if (line.equals(CSV_HEADER) || line.equals(CSV_HEADER_WITHOUT_KEYS)) {
                keys = line.equals(CSV_HEADER);
                continue;
            }
            List<String> v = keys ? r : new ArrayList<>(r);
            if (!keys && v.size() > 2) v.add(2, "");
            if (v.size() != 11) throw new IOException(file + ": a line has " + r.size() + " fields, expected " + (keys ? 11 : 10) + ": " + r);
            out.add(new Figure(v.get(1), v.get(2), v.get(3), v.get(4), parse(v.get(5)), parse(v.get(6)), parse(v.get(7)),
                    v.get(8).isEmpty() ? null : Target.parse(v.get(8)), Figure.Verdict.valueOf(v.get(9)), v.get(10)));
        }
        return out;
    }

    /** Double.toString round-trips exactly; an empty field is "not measured". */
    private static String exact(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static double parse(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** RFC 4180: fields separated by commas, quoted fields may hold commas, doubled quotes and newlines. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                fields.add(field.toString());
                field.setLength(0);
                records.add(fields);
                fields = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        if (field.length() > 0 || !fields.isEmpty()) {
            fields.add(field.toString());
            records.add(fields);
        }
        return records;
    }

    // ---- JSON -------------------------------------------------------------------------------------------

    public void writeJson(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", 1);
        ObjectNode r = root.putObject("run");
        run.forEach(r::put);
        ArrayNode list = root.putArray("figures");
        for (Figure f : figures) {
            ObjectNode o = list.addObject();
            o.put("section", f.section());
            o.put("key", f.key());
            o.put("metric", f.metric());
            o.put("unit", f.unit());
            putNumber(o, "ours", f.ours());
            putNumber(o, "baseline", f.baseline());
            putNumber(o, "ratio", f.ratio());
            if (f.target() == null) o.putNull("target");
            else o.put("target", f.target().text());
            o.put("verdict", f.verdict().name());
            o.put("note", f.note());
        }
        JSON.writeValue(file.toFile(), root);
    }

    public static BenchReport readJson(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        if (!FORMAT.equals(root.path("format").asText())) throw new IOException(file + " is not a " + FORMAT + " file");
        Map<String, String> run = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("run").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            run.put(e.getKey(), e.getValue().asText());
        }
        List<Figure> figures = new ArrayList<>();
        for (JsonNode o : root.path("figures")) {
            JsonNode target = o.path("target");
            figures.add(new Figure(o.path("section").asText(), o.path("key").asText(""), o.path("metric").asText(), o.path("unit").asText(),
                    number(o, "ours"), number(o, "baseline"), number(o, "ratio"),
                    target.isNull() || target.isMissingNode() ? null : Target.parse(target.asText()),
                    Figure.Verdict.valueOf(o.path("verdict").asText()), o.path("note").asText()));
        }
        return new BenchReport(run, figures);
    }

    /** JSON has no NaN: a figure that was not measured is null. */
    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v);
        else o.putNull(key);
    }

    private static double number(JsonNode o, String key) {
        JsonNode n = o.path(key);
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }
}
