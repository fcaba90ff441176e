package io.clickcartel.datagen;

import java.util.Arrays;

/**
 * The events users really made, column by column (10 M events fit in ~200 MB). A negative user or product is an
 * id unknown to the reference data: -1 is unknown id 0, -2 unknown id 1, and so on.
 */
final class TrueEvents {
    // event type codes: EventType's ordinals (funnel order), so EventType.WIRE_NAMES.get(code) is the wire name
    static final byte VIEW = 0;
    static final byte CART = 1;
    static final byte PURCHASE = 2;

    long[] time = new long[1024];
    int[] user = new int[1024];
    int[] product = new int[1024];
    int[] session = new int[1024];
    byte[] type = new byte[1024];
    byte[] quantity = new byte[1024];
    int size;

    void add(long eventTime, int userRef, int productRef, int sessionId, byte eventType, int qty) {
        if (size == time.length) {
            int grown = size * 2;
            time = Arrays.copyOf(time, grown);
            user = Arrays.copyOf(user, grown);
            product = Arrays.copyOf(product, grown);
            session = Arrays.copyOf(session, grown);
            type = Arrays.copyOf(type, grown);
            quantity = Arrays.copyOf(quantity, grown);
        }
        time[size] = eventTime;
        user[size] = userRef;
        product[size] = productRef;
        session[size] = sessionId;
        type[size] = eventType;
        quantity[size] = (byte) qty;
        size++;
    }

    /** Indices sorted by event time (ties by index). */
    int[] timeOrder(long origin) {
        return ascending(time, size, origin);
    }

    /**
     * Indices 0..size-1 sorted by {@code times[i]}, ties by index: a primitive sort of (time − origin) << 24 | index,
     * so it needs size < 2^24 and times within ~17 years after origin.
     */
    static int[] ascending(long[] times, int size, long origin) {
        long[] keys = new long[size];
        for (int i = 0; i < size; i++) {
            keys[i] = ((times[i] - origin) << 24) | i;
        }
        Arrays.parallelSort(keys);
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = (int) (keys[i] & 0xFFFFFF);
        }
        return order;
    }
}
