package io.clickcartel.ingest;

/** A request shed before anything of it was accepted: the client should retry after {@link #retryAfterSeconds()}. */
public class OverloadedException extends RuntimeException {

    private final int status;
    private final long retryAfterSeconds;

    OverloadedException(int status, String detail, long retryAfterSeconds) {
        super(detail);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 503 when the service as a whole is at its limit, 429 when one write key sends faster than allowed. */
    public int status() {
        return status;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
