package io.clickcartel.ingest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** The collector API. Every 2xx means Kafka has acknowledged every accepted event. */
@Path("/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "writeKey")
public class EventsResource {

    public static final String NDJSON = "application/x-ndjson";

    private final RequestParser parser;
    private final Ingestor ingestor;

    public EventsResource(RequestParser parser, Ingestor ingestor) {
        this.parser = parser;
        this.ingestor = ingestor;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send one event")
    @APIResponse(responseCode = "202", description = "Accepted and acknowledged by Kafka; lists the event id")
    @APIResponse(responseCode = "400", description = "Malformed JSON or a contract rule broken (problem+json)")
    @APIResponse(responseCode = "401", description = "Missing or unknown write key")
    @APIResponse(responseCode = "413", description = "Event over 32 KB")
    @APIResponse(responseCode = "503", description = "Kafka unavailable; nothing accepted; see Retry-After")
    public CompletionStage<Response> single(byte[] body) {
        return ingestor.ingest(List.of(parser.single(body)))
                .thenApply(result -> result.rejected().isEmpty()
                        ? Response.accepted(result).build()
                        : Problem.contractBroken(result.rejected().get(0))
                                .toResponse()
                                .build());
    }

    @POST
    @Path("/batch")
    @Consumes({MediaType.APPLICATION_JSON, NDJSON})
    @Operation(summary = "Send up to 2,500 events as a JSON array or as newline-delimited JSON")
    @APIResponse(
            responseCode = "202",
            description = "Valid events accepted and acknowledged by Kafka; invalid ones listed by index")
    @APIResponse(responseCode = "400", description = "Body is not JSON, not an array, or empty")
    @APIResponse(responseCode = "401", description = "Missing or unknown write key")
    @APIResponse(responseCode = "413", description = "Body over 512 KB, an event over 32 KB, or over 2,500 events")
    @APIResponse(responseCode = "503", description = "Kafka unavailable; nothing accepted; see Retry-After")
    public CompletionStage<Response> batch(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        boolean ndjson = contentType != null && contentType.toLowerCase().startsWith(NDJSON);
        List<IncomingEvent> events = ndjson ? parser.ndjson(body) : parser.jsonArray(body);
        return ingestor.ingest(events)
                .thenApply(result -> Response.accepted(result).build());
    }
}
