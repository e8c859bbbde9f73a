package nnc.playground;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The playground's request checks: the launch token (header {@value #TOKEN_HEADER} or query
 * parameter {@code token}, compared in constant time), a {@code Host} that names this server (DNS
 * rebinding), and an {@code Origin}, when present, that is this server's own (another web page in
 * the same browser).
 */
final class Guard {
    static final String TOKEN_HEADER = "X-Nnc-Token";

    private final byte[] token;
    private final String tokenText;
    private final int port;

    Guard(String token, int port) {
        this.tokenText = token;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.port = port;
    }

    /** A new token: 32 random bytes, base64url without padding. */
    static String newToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    String token() { return tokenText; }

    /**
     * Null when the request may go on, else why it is refused (the 403 answer's text).
     *
     * @param host   the {@code Host} header (null when absent)
     * @param origin the {@code Origin} header (null when absent)
     * @param header the {@value #TOKEN_HEADER} header (null when absent)
     * @param query  the {@code token} query parameter (null when absent)
     */
    String refusal(String host, String origin, String header, String query) {
        if (host == null || !(host.equals("127.0.0.1:" + port) || host.equals("localhost:" + port)))
            return "refused: the Host header must be 127.0.0.1:" + port + " or localhost:" + port;
        if (origin != null && !(origin.equals("http://127.0.0.1:" + port) || origin.equals("http://localhost:" + port)))
            return "refused: requests from other origins (" + origin + ") are not accepted";
        String given = header != null ? header : query;
        if (given == null) return "refused: the request carries no token (open the URL nnc playground printed)";
        if (!MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8)))
            return "refused: wrong token (open the URL nnc playground printed)";
        return null;
    }
}
