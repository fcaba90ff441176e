package io.clickcartel.datagen;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.contract.Rule;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ground truth: what every layer must hold after the phases are delivered in order, derived from the event
 * lines alone with the oracle's own reading of the contract ({@link OracleContract}, not the validator the
 * pipeline runs) — never from what the generator meant them to be.
 *
 * <p>Semantics, in delivery order:
 * <ul>
 *   <li>HTTP lines that break a rule are rejected by ingest; the others, and every landing line, become bronze rows.
 *   <li>Bronze rows that break a rule are quarantined with the first rule they break.
 *   <li>The watermark is (newest valid event time of the earlier phases) − delay; a valid event older than it is
 *       too late. Within a phase nothing is late: the generator keeps each phase's disorder far below the delay,
 *       and this class fails loudly if it does not.
 *   <li>Of the remaining valid events, the first with an event_id is a silver row, later ones are duplicates.
 *   <li>Backfill semantics (no watermark): every valid event, de-duplicated exactly on event_id.
 *   <li>Revenue: unit price × quantity for purchases of known products; 0 otherwise.
 * </ul>
 */
final class Oracle implements LineSink {

    private final OracleContract contract;
    private final Map<String, BigDecimal> prices;
    private final Set<String> customers;
    private final long delayMillis;
    /**
     * The earliest moment the lines can be delivered: now, as they are generated. A landing line's receive time is
     * the collector's {@code received_at} (never later than when bronze stores it); an HTTP line gets its receive
     * time at ingest, which matters for its event time only with sent_at — refused for HTTP lines below.
     */
    private final Instant deliveredBy = Instant.now();

    private Phase currentPhase;
    private long newestBeforePhase = Long.MIN_VALUE;
    private long newestInPhase = Long.MIN_VALUE;

    private long httpLines;
    private long landingLines;
    private long ingestAccepted;
    private final Map<String, Long> ingestRejected = new TreeMap<>();
    private long bronzeRows;
    private final Map<String, Long> quarantined = new TreeMap<>();
    private long tooLate;
    private long duplicates;
    private long unknownCustomerRows;
    private long unknownProductRows;
    /** Every valid event id seen: IN_SILVER once an on-time copy made a silver row, LATE_ONLY before that. */
    private final Map<String, Boolean> seenIds;

    private static final Boolean IN_SILVER = Boolean.TRUE;
    private static final Boolean LATE_ONLY = Boolean.FALSE;
    private long silverRows;
    private final Map<LocalDate, Long> silverRowsByDate = new TreeMap<>();
    private final Map<LocalDate, Long> backfillRowsByDate = new TreeMap<>();
    private final Map<ProductDay, ProductDayTotals> productDaily = new HashMap<>();
    private final GoldOracle gold;
    /** The first copy of each event whose copies came too late so far: a backfill brings back those never on time. */
    private final java.util.ArrayList<GoldOracle.SilverEvent> lateFirstCopies = new java.util.ArrayList<>();

    Oracle(Catalog catalog, Duration watermarkDelay, ObjectMapper json, int expectedEvents) {
        this.seenIds = new HashMap<>(Math.max(16, (int) (expectedEvents * 1.1 / 0.75)));
        this.contract = new OracleContract(json);
        this.delayMillis = watermarkDelay.toMillis();
        this.prices = new HashMap<>();
        catalog.products().forEach(p -> prices.put(p.id(), p.price()));
        this.customers = new HashSet<>();
        catalog.customers().forEach(c -> customers.add(c.id()));
        this.gold = new GoldOracle(catalog);
    }

    record ProductDay(LocalDate date, String productId) {}

    static final class ProductDayTotals {
        long views;
        long carts;
        long purchases;
        long unitsSold;
        BigDecimal revenue = BigDecimal.ZERO.setScale(2);
    }

    @Override
    public void accept(Phase phase, String line, Kind ignored, Rule alsoIgnored) {
        record(check(phase, line));
    }

    /** One line checked against the contract: the part of the oracle that needs no state, so it can run anywhere. */
    record Check(Phase phase, String line, OracleContract.Verdict verdict) {}

    Check check(Phase phase, String line) {
        OracleContract.Verdict verdict = phase.route() == Phase.Route.HTTP
                ? contract.received(line, deliveredBy)
                : contract.landed(line, deliveredBy);
        return new Check(phase, line, verdict);
    }

    /** Takes a checked line into account; lines must come in delivery order. */
    void record(Check check) {
        Phase phase = check.phase();
        String line = check.line();
        if (phase != currentPhase) {
            newestBeforePhase = Math.max(newestBeforePhase, newestInPhase);
            newestInPhase = Long.MIN_VALUE;
            currentPhase = phase;
        }
        boolean http = phase.route() == Phase.Route.HTTP;
        if (http) {
            httpLines++;
        } else {
            landingLines++;
        }
        if (check.verdict() instanceof OracleContract.Broken broken) {
            Map<String, Long> refused = http ? ingestRejected : quarantined;
            if (!http) {
                bronzeRows++;
            }
            refused.merge(broken.rule().id(), 1L, Long::sum);
            return;
        }
        OracleContract.Accepted event = (OracleContract.Accepted) check.verdict();
        if (http && event.clockSkewMs() != null) {
            throw new IllegalStateException("an HTTP event carries sent_at: the ingest service corrects it against "
                    + "the real clock, so its event time cannot be known in advance: " + line);
        }
        bronzeRows++;
        if (http) {
            ingestAccepted++;
        }
        long eventTime = event.eventTime().toEpochMilli();
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(eventTime, 86_400_000L));
        boolean late = newestBeforePhase != Long.MIN_VALUE && eventTime < newestBeforePhase - delayMillis;
        if (!late && newestInPhase != Long.MIN_VALUE && eventTime < newestInPhase - delayMillis / 2) {
            throw new IllegalStateException("event " + event.eventId() + " is " + (newestInPhase - eventTime)
                    + " ms behind newer events of its phase: more than half the watermark delay, so whether it "
                    + "is late would depend on micro-batch boundaries");
        }
        // one hash lookup per event: this map holds every event id
        Boolean seen = late ? seenIds.putIfAbsent(event.eventId(), LATE_ONLY) : seenIds.put(event.eventId(), IN_SILVER);
        BigDecimal price = prices.get(event.productId());
        BigDecimal revenue = event.eventType() == io.clickcartel.core.contract.EventType.PURCHASE && price != null
                ? price.multiply(BigDecimal.valueOf(event.quantity()))
                : BigDecimal.ZERO.setScale(2);
        if (seen == null) {
            backfillRowsByDate.merge(date, 1L, Long::sum);
        }
        if (late) {
            tooLate++;
            if (seen == null) {
                lateFirstCopies.add(gold.event(
                        event.eventTime(),
                        event.eventId(),
                        event.userId(),
                        event.eventType(),
                        event.productId(),
                        event.quantity(),
                        revenue));
            }
            return;
        }
        newestInPhase = Math.max(newestInPhase, eventTime);
        if (seen == IN_SILVER) {
            duplicates++;
            return;
        }
        silverRows++;
        silverRowsByDate.merge(date, 1L, Long::sum);
        if (!customers.contains(event.userId())) {
            unknownCustomerRows++;
        }
        if (price == null) {
            unknownProductRows++;
        }
        ProductDayTotals totals =
                productDaily.computeIfAbsent(new ProductDay(date, event.productId()), k -> new ProductDayTotals());
        switch (event.eventType()) {
            case VIEW_PRODUCT -> totals.views++;
            case ADD_TO_CART -> totals.carts++;
            case PURCHASE -> {
                totals.purchases++;
                totals.unitsSold += event.quantity();
                totals.revenue = totals.revenue.add(revenue);
            }
        }
        gold.add(gold.event(
                event.eventTime(),
                event.eventId(),
                event.userId(),
                event.eventType(),
                event.productId(),
                event.quantity(),
                revenue));
    }

    Expected result() {
        long quarantinedTotal =
                quarantined.values().stream().mapToLong(Long::longValue).sum();
        long rejectedTotal =
                ingestRejected.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Object> counts = new TreeMap<>();
        counts.put("sent_over_http", httpLines);
        counts.put("landed_as_files", landingLines);
        counts.put(GroundTruth.INGEST_ACCEPTED, ingestAccepted);
        counts.put(GroundTruth.INGEST_REJECTED, rejectedTotal);
        counts.put("ingest_rejected_by_rule", ingestRejected);
        counts.put(GroundTruth.BRONZE_ROWS, bronzeRows);
        counts.put(GroundTruth.SILVER_ROWS, silverRows);
        counts.put(GroundTruth.QUARANTINED, quarantinedTotal);
        counts.put("quarantined_by_rule", quarantined);
        counts.put(GroundTruth.DUPLICATES_REMOVED, duplicates);
        counts.put(GroundTruth.TOO_LATE, tooLate);
        counts.put("silver_unknown_customer_rows", unknownCustomerRows);
        counts.put("silver_unknown_product_rows", unknownProductRows);
        counts.put("silver_rows_by_date", stringKeys(silverRowsByDate));
        counts.put("backfill_silver_rows", (long) seenIds.size());
        counts.put("backfill_silver_rows_by_date", stringKeys(backfillRowsByDate));
        if (bronzeRows != silverRows + quarantinedTotal + duplicates + tooLate) {
            throw new IllegalStateException("oracle lost track of an event: " + counts);
        }
        List<GoldOracle.SilverEvent> neverOnTime = lateFirstCopies.stream()
                .filter(copy -> seenIds.get(copy.eventId()) == LATE_ONLY)
                .toList();
        return new Expected(
                counts, productDaily, gold.tables(), gold.withAlso(neverOnTime).tables());
    }

    private static Map<String, Long> stringKeys(Map<LocalDate, Long> byDate) {
        Map<String, Long> result = new TreeMap<>();
        byDate.forEach((date, count) -> result.put(date.toString(), count));
        return result;
    }

    /** The oracle's answers, ready to be written. */
    record Expected(
            Map<String, Object> counts,
            Map<ProductDay, ProductDayTotals> productDaily,
            Map<io.clickcartel.core.LakeTable, List<Map<String, String>>> gold,
            Map<io.clickcartel.core.LakeTable, List<Map<String, String>>> goldAfterBackfill) {

        long count(String name) {
            return ((Number) counts.get(name)).longValue();
        }

        @SuppressWarnings("unchecked")
        Map<String, Long> countsByKey(String name) {
            return (Map<String, Long>) counts.get(name);
        }
    }
}
