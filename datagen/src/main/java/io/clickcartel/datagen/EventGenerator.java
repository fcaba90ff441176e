package io.clickcartel.datagen;

import io.clickcartel.core.contract.EventType;
import io.clickcartel.core.contract.Rule;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generates the clickstream: sessions of users browsing skewed-popularity products through a view → cart →
 * purchase funnel, then delivers it phase by phase with jitter and deliberate mess (duplicates, malformed, messy
 * but fixable, late events, unknown customers and products).
 */
final class EventGenerator {

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    /** Messy forms; CLOCK_SKEW only in the landing folder, where the collector recorded received_at. */
    private static final int WHITESPACE = 1,
            MIXED_CASE = 2,
            EPOCH_NUMBER = 3,
            EPOCH_STRING = 4,
            OFFSET = 5,
            CLOCK_SKEW = 6;

    private static final int HTTP_MESSY_FORMS = 5;
    private static final int LANDING_MESSY_FORMS = 6;
    /** Malformed forms, each breaking the rule at the same index. */
    private static final Rule[] MALFORMED_FORMS = {
        Rule.MALFORMED_JSON,
        Rule.USER_ID_MISSING,
        Rule.PRODUCT_ID_MISSING,
        Rule.TIMESTAMP_MISSING,
        Rule.EVENT_TYPE_MISSING,
        Rule.EVENT_TYPE_UNKNOWN,
        Rule.TIMESTAMP_INVALID,
        Rule.QUANTITY_INVALID,
        Rule.USER_ID_INVALID,
        Rule.QUANTITY_OUT_OF_RANGE
    };

    private static final DateTimeFormatter ISO_WITH_OFFSET =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    private final GeneratorConfig config;
    private final Catalog catalog;
    private final SplittableRandom random;
    private final long origin;
    private final String[] customerIds;
    private final String[] unknownCustomerIds;
    private final String[] productIds;
    private final String[] unknownProductIds;
    private TrueEvents events;
    private int mainEvents;

    EventGenerator(GeneratorConfig config, Catalog catalog, SplittableRandom random) {
        this.config = config;
        this.catalog = catalog;
        this.random = random;
        this.origin = config.startInstant().toEpochMilli();
        this.customerIds = ids(config.customers(), Catalog::customerId);
        this.unknownCustomerIds = ids(unknownCustomers(), Catalog::unknownCustomerId);
        this.productIds = ids(config.products(), Catalog::productId);
        this.unknownProductIds = ids(unknownProducts(), Catalog::unknownProductId);
    }

    private static String[] ids(int count, java.util.function.IntFunction<String> id) {
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = id.apply(i);
        }
        return ids;
    }

    private int unknownCustomers() {
        return Math.max(1, config.customers() / 10);
    }

    private int unknownProducts() {
        return Math.max(1, config.products() / 20);
    }

    void generate(LineSink sink) {
        events = inTimeOrder(simulateSessions());
        mainEvents = events.size;
        int landingFrom = (int) Math.round(mainEvents * (1 - config.landingShare()));
        deliver(Phase.MAIN_HTTP, 0, landingFrom, sink);
        deliver(Phase.MAIN_LANDING, landingFrom, mainEvents, sink);
        int lateFrom = events.size;
        addLateEvents();
        deliverLate(lateFrom, sink);
    }

    private TrueEvents simulateSessions() {
        Zipf popularity = new Zipf(config.products(), config.zipfExponent());
        TrueEvents simulated = new TrueEvents();
        long usableSpan = Math.max(HOUR, config.spanMillis() - 3 * HOUR);
        int unknownCustomers = unknownCustomers();
        int unknownProducts = unknownProducts();
        double stopChance = 1.0 / config.meanViewsPerSession();
        int session = 0;
        while (simulated.size < config.events()) {
            int user = random.nextDouble() < config.unknownCustomerRate()
                    ? -1 - random.nextInt(unknownCustomers)
                    : random.nextInt(config.customers());
            long t = origin + (long) (random.nextDouble() * usableSpan);
            int views = 1 + geometric(stopChance);
            int[] cartProducts = new int[views];
            int[] cartQuantities = new int[views];
            int carted = 0;
            for (int v = 0; v < views; v++) {
                int product = random.nextDouble() < config.unknownProductRate()
                        ? -1 - random.nextInt(unknownProducts)
                        : catalog.productByPopularity(popularity.sample(random));
                simulated.add(t, user, product, session, TrueEvents.VIEW, 1);
                t += gap();
                if (random.nextDouble() < config.cartProbability()) {
                    int quantity = random.nextDouble() < 0.8 ? 1 : 2 + random.nextInt(3);
                    simulated.add(t, user, product, session, TrueEvents.CART, quantity);
                    t += gap();
                    cartProducts[carted] = product;
                    cartQuantities[carted++] = quantity;
                }
            }
            for (int c = 0; c < carted; c++) {
                if (random.nextDouble() < config.purchaseProbability()) {
                    simulated.add(t, user, cartProducts[c], session, TrueEvents.PURCHASE, cartQuantities[c]);
                    t += gap();
                }
            }
            session++;
        }
        simulated.size = config.events(); // the last session may be cut short
        return simulated;
    }

    /** Failures before the first success: mean (1-p)/p. */
    private int geometric(double p) {
        return p >= 1 ? 0 : (int) Math.floor(Math.log(1 - random.nextDouble()) / Math.log(1 - p));
    }

    /** Seconds to minutes between a user's clicks, always far below the 30-minute session gap. */
    private long gap() {
        return 5_000 + random.nextInt(235_000);
    }

    private TrueEvents inTimeOrder(TrueEvents unordered) {
        int[] order = unordered.timeOrder(origin);
        TrueEvents ordered = new TrueEvents();
        for (int i : order) {
            ordered.add(
                    unordered.time[i],
                    unordered.user[i],
                    unordered.product[i],
                    unordered.session[i],
                    unordered.type[i],
                    unordered.quantity[i]);
        }
        return ordered;
    }

    /** Main traffic of one phase: every event once, some twice, some broken, sent in jittered time order. */
    private void deliver(Phase phase, int fromRank, int toRank, LineSink sink) {
        Deliveries deliveries = new Deliveries();
        long jitter = config.maxJitter().toMillis();
        int messyForms = phase.route() == Phase.Route.LANDING ? LANDING_MESSY_FORMS : HTTP_MESSY_FORMS;
        for (int rank = fromRank; rank < toRank; rank++) {
            long sendAt = events.time[rank] + (jitter == 0 ? 0 : random.nextLong(jitter + 1));
            int form = random.nextDouble() < config.messyRate() ? 1 + random.nextInt(messyForms) : 0;
            deliveries.add(sendAt, form == 0 ? LineSink.Kind.CLEAN : LineSink.Kind.MESSY, form, rank);
            if (random.nextDouble() < config.duplicateRate()) {
                deliveries.add(sendAt + 5_000 + random.nextInt(115_000), LineSink.Kind.DUPLICATE, form, rank);
            }
            if (random.nextDouble() < config.malformedRate()) {
                deliveries.add(sendAt, LineSink.Kind.MALFORMED, random.nextInt(MALFORMED_FORMS.length), rank);
            }
        }
        int[] order = deliveries.sendOrder(origin);
        StringBuilder line = new StringBuilder(256);
        for (int d : order) {
            LineSink.Kind kind = LineSink.Kind.values()[deliveries.kind[d]];
            int form = deliveries.form[d];
            int rank = deliveries.rank[d];
            if (kind == LineSink.Kind.MALFORMED) {
                sink.accept(phase, renderMalformed(line, rank, form, phase), kind, MALFORMED_FORMS[form]);
            } else {
                sink.accept(phase, render(line, rank, form, phase), kind, null);
            }
        }
    }

    /** Late events: older than (newest main event − watermark delay) by at least ten more minutes. */
    private void addLateEvents() {
        long delay = config.watermarkDelay().toMillis();
        long newest = events.time[mainEvents - 1];
        long latestLate = newest - delay - 10 * MINUTE;
        long window = Math.min(6 * HOUR, latestLate - origin);
        int count = (int) Math.round(mainEvents * config.lateRate());
        if (window <= 0 || count == 0) {
            return;
        }
        Zipf popularity = new Zipf(config.products(), config.zipfExponent());
        TrueEvents late = new TrueEvents();
        for (int i = 0; i < count; i++) {
            double kind = random.nextDouble();
            byte type = kind < 0.8 ? TrueEvents.VIEW : kind < 0.95 ? TrueEvents.CART : TrueEvents.PURCHASE;
            late.add(
                    latestLate - (long) (random.nextDouble() * window),
                    random.nextInt(config.customers()),
                    catalog.productByPopularity(popularity.sample(random)),
                    -1 - i,
                    type,
                    1);
        }
        TrueEvents ordered = inTimeOrder(late);
        for (int i = 0; i < ordered.size; i++) {
            events.add(
                    ordered.time[i],
                    ordered.user[i],
                    ordered.product[i],
                    ordered.session[i],
                    ordered.type[i],
                    ordered.quantity[i]);
        }
    }

    private void deliverLate(int fromRank, LineSink sink) {
        StringBuilder line = new StringBuilder(256);
        for (int rank = fromRank; rank < events.size; rank++) {
            sink.accept(Phase.LATE_HTTP, render(line, rank, 0, Phase.LATE_HTTP), LineSink.Kind.LATE, null);
        }
    }

    /** A valid event line. Its random details depend only on (seed, rank), so a duplicate renders identically. */
    private String render(StringBuilder out, int rank, int form, Phase phase) {
        SplittableRandom detail = detailRandom(rank);
        long time = events.time[rank];
        long receivedAt = time + detail.nextInt(30_000);
        String type = EventType.WIRE_NAMES.get(events.type[rank]);
        out.setLength(0);
        out.append("{\"event_id\":\"e-").append(rank).append("\",\"timestamp\":");
        long skew = 0;
        switch (form) {
            case EPOCH_NUMBER -> out.append(time);
            case EPOCH_STRING -> out.append('"').append(time).append('"');
            case OFFSET ->
                out.append('"').append(isoAtOffset(time, ZoneOffset.ofHours(2))).append('"');
            case CLOCK_SKEW -> {
                skew = (detail.nextBoolean() ? 1 : -1) * (5 * MINUTE + detail.nextLong(2 * HOUR));
                appendIso(out, time + skew);
            }
            default -> appendIso(out, time);
        }
        boolean padded = form == WHITESPACE;
        out.append(",\"user_id\":\"")
                .append(padded ? "  " : "")
                .append(userId(rank))
                .append(padded ? " \"" : "\"");
        out.append(",\"event_type\":\"")
                .append(padded ? " " : "")
                .append(form == MIXED_CASE ? mixedCase(type, detail) : type)
                .append(padded ? "  \"" : "\"");
        out.append(",\"product_id\":\"")
                .append(padded ? "\\t" : "")
                .append(productId(rank))
                .append('"');
        if (events.session[rank] >= 0) {
            out.append(",\"session_id\":\"s-").append(events.session[rank]).append('"');
        }
        if (events.type[rank] != TrueEvents.VIEW) {
            out.append(",\"quantity\":").append(events.quantity[rank]);
        }
        if (form == CLOCK_SKEW) {
            // sent the moment the collector received it, by a clock that is off by the skew
            out.append(",\"sent_at\":");
            appendIso(out, receivedAt + skew);
        }
        if (phase.route() == Phase.Route.LANDING) {
            out.append(",\"received_at\":");
            appendIso(out, receivedAt);
        }
        return out.append('}').toString();
    }

    /** An event line broken in one way, with an id of its own ({@code m-<rank>}) so it never shadows a valid one. */
    private String renderMalformed(StringBuilder out, int rank, int form, Phase phase) {
        SplittableRandom detail = detailRandom(rank);
        String valid = render(out, rank, 0, phase).replace("\"e-" + rank + "\"", "\"m-" + rank + "\"");
        String withQuantity =
                valid.contains("\"quantity\"") ? valid : valid.substring(0, valid.length() - 1) + ",\"quantity\":1}";
        return switch (MALFORMED_FORMS[form]) {
            case MALFORMED_JSON -> valid.substring(0, 10 + detail.nextInt(valid.length() - 15));
            case USER_ID_MISSING -> valid.replaceFirst(",\"user_id\":\"[^\"]*\"", "");
            case PRODUCT_ID_MISSING -> valid.replaceFirst(",\"product_id\":\"[^\"]*\"", "");
            case TIMESTAMP_MISSING -> valid.replaceFirst(",\"timestamp\":\"[^\"]*\"", "");
            case EVENT_TYPE_MISSING -> valid.replaceFirst(",\"event_type\":\"[^\"]*\"", "");
            case EVENT_TYPE_UNKNOWN -> valid.replaceFirst("\"event_type\":\"[^\"]*\"", "\"event_type\":\"checkout\"");
            case TIMESTAMP_INVALID -> valid.replaceFirst("\"timestamp\":\"[^\"]*\"", "\"timestamp\":\"yesterday\"");
            case QUANTITY_INVALID -> withQuantity.replaceFirst("\"quantity\":\\d+", "\"quantity\":\"2\"");
            case USER_ID_INVALID -> valid.replaceFirst("\"user_id\":\"[^\"]*\"", "\"user_id\":" + (1000 + rank));
            case QUANTITY_OUT_OF_RANGE ->
                withQuantity.replaceFirst("\"quantity\":\\d+", "\"quantity\":" + (detail.nextBoolean() ? 0 : 5000));
            default -> throw new IllegalStateException("no malformed form for " + MALFORMED_FORMS[form]);
        };
    }

    private SplittableRandom detailRandom(int rank) {
        return new SplittableRandom(config.seed() * 0x9E3779B97F4A7C15L + rank);
    }

    private String userId(int rank) {
        int user = events.user[rank];
        return user >= 0 ? customerIds[user] : unknownCustomerIds[-1 - user];
    }

    private String productId(int rank) {
        int product = events.product[rank];
        return product >= 0 ? productIds[product] : unknownProductIds[-1 - product];
    }

    private static String mixedCase(String text, SplittableRandom random) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (random.nextBoolean()) {
                chars[i] = Character.toUpperCase(chars[i]);
            }
        }
        String mixed = new String(chars);
        return mixed.equals(text) ? text.toUpperCase(Locale.ROOT) : mixed;
    }

    /** Always with seconds and milliseconds: OffsetDateTime.toString() drops ":00", which the contract refuses. */
    static String isoAtOffset(long epochMillis, ZoneOffset offset) {
        return ISO_WITH_OFFSET.format(Instant.ofEpochMilli(epochMillis).atOffset(offset));
    }

    /** Quoted ISO-8601 UTC, as Instant.toString() writes it, without the intermediate string. */
    private static void appendIso(StringBuilder out, long epochMillis) {
        out.append('"');
        DateTimeFormatter.ISO_INSTANT.formatTo(Instant.ofEpochMilli(epochMillis), out);
        out.append('"');
    }

    /** Lines to send in one phase, before they are put in send order. */
    private static final class Deliveries {
        long[] sendAt = new long[1024];
        byte[] kind = new byte[1024];
        byte[] form = new byte[1024];
        int[] rank = new int[1024];
        int size;

        void add(long at, LineSink.Kind lineKind, int lineForm, int eventRank) {
            if (size == sendAt.length) {
                sendAt = Arrays.copyOf(sendAt, size * 2);
                kind = Arrays.copyOf(kind, size * 2);
                form = Arrays.copyOf(form, size * 2);
                rank = Arrays.copyOf(rank, size * 2);
            }
            sendAt[size] = at;
            kind[size] = (byte) lineKind.ordinal();
            form[size] = (byte) lineForm;
            rank[size] = eventRank;
            size++;
        }

        int[] sendOrder(long origin) {
            return TrueEvents.ascending(sendAt, size, origin);
        }
    }
}
