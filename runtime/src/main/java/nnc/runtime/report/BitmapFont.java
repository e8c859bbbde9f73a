package nnc.runtime.report;

import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * A built-in 5×7 pixel font (upper-case letters, digits and {@code . - + : ( ) / _ % , =}), so
 * charts render the same on every machine, headless, without system fonts. Lower-case text is
 * drawn in upper case; characters without a glyph are drawn as blanks.
 */
final class BitmapFont {
    static final int WIDTH = 5, HEIGHT = 7, ADVANCE = 6;
    private static final String CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-+:()/_%,=";
    /** Each glyph: 7 rows of 5 bits, top row in the highest bits, leftmost pixel the row's high bit. */
    private static final long[] GLYPHS = {
            0x3A31FC631L /* A */,
            0x7A31F463EL /* B */,
            0x3A308422EL /* C */,
            0x72518C65CL /* D */,
            0x7E10F421FL /* E */,
            0x7E10F4210L /* F */,
            0x3A30BC62FL /* G */,
            0x4631FC631L /* H */,
            0x38842108EL /* I */,
            0x1C4210A4CL /* J */,
            0x4654C5251L /* K */,
            0x42108421FL /* L */,
            0x4775AC631L /* M */,
            0x4639ACE31L /* N */,
            0x3A318C62EL /* O */,
            0x7A31F4210L /* P */,
            0x3A318D64DL /* Q */,
            0x7A31F5251L /* R */,
            0x3E107043EL /* S */,
            0x7C8421084L /* T */,
            0x46318C62EL /* U */,
            0x46318C544L /* V */,
            0x4631AD6AAL /* W */,
            0x462A22A31L /* X */,
            0x463151084L /* Y */,
            0x7C222221FL /* Z */,
            0x3A33AE62EL /* 0 */,
            0x11842108EL /* 1 */,
            0x3A211111FL /* 2 */,
            0x7C441062EL /* 3 */,
            0x08CA97C42L /* 4 */,
            0x7E1E0862EL /* 5 */,
            0x1910F462EL /* 6 */,
            0x7C2222108L /* 7 */,
            0x3A317462EL /* 8 */,
            0x3A317844CL /* 9 */,
            0x00000018CL /* . */,
            0x0000F8000L /* - */,
            0x0084F9080L /* + */,
            0x018C03180L /* : */,
            0x088842082L /* ( */,
            0x208210888L /* ) */,
            0x002222200L /* / */,
            0x00000001FL /* _ */,
            0x632222263L /* % */,
            0x000003088L /* , */,
            0x001F07C00L /* = */
    };

    private BitmapFont() {}

    /** Width in pixels of {@code text} at {@code scale}. */
    static int width(String text, int scale) { return text.isEmpty() ? 0 : (text.length() * ADVANCE - 1) * scale; }

    /** Draws {@code text} with its top-left corner at (x, y); pixels outside the image are skipped. */
    static void draw(BufferedImage img, String text, int x, int y, int rgb, int scale) {
        String s = text.toUpperCase(Locale.ROOT);
        for (int i = 0; i < s.length(); i++) {
            int at = CHARS.indexOf(s.charAt(i));
            if (at < 0) continue;
            long glyph = GLYPHS[at];
            for (int row = 0; row < HEIGHT; row++) {
                int bits = (int) (glyph >>> (5 * (HEIGHT - 1 - row))) & 0x1F;
                for (int col = 0; col < WIDTH; col++)
                    if ((bits & (1 << (WIDTH - 1 - col))) != 0)
                        fill(img, x + (i * ADVANCE + col) * scale, y + row * scale, scale, rgb);
            }
        }
    }

    private static void fill(BufferedImage img, int x, int y, int size, int rgb) {
        for (int dy = 0; dy < size; dy++)
            for (int dx = 0; dx < size; dx++)
                if (x + dx >= 0 && y + dy >= 0 && x + dx < img.getWidth() && y + dy < img.getHeight()) img.setRGB(x + dx, y + dy, rgb);
    }
}
