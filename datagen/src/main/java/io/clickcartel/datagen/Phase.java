package io.clickcartel.datagen;

/**
 * Events are delivered in phases, in this order, each one fully processed before the next starts. The order makes
 * the watermark outcome exact: main traffic is never late, the late phase always is.
 */
public enum Phase {
    /** Most of the main traffic, over the ingest API, in event-time order with small jitter. */
    MAIN_HTTP("1-main-http", Route.HTTP),
    /** The most recent part of the main traffic, as JSON-lines files for the landing folder. */
    MAIN_LANDING("2-main-landing", Route.LANDING),
    /** Events older than the silver watermark by then, over the ingest API. */
    LATE_HTTP("3-late-http", Route.HTTP);

    public enum Route {
        HTTP,
        LANDING
    }

    private final String directory;
    private final Route route;

    Phase(String directory, Route route) {
        this.directory = directory;
        this.route = route;
    }

    public String directory() {
        return directory;
    }

    public Route route() {
        return route;
    }
}
