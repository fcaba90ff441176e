package io.clickcartel.insights;

import io.clickcartel.core.GoldColumns;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The dashboard's JSON API over the current gold snapshot. Dates are UTC days ({@code 2026-05-01}), both ends
 * inclusive, either may be left out; lists are paged with {@code offset} and {@code limit} (at most
 * {@value #MAX_LIMIT}).
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class InsightsResource {

    static final int MAX_LIMIT = 1000;

    private final GoldSnapshots snapshots;
    private final PipelineSnapshots pipeline;
    private final InsightsConfig config;

    InsightsResource(GoldSnapshots snapshots, PipelineSnapshots pipeline, InsightsConfig config) {
        this.snapshots = snapshots;
        this.pipeline = pipeline;
        this.config = config;
    }

    /** How the page shows money. */
    public record Settings(String currency) {}

    @GET
    @Path("/settings")
    @Operation(summary = "How figures are shown: the currency of revenue")
    public Settings settings() {
        return new Settings(config.insights().currency());
    }

    @GET
    @Path("/filters")
    @Operation(summary = "The dates gold covers and the categories, locations and segments to filter by")
    public Insights.Filters filters() {
        return Insights.filters(snapshots.current());
    }

    @GET
    @Path("/products")
    @Operation(summary = "Products ranked over a date range: views, carts, purchases, units, revenue, conversion")
    public Insights.ProductRanking products(
            @QueryParam("from") @Parameter(description = "first day, e.g. 2026-05-01") String from,
            @QueryParam("to") @Parameter(description = "last day (inclusive)") String to,
            @QueryParam("category") String category,
            @QueryParam("sort")
                    @DefaultValue("revenue")
                    @Parameter(description = "revenue, views, carts, purchases or units")
                    String sort,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("10") int limit) {
        return Insights.topProducts(
                snapshots.current(), range(from, to), optional(category), order(sort), offset(offset), limit(limit));
    }

    @GET
    @Path("/funnel")
    @Operation(summary = "Users who viewed, carted and purchased, per day and over the range, for a category or ALL")
    public Insights.Funnel funnel(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("category") @DefaultValue(GoldColumns.ALL_CATEGORIES) String category) {
        return Insights.funnel(snapshots.current(), range(from, to), category);
    }

    @GET
    @Path("/sessions")
    @Operation(summary = "Sessions and session conversion per day and over the range")
    public Insights.Sessions sessions(@QueryParam("from") String from, @QueryParam("to") String to) {
        return Insights.sessions(snapshots.current(), range(from, to));
    }

    @GET
    @Path("/paths")
    @Operation(summary = "The most common paths of sessions (event types in order), e.g. to a purchase")
    public Insights.Page<Insights.PathSummary> paths(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("converted") @Parameter(description = "true: paths to a purchase; false: without")
                    String converted,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("10") int limit) {
        return Insights.paths(
                snapshots.current(),
                range(from, to),
                optional(converted).map(InsightsResource::bool),
                offset(offset),
                limit(limit));
    }

    @GET
    @Path("/customers")
    @Operation(summary = "Customers by revenue rank (all time), with their RFM scores and segment")
    public Insights.Page<Gold.Customer> customers(
            @QueryParam("location") String location,
            @QueryParam("segment") String segment,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("10") int limit) {
        return Insights.topCustomers(
                snapshots.current(), optional(location), optional(segment), offset(offset), limit(limit));
    }

    @GET
    @Path("/segments")
    @Operation(summary = "Customers and revenue per RFM segment")
    public List<Insights.SegmentSummary> segments(@QueryParam("location") String location) {
        return Insights.segments(snapshots.current(), optional(location));
    }

    @GET
    @Path("/freshness")
    @Operation(summary = "Each gold table's Delta version, commit time, rows, and how far it trails bronze")
    public Insights.Freshness freshness() {
        return Insights.freshness(snapshots.current(), snapshots.bronze());
    }

    /** A wrong query says what was expected, as JSON. */
    public record Problem(int status, String error) {}

    @ServerExceptionMapper
    public Response badRequest(BadRequestException e) {
        return Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON)
                .entity(new Problem(400, e.getMessage()))
                .build();
    }

    @GET
    @Path("/pipeline")
    @Operation(
            summary = "Per table its recent micro-batches (commits), lag behind the layer it reads, and the "
                    + "quarantine by rule with samples of the rejected raw rows")
    public Pipeline.View pipeline() {
        return pipeline.current();
    }

    private static Insights.DateRange range(String from, String to) {
        Insights.DateRange range = new Insights.DateRange(date("from", from), date("to", to));
        if (range.from() != null && range.to() != null && range.to().isBefore(range.from())) {
            throw new BadRequestException("'to' (" + to + ") is before 'from' (" + from + ")");
        }
        return range;
    }

    private static LocalDate date(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new BadRequestException("'" + name + "' is a date like 2026-05-01, not '" + value + "'");
        }
    }

    private static Insights.ProductOrder order(String sort) {
        try {
            return Insights.ProductOrder.valueOf(sort.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(
                    "'sort' is one of revenue, views, carts, purchases, units; not '" + sort + "'");
        }
    }

    private static boolean bool(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadRequestException("'converted' is true or false, not '" + value + "'");
        };
    }

    private static int offset(int offset) {
        if (offset < 0) {
            throw new BadRequestException("'offset' is 0 or more");
        }
        return offset;
    }

    private static int limit(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("'limit' is between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    private static Optional<String> optional(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
