package nnc.runtime.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import nnc.runtime.Limits;

/**
 * Rows of features without labels ({@code nnc predict --input}), read with the same readers and
 * checks as training data: an IDX file of unsigned bytes (recognised by its magic number, not its
 * name; plain or gzip; the first dimension counts rows) or else a CSV file of numbers with an
 * optional header.
 *
 * @param x            the rows, one after another
 * @param rows         the number of rows
 * @param featureShape the shape of one row
 */
public record UnlabelledData(float[] x, int rows, int[] featureShape) {
    /** Values per row. */
    public int featureSize() { return Arrays.stream(featureShape).reduce(1, (a, b) -> a * b); }

    /** Reads {@code path}; non-finite CSV values only when {@code allowNonFinite}. Problems are {@link DataException}s naming the file. */
    public static UnlabelledData read(Path path, boolean allowNonFinite) {
        if (isIdx(path)) return idx(path);
        CsvReader.Features f = CsvReader.readFeatures(path, allowNonFinite, "");
        return new UnlabelledData(f.x(), f.rows(), new int[] {f.width()});
    }

    /** True when the (un-gzipped) content starts as an IDX header: {@code 00 00}, a known type byte, a dimension count of at least 1. */
    static boolean isIdx(Path path) {
        try (InputStream in = DataFiles.open(path, "")) {
            byte[] b = in.readNBytes(4);
            return b.length == 4 && b[0] == 0 && b[1] == 0 && (b[2] & 0xff) >= 0x08 && (b[2] & 0xff) <= 0x0E && b[3] != 0;
        } catch (IOException e) {
            throw DataFiles.failure(path, "", e);
        }
    }

    private static UnlabelledData idx(Path path) {
        try (InputStream in = DataFiles.open(path, "")) {
            IdxReader.Header h = IdxReader.header(in, path, "");
            IdxReader.requireUnsignedBytes(h, path, "");
            long total = h.count();
            if (total == 0) throw new DataException(path + " holds no rows (its sizes are " + Arrays.toString(h.dims()) + ")");
            Limits.requireValues(path + ": the header declares " + Arrays.toString(h.dims()) + " =", total, Float.BYTES);
            float[] x = IdxReader.readScaled(in, (int) total, 1f, path, "", h);
            IdxReader.requireEnd(in, path, "", h);
            int[] dims = h.dims();
            int[] shape = dims.length == 1 ? new int[] {1} : Arrays.copyOfRange(dims, 1, dims.length);
            return new UnlabelledData(x, dims[0], shape);
        } catch (IOException e) {
            throw DataFiles.failure(path, "", e);
        }
    }
}
