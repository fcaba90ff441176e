package io.clickcartel.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The id of an event sent without event_id: "h-" and the first 32 hex digits of the SHA-256 of its UTF-8 text. */
class EventIdsTest {

    @Test
    void isThePrefixAndTheFirst128BitsOfTheSha256OfTheText() {
        // FIPS 180-2 test vectors: SHA-256("abc"), SHA-256("")
        assertThat(EventIds.fromContent("abc")).isEqualTo("h-ba7816bf8f01cfea414140de5dae2223");
        assertThat(EventIds.fromContent("")).isEqualTo("h-e3b0c44298fc1c149afbf4c8996fb924");
        // UTF-8: "é" is the two bytes C3 A9 (sha256sum of the same bytes)
        assertThat(EventIds.fromContent("{\"a\":\"\u00E9\"}")).isEqualTo("h-b3a092a6af48807fa9482b2ee1401055");
    }

    @Test
    void hasTheContractFormatAndIsAValidEventId() {
        for (String text : new String[] {"", "abc", "{}", "\uD83D\uDE00", "x".repeat(40_000)}) {
            String id = EventIds.fromContent(text);
            assertThat(id)
                    .matches("h-[0-9a-f]{32}")
                    .startsWith(EventContract.CONTENT_ID_PREFIX)
                    .hasSize(EventContract.CONTENT_ID_PREFIX.length() + EventContract.CONTENT_ID_HEX_DIGITS)
                    .matches(EventContract.EVENT_ID_PATTERN);
        }
    }

    @Test
    void dependsOnEveryCharacterOfTheTextAndNothingElse() {
        assertThat(EventIds.fromContent("{\"a\":1}"))
                .isEqualTo(EventIds.fromContent("{\"a\":1}"))
                .isNotEqualTo(EventIds.fromContent("{\"a\":1} "))
                .isNotEqualTo(EventIds.fromContent("{\"a\": 1}"))
                .isNotEqualTo(EventIds.fromContent("{\"a\":2}"));
    }
}
