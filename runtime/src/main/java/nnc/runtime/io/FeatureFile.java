package nnc.runtime.io;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import nnc.runtime.data.DataException;

/**
 * Rows of features without labels, for {@code nnc predict}: a CSV file of numbers (an optional
 * header line of names is skipped; every row has the same number of columns), or an IDX file of
 * unsigned bytes (gzip or plain, as the MNIST files), each value multiplied by {@code scale}.
 * Problems are {@link DataException}s naming the file and the line.
 *
 * @param x            the rows, one after another
 * @param rows         the number of rows
 * @param featureShape the shape of one row
 */
public record FeatureFile(float[] x, int rows, int[] featureShape) {
    /** The values per row. */
    public int featureSize() {
        int n = 1;
        for (int d : featureShape) n *= d;
        return n;
    }

    /** Reads {@code path} as IDX when its name ends in {@code .idx}, {@code -ubyte}, {@code .gz}, else as CSV. */
    public static FeatureFile read(Path path, float scale) {
        String name = path.getFileName().toString();
        try {
            if (name.endsWith(".gz") || name.endsWith("ubyte") || name.endsWith(".idx")) return idx(path, scale);
            return csv(path, scale);
        } catch (NoSuchFileException e) {
            throw new DataException(path + ": error: no such file");
        } catch (EOFException e) {
            throw new DataException(path + ": error: the file is truncated");
        } catch (IOException e) {
            throw new DataException(path + ": error: cannot read the file: " + e.getMessage(), e);
        }
    }

    private static FeatureFile csv(Path path, float scale) throws IOException {
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        List<float[]> rows = new ArrayList<>();
        int width = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String[] fields = line.split(",", -1);
            float[] row = new float[fields.length];
            boolean header = false;
            for (int j = 0; j < fields.length && !header; j++) {
                try {
                    row[j] = Float.parseFloat(fields[j].strip()) * scale;
                } catch (NumberFormatException e) {
                    if (rows.isEmpty() && width < 0) header = true;
                    else throw new DataException(path + ":" + (i + 1) + ": error: column " + (j + 1) + " is not a number: '" + fields[j].strip() + "'");
                }
            }
            if (header) {
                width = fields.length;
                continue;
            }
            if (width >= 0 && fields.length != width)
                throw new DataException(path + ":" + (i + 1) + ": error: " + fields.length + " columns, the rows before have " + width);
            width = fields.length;
            rows.add(row);
        }
        if (rows.isEmpty()) throw new DataException(path + ": error: no rows of numbers");
        float[] x = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) System.arraycopy(rows.get(r), 0, x, r * width, width);
        return new FeatureFile(x, rows.size(), new int[] {width});
    }

    private static FeatureFile idx(Path path, float scale) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            raw.mark(2);
            int b0 = raw.read(), b1 = raw.read();
            raw.reset();
            InputStream in = b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
            DataInputStream d = new DataInputStream(in);
            int magic = d.readInt();
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != 0x08 || (magic & 0xff) < 1)
                throw new DataException(path + ": error: not an IDX file of unsigned bytes (magic 0x" + Integer.toHexString(magic) + ")");
            int rank = magic & 0xff;
            int rows = d.readInt();
            int[] shape = new int[rank - 1];
            long size = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = d.readInt();
                size *= shape[i];
            }
            if (rows < 1 || size < 1 || size * rows > Integer.MAX_VALUE - 8)
                throw new DataException(path + ": error: IDX dimensions " + rows + " × " + size + " are empty or too large");
            byte[] bytes = new byte[(int) (size * rows)];
            d.readFully(bytes);
            float[] x = new float[bytes.length];
            for (int i = 0; i < x.length; i++) x[i] = (bytes[i] & 0xff) * scale;
            return new FeatureFile(x, rows, shape.length == 0 ? new int[] {1} : shape);
        }
    }
}
