package io.clickcartel.core.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;

/**
 * Whether a text is exactly one strict JSON object: standard JSON only (no NaN, comments, single quotes or leading
 * zeros), nothing but whitespace after it, no key twice in one object at any depth, nesting at most
 * {@link EventContract#MAX_NESTING_DEPTH}, and every string valid Unicode without U+FFFD (what undecodable bytes
 * turn into). Lenient parsers read such texts in different ways — the first or the last of two keys, the object
 * before the garbage — so the contract refuses them. The one definition for ingest and silver: silver calls it as
 * a Spark function.
 */
public final class StrictJson {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final char REPLACEMENT_CHARACTER = '\uFFFD';

    private StrictJson() {}

    public static boolean isSingleObject(String text) {
        if (text == null) {
            return false;
        }
        try (JsonParser parser = FACTORY.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            int depth = 1;
            while (depth > 0) {
                JsonToken token = parser.nextToken();
                if (token == null) {
                    return false;
                }
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > EventContract.MAX_NESTING_DEPTH) {
                            return false;
                        }
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case FIELD_NAME, VALUE_STRING -> {
                        if (!isCleanUnicode(parser.getText())) {
                            return false;
                        }
                    }
                    default -> {}
                }
            }
            return parser.nextToken() == null;
        } catch (IOException | RuntimeException notStrictJson) {
            return false;
        }
    }

    /** No U+FFFD and no unpaired surrogate (a JSON escape such as "\ud800" can make one). */
    private static boolean isCleanUnicode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == REPLACEMENT_CHARACTER) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
