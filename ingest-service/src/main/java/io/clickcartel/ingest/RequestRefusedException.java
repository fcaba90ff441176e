package io.clickcartel.ingest;

/** A request refused as a whole, before any of its events is looked at one by one. */
public class RequestRefusedException extends RuntimeException {
    private final int status;
    private final String title;

    public RequestRefusedException(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public static RequestRefusedException tooLarge(String detail) {
        return new RequestRefusedException(413, "Payload too large", detail);
    }

    public static RequestRefusedException badRequest(String detail) {
        return new RequestRefusedException(400, "Bad request", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
