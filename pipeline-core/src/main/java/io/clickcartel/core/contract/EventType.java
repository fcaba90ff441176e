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
    public static final List<String> WIRE_NAMES = Arrays.stream(VALUES).map(EventType::wireName).toList();

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /** Trims and ignores case, as the contract allows on input. */
    public static Optional<EventType> parse(String text) {
        String trimmed = Strings.trim(text);
        for (EventType type : VALUES) {
            if (type.wireName.equalsIgnoreCase(trimmed)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
