package io.clickcartel.core;

/** Customer segments of gold.customer_value, in the order they are tested: the first that matches wins. */
public enum Segment {
    CHAMPIONS("champions"),
    LOYAL("loyal"),
    BIG_SPENDER("big_spender"),
    AT_RISK("at_risk"),
    NEW("new"),
    REGULAR("regular"),
    /** No purchase at all: not scored. */
    BROWSER("browser");

    private final String id;

    Segment(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The segment of a buyer with these R, F, M scores (1–5, 5 best). */
    public static Segment of(int r, int f, int m) {
        if (r >= 4 && f >= 4 && m >= 4) {
            return CHAMPIONS;
        }
        if (f >= 4) {
            return LOYAL;
        }
        if (m >= 4) {
            return BIG_SPENDER;
        }
        if (r <= 2 && f >= 3) {
            return AT_RISK;
        }
        if (f == 1 && r >= 4) {
            return NEW;
        }
        return REGULAR;
    }
}
