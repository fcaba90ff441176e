package io.clickcartel.core.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The event types of the funnel, in funnel order. Stored lowercase. */
public enum EventType {
    VIEW_PRODUCT,
    ADD_TO_CART,
    PURCHASE;

    private static final EventType[] VALUES = values();
    public static final List<String> WIRE_NAMES =
            Arrays.stream(VALUES).map(EventType::wireName).toList();

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /**
     * Trims and ignores the case of ASCII letters, as the contract allows on input. Only ASCII: Unicode case folding
     * would also take a dotless ı or a long ſ for i and s, and differ from silver's.
     */
    public static Optional<EventType> parse(String text) {
        String trimmed = Strings.trim(text);
        for (EventType type : VALUES) {
            if (equalsIgnoringAsciiCase(type.wireName, trimmed)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    private static boolean equalsIgnoringAsciiCase(String lowercase, String text) {
        if (lowercase.length() != text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char folded = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            if (folded != lowercase.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
