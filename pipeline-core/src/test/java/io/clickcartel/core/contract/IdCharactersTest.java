package io.clickcartel.core.contract;

import static io.clickcartel.core.contract.TestEvents.JSON;
import static io.clickcartel.core.contract.TestEvents.RECEIVED_AT;
import static io.clickcartel.core.contract.TestEvents.invalid;
import static io.clickcartel.core.contract.TestEvents.valid;
import static io.clickcartel.core.contract.TestEvents.withString;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ids may hold any character but controls and invisible ones (two ids that look alike must be alike), and only
 * " \t\r\n" is trimmed from the ends of a string: nothing else, NUL and the other controls included.
 */
class IdCharactersTest {

    /** One of each kind {@link EventContract#INVISIBLE_CHARACTER} names. */
    static final Map<Character, String> INVISIBLE = Map.of(
            '\u0000', "NUL (Cc)",
            '\u0085', "NEL, a C1 control and a regex line terminator (Cc)",
            '\u200B', "zero-width space (Cf)",
            '\u200E', "left-to-right mark (Cf)",
            '\u202E', "right-to-left override (Cf)",
            '\u2066', "left-to-right isolate (Cf)",
            '\uFEFF', "zero-width no-break space, BOM (Cf)",
            '\u00AD', "soft hyphen (Cf)",
            '\u2028', "line separator (Zl)");

    private static final Map<String, Rule> ID_FIELDS = Map.of(
            EventField.USER_ID, Rule.USER_ID_INVALID,
            EventField.PRODUCT_ID, Rule.PRODUCT_ID_INVALID,
            EventField.SESSION_ID, Rule.SESSION_ID_INVALID,
            EventField.EVENT_ID, Rule.EVENT_ID_INVALID);

    private final EventValidator validator = new EventValidator(JSON);

    private Validation check(String raw) {
        return validator.validate(raw, RECEIVED_AT);
    }

    private static String escape(char c) {
        return "\\u" + HexFormat.of().toHexDigits(c);
    }

    static Stream<Arguments> idsWithAnInvisibleCharacter() {
        List<Arguments> cases = new ArrayList<>();
        for (var invisible : INVISIBLE.entrySet()) {
            char c = invisible.getKey();
            // a JSON text may hold C0 controls only escaped; the others both ways
            List<String> forms = c < 0x20 ? List.of(escape(c)) : List.of(escape(c), String.valueOf(c));
            for (var field : ID_FIELDS.entrySet()) {
                for (String form : forms) {
                    String kind = invisible.getValue() + (form.length() == 1 ? ", raw" : ", escaped");
                    cases.add(Arguments.of(field.getKey(), form + "id1", kind + ", first", field.getValue()));
                    cases.add(Arguments.of(field.getKey(), "id" + form + "1", kind + ", inside", field.getValue()));
                    cases.add(Arguments.of(field.getKey(), "id1" + form, kind + ", last", field.getValue()));
                    cases.add(Arguments.of(
                            field.getKey(),
                            " id1" + form + " ",
                            kind + ", last before a trimmed space",
                            field.getValue()));
                    cases.add(Arguments.of(field.getKey(), form, kind + ", alone", field.getValue()));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with {2}")
    @MethodSource("idsWithAnInvisibleCharacter")
    void refusesAnIdWithAControlOrInvisibleCharacter(String field, String content, String kind, Rule expected) {
        assertThat(check(withString(field, content))).isEqualTo(invalid(expected));
    }

    @Test
    void theInvisibleCharactersAreExactlyTheContractPattern() {
        for (char c : INVISIBLE.keySet()) {
            assertThat(EventContract.INVISIBLE_CHARACTER
                            .matcher(String.valueOf(c))
                            .find())
                    .as("U+%04X", (int) c)
                    .isTrue();
        }
        for (char c : "a\u00A0\u3000 \u00E9\u4E2D".toCharArray()) {
            assertThat(EventContract.INVISIBLE_CHARACTER
                            .matcher(String.valueOf(c))
                            .find())
                    .as("U+%04X", (int) c)
                    .isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "purchase\\u0000",
                "\\u0000purchase",
                "purchase\\u000b",
                "\\u000bpurchase",
                "purchase\u00A0",
                "purchase\\u200b",
                "pur\\u00adchase",
                "purchase\u2028",
                "purchase\\u0085",
                "\\ufeffpurchase"
            })
    void anEventTypeWithAnUntrimmedCharacterIsUnknown(String content) {
        assertThat(check(withString(EventField.EVENT_TYPE, content))).isEqualTo(invalid(Rule.EVENT_TYPE_UNKNOWN));
    }

    @ParameterizedTest
    @ValueSource(strings = {" purchase", "purchase\\t", "\\r\\npurchase\\n", " \\t\\r\\n PURCHASE \\t\\r\\n"})
    void anEventTypeIsTrimmedOfJsonWhitespaceOnly(String content) {
        assertThat(valid(check(withString(EventField.EVENT_TYPE, content))).eventType())
                .isEqualTo(EventType.PURCHASE);
    }

    @Test
    void onlyJsonWhitespaceIsTrimmedFromIds() {
        NormalizedEvent event = valid(check(withString(EventField.USER_ID, " \\t\\r\\n u1 \\t\\r\\n")));
        assertThat(event.userId()).isEqualTo("u1");
        // a vertical tab or NUL at the edge was trimmed once (String.trim); now it is a control inside the id
        assertThat(check(withString(EventField.USER_ID, "\\u000bu1"))).isEqualTo(invalid(Rule.USER_ID_INVALID));
        assertThat(check(withString(EventField.USER_ID, "u1\\u0000"))).isEqualTo(invalid(Rule.USER_ID_INVALID));
        assertThat(check(withString(EventField.USER_ID, "\\u001fu1"))).isEqualTo(invalid(Rule.USER_ID_INVALID));
        assertThat(check(withString(EventField.USER_ID, "u1\\f"))).isEqualTo(invalid(Rule.USER_ID_INVALID));
        // and a string of controls is not blank: invalid, not missing
        assertThat(check(withString(EventField.USER_ID, "\\u000b"))).isEqualTo(invalid(Rule.USER_ID_INVALID));
        assertThat(check(withString(EventField.USER_ID, " \\u0000 "))).isEqualTo(invalid(Rule.USER_ID_INVALID));
        assertThat(check(withString(EventField.EVENT_TYPE, "\\u000b"))).isEqualTo(invalid(Rule.EVENT_TYPE_UNKNOWN));
        assertThat(check(withString(EventField.TIMESTAMP, "\\u0000"))).isEqualTo(invalid(Rule.TIMESTAMP_INVALID));
    }

    @Test
    void noBreakSpacesAndOtherVisibleSpacesAreNeitherTrimmedNorRefused() {
        assertThat(valid(check(withString(EventField.USER_ID, "u\u00A01"))).userId())
                .isEqualTo("u\u00A01");
        assertThat(valid(check(withString(EventField.USER_ID, "\\u00a0u1\\u00A0")))
                        .userId())
                .isEqualTo("\u00A0u1\u00A0");
        assertThat(valid(check(withString(EventField.PRODUCT_ID, " \u00A0p1 "))).productId())
                .isEqualTo("\u00A0p1");
        assertThat(valid(check(withString(EventField.SESSION_ID, "\u3000s\u3000")))
                        .sessionId())
                .isEqualTo("\u3000s\u3000");
        // a lone no-break space is not blank (it is not trimmed), so it is an id
        assertThat(valid(check(withString(EventField.USER_ID, "\u00A0"))).userId())
                .isEqualTo("\u00A0");
    }

    @Test
    void emojiAndOtherNonAsciiIdsAreValidAndCountedInCodePoints() {
        String emoji = "\uD83D\uDE00"; // one code point, two UTF-16 units
        assertThat(valid(check(withString(EventField.USER_ID, emoji))).userId()).isEqualTo(emoji);
        assertThat(valid(check(withString(EventField.USER_ID, "\\ud83d\\ude00")))
                        .userId())
                .isEqualTo(emoji);
        assertThat(valid(check(withString(EventField.PRODUCT_ID, "caf\u00E9-\u4E2D\u6587-\uD83D\uDED2")))
                        .productId())
                .isEqualTo("caf\u00E9-\u4E2D\u6587-\uD83D\uDED2");
        String max = emoji.repeat(EventContract.MAX_ID_LENGTH);
        assertThat(valid(check(withString(EventField.USER_ID, max))).userId()).isEqualTo(max);
        assertThat(valid(check(withString(EventField.SESSION_ID, " \\t" + max + "\\n ")))
                        .sessionId())
                .isEqualTo(max);
        assertThat(check(withString(EventField.USER_ID, max + emoji))).isEqualTo(invalid(Rule.USER_ID_INVALID));
        assertThat(check(withString(EventField.PRODUCT_ID, max + "x"))).isEqualTo(invalid(Rule.PRODUCT_ID_INVALID));
        assertThat(check(withString(EventField.SESSION_ID, "\u00A0" + max)))
                .isEqualTo(invalid(Rule.SESSION_ID_INVALID));
        // event_id stays ASCII: [A-Za-z0-9._:-]
        assertThat(check(withString(EventField.EVENT_ID, emoji))).isEqualTo(invalid(Rule.EVENT_ID_INVALID));
        assertThat(check(withString(EventField.EVENT_ID, "e\u00A01"))).isEqualTo(invalid(Rule.EVENT_ID_INVALID));
        assertThat(check(withString(EventField.EVENT_ID, "e-1\u2028"))).isEqualTo(invalid(Rule.EVENT_ID_INVALID));
        assertThat(check(withString(EventField.EVENT_ID, "e-1\\u0085"))).isEqualTo(invalid(Rule.EVENT_ID_INVALID));
        assertThat(valid(check(withString(EventField.EVENT_ID, "\\tA.b_c:d-9\\r\\n")))
                        .eventId())
                .isEqualTo("A.b_c:d-9");
    }
}
