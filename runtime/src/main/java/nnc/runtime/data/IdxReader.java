package nnc.runtime.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import nnc.runtime.Limits;

/**
 * Reads IDX files (the MNIST format): a magic number {@code 00 00 TT DD} (element type TT, DD
 * dimensions), DD big-endian 32-bit sizes, then the elements. Plain or gzip-compressed, detected
 * from the first bytes. Images must be unsigned bytes with at least two dimensions (the first
 * counts images, the rest are flattened); labels unsigned bytes with one dimension.
 */
final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;
    private static final int CHUNK = 1 << 16;
    /** Values allocated before any is read; the array grows as data arrives. */
    private static final int FIRST_ALLOCATION = 1 << 20;

    /** The header of an IDX file. */
    record Header(int elementType, int[] dims) {
        long count() {
            long n = 1;
            for (int d : dims) n = Limits.product(n, d);
            return n;
        }

        /** Bytes of the header and the data it declares. */
        long byteLength() { return 4L + 4L * dims.length + count(); }
    }

    private IdxReader() {}

    /**
     * Reads images (scaled by {@code scale}) and their labels into a classification set.
     *
     * @param classes the declared class count, or 0 to use the largest label + 1
     */
    static Dataset read(Path images, Path labels, float scale, int classes, String prefix) {
        ImageData img = readImages(images, scale, prefix);
        int[] label = readLabels(labels, prefix);
        if (img.count != label.length) {
            throw new DataException(prefix + images + " holds " + img.count + " images but " + labels + " holds "
                    + label.length + " labels; the two files must belong together");
        }
        int max = -1;
        for (int i = 0; i < label.length; i++) {
            if (classes > 0 && label[i] >= classes) {
                throw new DataException(prefix + labels + ": row " + (i + 1) + ": label " + label[i] + " is out of range for "
                        + classes + (classes == 1 ? " class" : " classes") + " (classes = " + classes + ")");
            }
            max = Math.max(max, label[i]);
        }
        if (label.length == 0) throw new DataException(prefix + labels + " holds no labels");
        return Dataset.classification(img.pixels, new int[] {img.rowSize}, label, classes > 0 ? classes : max + 1)
                .withLabelOrigin(labels.toString());
    }

    private record ImageData(int count, int rowSize, float[] pixels) {}

    private static ImageData readImages(Path path, float scale, String prefix) {
        try (InputStream in = DataFiles.open(path, prefix)) {
            Header h = header(in, path, prefix);
            requireUnsignedBytes(h, path, prefix);
            if (h.dims().length < 2) {
                throw new DataException(prefix + path + " is an IDX file of " + h.dims().length
                        + " dimension(s), but images need at least 2 ([count, rows, cols]); are the image and label files swapped?");
            }
            long total = h.count();
            if (total == 0) throw new DataException(prefix + path + " holds no images (its sizes are " + Arrays.toString(h.dims()) + ")");
            Limits.requireValues(prefix + path + ": the header declares " + Arrays.toString(h.dims()) + " =", total, Float.BYTES);
            float[] pixels = readScaled(in, (int) total, scale, path, prefix, h);
            requireEnd(in, path, prefix, h);
            int count = h.dims()[0];
            return new ImageData(count, (int) (total / count), pixels);
        } catch (IOException e) {
            throw DataFiles.failure(path, prefix, e);
        }
    }

    /**
     * Reads {@code total} unsigned bytes times {@code scale}. The array grows with the data read, so
     * a header that promises more than the file holds costs no more memory than the file.
     */
    static float[] readScaled(InputStream in, int total, float scale, Path path, String prefix, Header h) throws IOException {
        float[] out = new float[Math.min(total, FIRST_ALLOCATION)];
        byte[] buf = new byte[CHUNK];
        int pos = 0;
        while (pos < total) {
            int want = Math.min(CHUNK, total - pos);
            int got = in.readNBytes(buf, 0, want);
            if (got < want) throw shorter(path, prefix, h, pos + got);
            if (pos + got > out.length) out = Arrays.copyOf(out, (int) Math.min(total, Math.max(2L * out.length, pos + got)));
            for (int i = 0; i < got; i++) out[pos + i] = (buf[i] & 0xff) * scale;
            pos += got;
        }
        return out;
    }

    /**
     * Reads the rest of the file: a gzip stream checks its CRC and length only at its end, and data
     * after what the header declares means the header is wrong.
     */
    static void requireEnd(InputStream in, Path path, String prefix, Header h) throws IOException {
        if (in.read() >= 0)
            throw new DataException(prefix + path + ": byte " + Limits.count(h.byteLength()) + ": the file goes on after the "
                    + Limits.count(h.count()) + " values its header " + shape(h) + " declares");
    }

    private static int[] readLabels(Path path, String prefix) {
        try (InputStream in = DataFiles.open(path, prefix)) {
            Header h = header(in, path, prefix);
            requireUnsignedBytes(h, path, prefix);
            if (h.dims().length != 1) {
                throw new DataException(prefix + path + " is an IDX file of " + h.dims().length
                        + " dimensions, but labels need exactly 1 ([count]); are the image and label files swapped?");
            }
            int n = h.dims()[0];
            Limits.requireValues(prefix + path + ": the header declares " + shape(h) + " =", n, Integer.BYTES);
            byte[] bytes = in.readNBytes(n); // grows with the data read
            if (bytes.length < n) throw shorter(path, prefix, h, bytes.length);
            requireEnd(in, path, prefix, h);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = bytes[i] & 0xff;
            return labels;
        } catch (IOException e) {
            throw DataFiles.failure(path, prefix, e);
        }
    }

    /** Reads and checks the magic number and the dimension sizes. */
    static Header header(InputStream in, Path path, String prefix) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) throw new DataException(prefix + path + ": the IDX header is truncated (file has " + magic.length + " bytes)");
        if (magic[0] != 0 || magic[1] != 0 || elementTypeName(magic[2] & 0xff) == null || magic[3] == 0) {
            throw new DataException(prefix + path + " is not an IDX file (its first bytes are "
                    + String.format("%02x %02x %02x %02x", magic[0], magic[1], magic[2], magic[3])
                    + "; IDX files start with 00 00, a type byte and a dimension count)");
        }
        int rank = magic[3] & 0xff;
        byte[] sizes = in.readNBytes(4 * rank);
        if (sizes.length < 4 * rank) {
            throw new DataException(prefix + path + ": the IDX header is truncated (it declares " + rank
                    + " dimensions but the file ends inside their sizes)");
        }
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) {
            dims[d] = ((sizes[4 * d] & 0xff) << 24) | ((sizes[4 * d + 1] & 0xff) << 16)
                    | ((sizes[4 * d + 2] & 0xff) << 8) | (sizes[4 * d + 3] & 0xff);
            if (dims[d] < 0) throw new DataException(prefix + path + ": dimension " + d + " has an impossible size " + (dims[d] & 0xffffffffL)
                    + " (" + dims[d] + " as a signed 32-bit size; IDX sizes are at most " + Limits.count(Integer.MAX_VALUE) + ")");
        }
        return new Header(magic[2] & 0xff, dims);
    }

    static void requireUnsignedBytes(Header h, Path path, String prefix) {
        if (h.elementType() != UNSIGNED_BYTE) {
            throw new DataException(prefix + path + " holds IDX elements of type " + elementTypeName(h.elementType())
                    + String.format(" (0x%02x)", h.elementType()) + ", which is not supported; nnc reads unsigned-byte (0x08) IDX files");
        }
    }

    private static String elementTypeName(int type) {
        return switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> null;
        };
    }

    private static DataException shorter(Path path, String prefix, Header h, long found) {
        return new DataException(prefix + path + " is shorter than its header declares: "
                + shape(h) + " needs " + h.count() + " bytes of data, the file holds " + found);
    }

    private static String shape(Header h) { return Arrays.toString(h.dims()).replace(" ", ""); }
}
