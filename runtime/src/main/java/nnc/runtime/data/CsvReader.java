package nnc.runtime.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a numeric CSV file with a header row: one column is the label, the others, in file order,
 * are the features. Labels that are all non-negative integers become class indices; otherwise they
 * are a float target of width 1. Blank lines are skipped; fields may be quoted with {@code "}.
 * Gzip-compressed files are read transparently.
 */
final class CsvReader {
    /** Largest label still read as a class index rather than a number. */
    private static final int MAX_CLASS = 1 << 20;

    private CsvReader() {}

    /** @param label the label column's name, or null for the last column */
    static Dataset read(Path path, String label, String prefix) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(DataFiles.open(path, prefix), decoder), 1 << 16)) {
            String line;
            int lineNo = 0;
            List<String> header = null;
            while (header == null && (line = in.readLine()) != null) {
                lineNo++;
                if (!line.isBlank()) header = split(line.replace("\uFEFF", ""), path, lineNo, prefix);
            }
            if (header == null) throw new DataException(prefix + path + " is empty; expected a header row and data rows");
            int labelCol = label == null ? header.size() - 1 : header.indexOf(label);
            if (labelCol < 0) {
                throw new DataException(prefix + path + " has no column '" + label + "'; its columns are: " + String.join(", ", header));
            }
            if (header.size() < 2) throw new DataException(prefix + path + " has only one column; it needs features and a label");
            int width = header.size();
            float[] features = new float[1024];
            float[] labels = new float[256];
            int rows = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                List<String> fields = split(line, path, lineNo, prefix);
                if (fields.size() != width) {
                    throw new DataException(prefix + path + ":" + lineNo + ": expected " + width
                            + " values as in the header, found " + fields.size());
                }
                if ((rows + 1) * (width - 1) > features.length) features = Arrays.copyOf(features, features.length * 2);
                if (rows == labels.length) labels = Arrays.copyOf(labels, labels.length * 2);
                int f = rows * (width - 1);
                for (int c = 0; c < width; c++) {
                    float v = number(fields.get(c), header.get(c), path, lineNo, prefix);
                    if (c == labelCol) labels[rows] = v;
                    else features[f++] = v;
                }
                rows++;
            }
            if (rows == 0) throw new DataException(prefix + path + " has a header but no data rows");
            return build(Arrays.copyOf(features, rows * (width - 1)), width - 1, Arrays.copyOf(labels, rows));
        } catch (CharacterCodingException e) {
            throw new DataException(prefix + path + " is not UTF-8 text; is it really a CSV file?", e);
        } catch (IOException e) {
            throw DataFiles.failure(path, prefix, e);
        }
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

    private static float number(String field, String column, Path path, int lineNo, String prefix) {
        String t = field.trim();
        if (t.isEmpty()) throw new DataException(prefix + path + ":" + lineNo + ": column '" + column + "' is empty");
        try {
            float v = Float.parseFloat(t);
            if (!Float.isFinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new DataException(prefix + path + ":" + lineNo + ": column '" + column + "': '" + t + "' is not a finite number");
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
