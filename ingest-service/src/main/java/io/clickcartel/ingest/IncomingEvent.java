package io.clickcartel.ingest;

/**
 * One event as delimited in a request, before validation.
 *
 * @param index its position in the request (0 for the single endpoint)
 * @param raw   its text exactly as received: what is validated, hashed into an id when it has none, and kept in
 *              the rejected topic
 */
public record IncomingEvent(int index, String raw) {}
