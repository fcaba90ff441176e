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

    public static final List<String> WIRE_NAMES =
            Arrays.stream(values()).map(EventType::wireName).toList();

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Trims and ignores case, as the contract allows on input. */
    public static Optional<EventType> parse(String text) {
        String normalised = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(t -> t.wireName().equals(normalised)).findFirst();
    }
}
