package nnc.runtime.report;

import java.awt.image.BufferedImage;

/**
 * A built-in 5×7 pixel font (letters in both cases, digits and {@code . - + : ( ) / _ % , = [ ] ' * < > ! ? ; #}),
 * so charts render the same on every machine, headless, without system fonts. Characters without a
 * glyph are drawn as blanks. Text runs left to right ({@link #draw}) or bottom to top ({@link #drawUp}, for a y-axis title).
 */
final class BitmapFont {
    static final int WIDTH = 5, HEIGHT = 7, ADVANCE = 6;
    /** Letters drawn two rows lower, their tails below the line: text is {@code HEIGHT + DESCENT} rows high. */
    private static final String DESCENDERS = "gpqy";
    static final int DESCENT = 2;
    private static final String CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-+:()/_%,=abcdefghijklmnopqrstuvwxyz[]'*<>!?;#";
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
            0x001F07C00L /* = */,
            0x000E0BE2FL /* a */,
            0x4216CC63EL /* b */,
            0x000E8422EL /* c */,
            0x042D9C62FL /* d */,
            0x000E8FE0EL /* e */,
            0x1928E2108L /* f */,
            0x3E318BC2EL /* g */,
            0x4216CC631L /* h */,
            0x100C2108EL /* i */,
            0x080610A4CL /* j */,
            0x4212A6292L /* k */,
            0x30842108EL /* l */,
            0x001AAD631L /* m */,
            0x0016CC631L /* n */,
            0x000E8C62EL /* o */,
            0x7A318FA10L /* p */,
            0x3E318BC21L /* q */,
            0x0016CC210L /* r */,
            0x000E8383EL /* s */,
            0x211C42126L /* t */,
            0x00118C66DL /* u */,
            0x00118C544L /* v */,
            0x00118D6AAL /* w */,
            0x001151151L /* x */,
            0x46318BC2EL /* y */,
            0x001F1111FL /* z */,
            0x39084210EL /* [ */,
            0x38421084EL /* ] */,
            0x108800000L /* ' */,
            0x009575480L /* * */,
            0x088882082L /* < */,
            0x208208888L /* > */,
            0x108421004L /* ! */,
            0x3A2111004L /* ? */,
            0x018C03088L /* ; */,
            0x295F57D4AL /* # */
    };

    private BitmapFont() {}

    /** Width in pixels of {@code text} at {@code scale}. */
    static int width(String text, int scale) { return text.isEmpty() ? 0 : (text.length() * ADVANCE - 1) * scale; }

    /** Draws {@code text} with its top-left corner at (x, y); pixels outside the image are skipped. */
    static void draw(BufferedImage img, String text, int x, int y, int rgb, int scale) {
        forEachPixel(text, (col, row) -> fill(img, x + col * scale, y + row * scale, scale, rgb));
    }

    /**
     * Draws {@code text} turned a quarter turn anticlockwise, reading from bottom to top, with the
     * bottom-left corner of its first letter at (x, y + 1): it spans x .. x + 8 (with the tails of g, p, q, y) and y − width .. y.
     */
    static void drawUp(BufferedImage img, String text, int x, int y, int rgb, int scale) {
        forEachPixel(text, (col, row) -> fill(img, x + row * scale, y - (col + 1) * scale + 1, scale, rgb));
    }

    /** Whether {@code c} has a glyph (else it is drawn as a blank). */
    static boolean hasGlyph(char c) { return CHARS.indexOf(c) >= 0; }

    private interface Pixel { void at(int col, int row); }

    /** Calls {@code pixel} for every set pixel of {@code text}, in text coordinates (column from the left, row from the top). */
    private static void forEachPixel(String text, Pixel pixel) {
        for (int i = 0; i < text.length(); i++) {
            int at = CHARS.indexOf(text.charAt(i));
            if (at < 0) continue;
            long glyph = GLYPHS[at];
            int down = DESCENDERS.indexOf(text.charAt(i)) >= 0 ? DESCENT : 0;
            for (int row = 0; row < HEIGHT; row++) {
                int bits = (int) (glyph >>> (5 * (HEIGHT - 1 - row))) & 0x1F;
                for (int col = 0; col < WIDTH; col++)
                    if ((bits & (1 << (WIDTH - 1 - col))) != 0) pixel.at(i * ADVANCE + col, row + down);
            }
        }
    }

    private static void fill(BufferedImage img, int x, int y, int size, int rgb) {
        for (int dy = 0; dy < size; dy++)
            for (int dx = 0; dx < size; dx++)
                if (x + dx >= 0 && y + dy >= 0 && x + dx < img.getWidth() && y + dy < img.getHeight()) img.setRGB(x + dx, y + dy, rgb);
    }
}
