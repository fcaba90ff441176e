package io.clickcartel.ingest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 {@code application/problem+json} body; {@code field}, {@code rule} and {@code reason} for contract breaks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String field, String rule, String reason) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String title, String detail) {
        return new Problem("about:blank", title, status, detail, null, null, null);
    }

    public static Problem contractBroken(IngestResult.Rejection rejection) {
        return new Problem(
                "urn:clickcartel:rule:" + rejection.rule(),
                "Event breaks the contract",
                400,
                rejection.reason(),
                rejection.field(),
                rejection.rule(),
                rejection.reason());
    }

    public Response.ResponseBuilder toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this);
    }
}
