package io.clickcartel.core.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The id of an event sent without {@code event_id}: derived from its raw text, so a retry of the same request, or a
 * landing line delivered twice, is the same event and de-duplicates. Two genuinely identical id-less events count
 * once. Silver computes the same id with Spark's {@code sha2}.
 */
public final class EventIds {

    private EventIds() {}

    /** {@value EventContract#CONTENT_ID_PREFIX} + the first hex digits of the SHA-256 of the UTF-8 text. */
    public static String fromContent(String raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
            return EventContract.CONTENT_ID_PREFIX
                    + HexFormat.of().formatHex(digest).substring(0, EventContract.CONTENT_ID_HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
