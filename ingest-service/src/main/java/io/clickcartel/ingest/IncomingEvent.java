package io.clickcartel.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event as delimited in a request, before validation.
 *
 * @param index  its position in the request (0 for the single endpoint)
 * @param raw    its text exactly as received, for the rejected topic
 * @param parsed its JSON, or {@code null} when the text is not JSON
 */
public record IncomingEvent(int index, String raw, JsonNode parsed) {
}
