package nnc.runtime.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import nnc.runtime.Limits;

/**
 * Reads a numeric CSV file. For training ({@link #read}) it has a header row: one column is the
 * label, the others, in file order, are the features. Labels that are all non-negative integers
 * become class indices; otherwise they are a float target of width 1. For prediction
 * ({@link #readFeatures}) every column is a feature and the header is optional. Blank lines are
 * skipped; fields may be quoted with {@code "}. Gzip-compressed files are read transparently.
 *
 * <p>Rows are counted from 1 after the header, columns from 1. Features must be finite unless
 * {@code allowNonFinite}; labels always. Lines and the values held are bounded by {@link Limits}.
 */
final class CsvReader {
    /** Largest label still read as a class index rather than a number. */
    private static final int MAX_CLASS = 1 << 20;

    /** Rows of features without labels. */
    record Features(float[] x, int rows, int width) {}

    private final Path path;
    private final String prefix;
    private final boolean allowNonFinite;
    private float[] features = new float[1024];
    private float[] labels = new float[256];
    private int rows;

    private CsvReader(Path path, String prefix, boolean allowNonFinite) {
        this.path = path;
        this.prefix = prefix;
        this.allowNonFinite = allowNonFinite;
    }

    /** @param label the label column's name, or null for the last column */
    static Dataset read(Path path, String label, boolean allowNonFinite, String prefix) {
        return new CsvReader(path, prefix, allowNonFinite).readLabelled(label);
    }

    /** Every column a feature; the first line is a header when one of its fields is not a number. */
    static Features readFeatures(Path path, boolean allowNonFinite, String prefix) {
        return new CsvReader(path, prefix, allowNonFinite).readUnlabelled();
    }

    private Dataset readLabelled(String label) {
        try (InputStream raw = DataFiles.open(path, prefix)) {
            BoundedLines in = lines(raw);
            String line;
            List<String> header = null;
            while (header == null && (line = in.next()) != null)
                if (!line.isBlank()) header = split(line.replace("\uFEFF", ""), path, in.lineNo(), prefix);
            if (header == null) throw new DataException(prefix + path + " is empty; expected a header row and data rows");
            int labelCol = label == null ? header.size() - 1 : header.indexOf(label);
            if (labelCol < 0) {
                throw new DataException(prefix + path + " has no column '" + label + "'; its columns are: " + String.join(", ", header));
            }
            if (header.size() < 2) throw new DataException(prefix + path + " has only one column; it needs features and a label");
            int width = header.size();
            while ((line = in.next()) != null) {
                if (line.isBlank()) continue;
                List<String> fields = split(line, path, in.lineNo(), prefix);
                if (fields.size() != width) {
                    throw new DataException(prefix + path + ":" + in.lineNo() + ": expected " + width
                            + " values as in the header, found " + fields.size());
                }
                int f = reserve(width - 1);
                for (int c = 0; c < width; c++) {
                    if (c == labelCol) labels[rows] = number(fields.get(c), header.get(c), in.lineNo(), c, true);
                    else features[f++] = number(fields.get(c), header.get(c), in.lineNo(), c, false);
                }
                rows++;
            }
            if (rows == 0) throw new DataException(prefix + path + " has a header but no data rows");
            return build(Arrays.copyOf(features, rows * (width - 1)), width - 1, Arrays.copyOf(labels, rows)).withLabelOrigin(path.toString());
        } catch (CharacterCodingException e) {
            throw new DataException(prefix + path + " is not UTF-8 text; is it really a CSV file?", e);
        } catch (IOException e) {
            throw DataFiles.failure(path, prefix, e);
        }
    }

    private Features readUnlabelled() {
        try (InputStream raw = DataFiles.open(path, prefix)) {
            BoundedLines in = lines(raw);
            String line;
            List<String> header = null;
            int width = -1;
            while ((line = in.next()) != null) {
                if (line.isBlank()) continue;
                List<String> fields = split(rows == 0 && width < 0 ? line.replace("\uFEFF", "") : line, path, in.lineNo(), prefix);
                if (width < 0 && fields.stream().anyMatch(s -> !isNumber(s))) { // a header of names
                    header = fields;
                    width = fields.size();
                    continue;
                }
                if (width >= 0 && fields.size() != width)
                    throw new DataException(prefix + path + ":" + in.lineNo() + ": expected " + width + " values as in the "
                            + (header != null ? "header" : "rows before") + ", found " + fields.size());
                width = fields.size();
                int f = reserve(width);
                for (int c = 0; c < width; c++)
                    features[f++] = number(fields.get(c), header != null ? header.get(c) : null, in.lineNo(), c, false);
                rows++;
            }
            if (rows == 0) throw new DataException(prefix + path + " holds no rows of numbers");
            return new Features(Arrays.copyOf(features, rows * width), rows, width);
        } catch (CharacterCodingException e) {
            throw new DataException(prefix + path + " is not UTF-8 text; is it really a CSV file?", e);
        } catch (IOException e) {
            throw DataFiles.failure(path, prefix, e);
        }
    }

    private BoundedLines lines(InputStream raw) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        return new BoundedLines(new InputStreamReader(raw, decoder), path, prefix);
    }

    /** Room for one more row of {@code width} features (and its label); returns where the row starts. */
    private int reserve(int width) {
        long need = (rows + 1L) * width;
        if (need > features.length) {
            Limits.requireValues(prefix + path + ": row " + Limits.count(rows + 1L) + ": " + Limits.count(rows + 1L)
                    + " rows of " + width + " values make", need, Float.BYTES);
            features = Arrays.copyOf(features, (int) Math.min(Limits.MAX_ARRAY_LENGTH, Math.max(need, 2L * features.length)));
        }
        if (rows == labels.length) labels = Arrays.copyOf(labels, (int) Math.min(Limits.MAX_ARRAY_LENGTH, 2L * labels.length));
        return (int) (need - width);
    }

    private static Dataset build(float[] x, int featureCount, float[] labels) {
        boolean classes = true;
        int max = 0;
        for (float v : labels) {
            if (v < 0 || v != Math.rint(v) || v > MAX_CLASS) {
                classes = false;
                break;
            }
            max = Math.max(max, (int) v);
        }
        if (!classes) return Dataset.regression(x, new int[] {featureCount}, labels, 1);
        int[] index = new int[labels.length];
        for (int r = 0; r < labels.length; r++) index[r] = (int) labels[r];
        return Dataset.classification(x, new int[] {featureCount}, index, max + 1);
    }

    /** The value of one field; a non-finite feature ({@code NaN}, {@code Infinity}, {@code 1e39}) only when {@code allowNonFinite}. */
    private float number(String field, String column, int lineNo, int c, boolean label) {
        String t = field.trim();
        String where = column == null ? "column " + (c + 1) : "column " + (c + 1) + " ('" + column + "')";
        if (t.isEmpty()) throw new DataException(prefix + path + ":" + lineNo + ": " + (column == null ? where : "column '" + column + "'") + " is empty");
        float v;
        try {
            v = parse(t);
        } catch (NumberFormatException e) {
            throw new DataException(prefix + path + ":" + lineNo + ": " + (column == null ? where : "column '" + column + "'")
                    + ": '" + t + "' is not a finite number");
        }
        if (!Float.isFinite(v) && (label || !allowNonFinite))
            throw new DataException(prefix + path + ": row " + (rows + 1) + ", " + where + ": " + t
                    + (Float.isNaN(v) || t.toLowerCase(Locale.ROOT).contains("inf") ? "" : " (" + v + " in f32)")
                    + (label ? " is not a finite number; labels must be" : " is not a finite number (allow_nonfinite = true in the data source lets NaN and infinities through)"));
        return v;
    }

    /** Java's float syntax, plus {@code nan}, {@code inf} and {@code infinity} in any case (as NumPy and pandas write them). */
    static float parse(String t) {
        String u = t.toLowerCase(Locale.ROOT);
        String body = u.startsWith("-") || u.startsWith("+") ? u.substring(1) : u;
        if (body.equals("nan")) return Float.NaN;
        if (body.equals("inf") || body.equals("infinity")) return u.startsWith("-") ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        return Float.parseFloat(t);
    }

    private static boolean isNumber(String field) {
        try {
            parse(field.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Splits one line at commas; a field in double quotes may contain commas and {@code ""}. */
    static List<String> split(String line, Path path, int lineNo, String prefix) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (quoted) throw new DataException(prefix + path + ":" + lineNo + ": a quoted field is not closed");
        out.add(cur.toString().trim());
        return out;
    }
}
