package io.clickcartel.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.core.GoldColumns;
import io.clickcartel.core.SilverColumns;
import io.clickcartel.core.contract.EventField;
import io.clickcartel.spark.LocalSpark;
import io.clickcartel.spark.TableSchemas;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gold transforms on small hand-made silver rows: session cutting and paths, where an update must rebuild a
 * user's sessions, and that the incremental pieces (rebuilt sessions, totals from daily totals) equal computing from
 * scratch.
 */
@ExtendWith(LocalSpark.class)
class GoldTransformsTest {

    /** The silver columns these transforms read, with silver's own types. */
    private static final StructType SILVER = new StructType(Stream.of(
                    EventField.EVENT_ID,
                    SilverColumns.EVENT_TIME,
                    SilverColumns.EVENT_DATE,
                    EventField.USER_ID,
                    EventField.EVENT_TYPE,
                    EventField.QUANTITY,
                    SilverColumns.REVENUE,
                    SilverColumns.CUSTOMER_SIGNUP_DATE,
                    SilverColumns.CUSTOMER_LOCATION)
            .map(TableSchemas.SILVER_EVENTS::apply)
            .toArray(StructField[]::new));

    private static final Instant MIDNIGHT = Instant.parse("2024-05-01T00:00:00Z");

    @Test
    void aGapOfMoreThanThirtyMinutesStartsASessionAndPathsStopAtTheFirstPurchase(SparkSession spark) {
        Dataset<Row> silver = silver(
                spark,
                List.of(
                        event("e1", "u1", "10:00", "view_product"),
                        event("e2", "u1", "10:10", "view_product"),
                        event("e3", "u1", "10:20", "add_to_cart"),
                        event("e4", "u1", "10:40", "purchase"),
                        event("e5", "u1", "10:45", "view_product"),
                        event("e6", "u1", "11:16", "view_product"))); // 31 minutes later
        List<Row> sessions = GoldTransforms.sessions(silver)
                .orderBy(GoldColumns.SESSION_START)
                .collectAsList();

        assertThat(sessions).hasSize(2);
        Row first = sessions.get(0);
        assertThat(first.<String>getAs(GoldColumns.PATH)).isEqualTo("view_product>add_to_cart>purchase");
        assertThat(first.<Boolean>getAs(GoldColumns.CONVERTED)).isTrue();
        assertThat(first.<Integer>getAs(GoldTransforms.VIEWS_BEFORE_PURCHASE)).isEqualTo(2);
        assertThat(first.<Long>getAs(GoldTransforms.MICROS_TO_PURCHASE)).isEqualTo(40L * 60 * 1_000_000);
        assertThat(first.<Timestamp>getAs(GoldColumns.SESSION_END)).isEqualTo(time("10:45"));
        assertThat(sessions.get(1).<String>getAs(GoldColumns.PATH)).isEqualTo("view_product");
        assertThat(sessions.get(1).<Boolean>getAs(GoldColumns.CONVERTED)).isFalse();
    }

    @Test
    void anUpdateRebuildsFromTheEarliestSessionItsNewEventsCanReach(SparkSession spark) {
        assertThat(redoFromByUser(GoldTransforms.redoFrom(updateBatch(spark), storedSessions(spark))))
                .containsOnly(
                        Map.entry("u1", time("08:50")), // the 08:00–08:10 session ends more than 30 min before 08:50
                        Map.entry("u2", time("09:00")),
                        Map.entry("u3", time("12:00")),
                        Map.entry("u4", time("10:00")));
    }

    @Test
    void onlySessionsEndingWithinTheGapOfTheEarliestNewEventAreReadAndTheRedoTimesStayTheSame(SparkSession spark) {
        Dataset<Row> stored = storedSessions(spark);
        Dataset<Row> batch = updateBatch(spark);

        Dataset<Row> reachable = GoldTransforms.reachableFrom(stored, time("08:50")); // the batch's earliest event

        assertThat(reachable
                        .select(EventField.USER_ID, GoldColumns.SESSION_START)
                        .collectAsList())
                .containsExactlyInAnyOrder(
                        RowFactory.create("u1", time("09:30")), RowFactory.create("u4", time("10:00")));
        assertThat(redoFromByUser(GoldTransforms.redoFrom(batch, reachable)))
                .isEqualTo(redoFromByUser(GoldTransforms.redoFrom(batch, stored)));
    }

    @Test
    void deltaSkipsTheFilesOfSessionsEndingBeforeTheReach(SparkSession spark, Path dir) {
        String table = dir.resolve("sessions").toString();
        Dataset<Row> stored = storedSessions(spark);
        Column early = col(GoldColumns.SESSION_END).lt(time("08:20"));
        // two commits: the files of the sessions out of reach, then the others
        stored.where(early).coalesce(1).write().format("delta").save(table);
        String[] outOfReach = spark.read().format("delta").load(table).inputFiles();
        stored.where(not(early))
                .coalesce(1)
                .write()
                .format("delta")
                .mode("append")
                .save(table);
        Dataset<Row> sessions = spark.read().format("delta").load(table);

        Dataset<Row> reachable = GoldTransforms.reachableFrom(sessions, time("08:50"));

        assertThat(outOfReach).hasSize(1);
        assertThat(sessions.inputFiles()).hasSize(2).contains(outOfReach);
        assertThat(reachable.inputFiles())
                .as("only the file of the sessions ending at or after 08:20")
                .hasSize(1)
                .doesNotContain(outOfReach);
    }

    /** Sessions u1 08:00–08:10 and 09:30, u2 08:00, u4 10:00–10:20. */
    private static Dataset<Row> storedSessions(SparkSession spark) {
        return GoldTransforms.sessions(silver(
                spark,
                List.of(
                        event("a1", "u1", "08:00", "view_product"), event("a2", "u1", "08:10", "view_product"),
                        event("a3", "u1", "09:30", "view_product"), event("b1", "u2", "08:00", "view_product"),
                        event("d1", "u4", "10:00", "view_product"), event("d2", "u4", "10:20", "add_to_cart"))));
    }

    /** New events for {@link #storedSessions}, the earliest at 08:50. */
    private static Dataset<Row> updateBatch(SparkSession spark) {
        return silver(
                spark,
                List.of(
                        event("a4", "u1", "08:50", "view_product"), // 40 min after 08:10, 40 min before 09:30
                        event("a5", "u1", "09:55", "purchase"),
                        event("b2", "u2", "09:00", "view_product"), // an hour after u2's only session
                        event("c1", "u3", "12:00", "view_product"), // a user without sessions
                        event("d3", "u4", "10:30", "purchase"))); // continues u4's session
    }

    private static Map<String, Timestamp> redoFromByUser(Dataset<Row> redoFrom) {
        return redoFrom.collectAsList().stream()
                .collect(Collectors.toMap(row -> row.getString(0), row -> row.getTimestamp(1)));
    }

    @Test
    void rebuiltAndKeptSessionsEqualTheSessionsOfEverything(SparkSession spark) {
        Random random = new Random(5);
        List<Row> old = new ArrayList<>();
        List<Row> added = new ArrayList<>();
        String[] types = {"view_product", "view_product", "add_to_cart", "purchase"};
        for (int user = 0; user < 6; user++) {
            int minute = 0;
            for (int i = 0; i < 40; i++) {
                minute += 1 + random.nextInt(random.nextInt(5) == 0 ? 90 : 25); // gaps either side of 30 min
                Row row = event(
                        "e" + user + "-" + i,
                        "u" + user,
                        Timestamp.from(MIDNIGHT.plusSeconds(60L * minute)),
                        types[random.nextInt(types.length)]);
                (random.nextInt(4) == 0 ? added : old).add(row); // new events fall anywhere in time
            }
        }
        Dataset<Row> stored = GoldTransforms.sessions(silver(spark, old)).cache();
        List<Row> all = new ArrayList<>(old);
        all.addAll(added);
        Dataset<Row> silver = silver(spark, all);
        Dataset<Row> redoFrom = GoldTransforms.redoFrom(silver(spark, added), stored);

        GoldTransforms.SessionsUpdate update =
                GoldTransforms.sessionsUpdate(stored, redoFrom, GoldTransforms.sessionsSince(silver, redoFrom));
        // what the table holds once the update replaced its dates
        Dataset<Row> untouchedDates = stored.join(update.dates(), SilverColumns.EVENT_DATE, "left_anti")
                .selectExpr(stored.columns());
        assertThat(untouchedDates.unionByName(update.sessions()).collectAsList())
                .containsExactlyInAnyOrderElementsOf(
                        GoldTransforms.sessions(silver).collectAsList());
        Dataset<Row> keptAsStored = update.sessions().intersect(stored);
        assertThat(keptAsStored.count())
                .as("stored sessions kept, so the test exercises both halves")
                .isPositive()
                .isLessThan(stored.count());
    }

    @Test
    void anUpdateRewritesOnlyTheDatesItsSessionsTouch(SparkSession spark) {
        Row mayFirst = RowFactory.create(
                "a1",
                time("08:00"),
                Date.valueOf("2024-05-01"),
                "u1",
                "view_product",
                null,
                null,
                Date.valueOf("2023-01-01"),
                "Lyon");
        Row maySecond = RowFactory.create(
                "b1",
                Timestamp.from(Instant.parse("2024-05-02T08:00:00Z")),
                Date.valueOf("2024-05-02"),
                "u2",
                "view_product",
                null,
                null,
                Date.valueOf("2023-01-01"),
                "Lyon");
        Dataset<Row> stored = GoldTransforms.sessions(silver(spark, List.of(mayFirst, maySecond)));
        Row added = RowFactory.create(
                "b2",
                Timestamp.from(Instant.parse("2024-05-02T08:10:00Z")),
                Date.valueOf("2024-05-02"),
                "u2",
                "purchase",
                null,
                null,
                Date.valueOf("2023-01-01"),
                "Lyon");
        Dataset<Row> redoFrom = GoldTransforms.redoFrom(silver(spark, List.of(added)), stored);

        GoldTransforms.SessionsUpdate update = GoldTransforms.sessionsUpdate(
                stored,
                redoFrom,
                GoldTransforms.sessionsSince(silver(spark, List.of(mayFirst, maySecond, added)), redoFrom));
        assertThat(update.dates().collectAsList()).containsExactly(RowFactory.create(Date.valueOf("2024-05-02")));
        assertThat(update.sessions().collectAsList()).singleElement().satisfies(session -> {
            assertThat(session.<String>getAs(EventField.USER_ID)).isEqualTo("u2");
            assertThat(session.<String>getAs(GoldColumns.PATH)).isEqualTo("view_product>purchase");
        });
    }

    @Test
    void customerTotalsCombineTheirDailyTotalsAndOneDateRecomputedReplacesOnlyItsShare(SparkSession spark) {
        List<Row> mayFirst = List.of(
                purchase("p1", "u1", "10:00", 2, "19.98", "Lyon"),
                event("v1", "u1", "09:00", "view_product"),
                event("v2", "u2", "09:30", "view_product"));
        List<Row> maySecond = List.of(
                purchase("p2", "u1", "2024-05-02", "11:00", 1, "5.00", "Lyon"),
                purchase("p3", "u3", "2024-05-02", "12:00", 3, "30.00", null));
        List<Row> all = new ArrayList<>(mayFirst);
        all.addAll(maySecond);
        Dataset<Row> daily = GoldTransforms.customerDaily(silver(spark, all)).cache();
        assertThat(daily.count()).as("one row per customer and date").isEqualTo(4);

        Row u1 = totalsOf(GoldTransforms.customerTotals(daily), "u1");
        assertThat(u1.<Long>getAs(GoldColumns.ORDERS)).isEqualTo(2);
        assertThat(u1.<Long>getAs(GoldColumns.UNITS)).isEqualTo(3);
        assertThat(u1.<BigDecimal>getAs(SilverColumns.REVENUE)).isEqualByComparingTo("24.98");
        assertThat(u1.<Timestamp>getAs(GoldColumns.FIRST_EVENT_AT)).isEqualTo(time("09:00"));
        assertThat(u1.<Timestamp>getAs(GoldColumns.LAST_PURCHASE_AT))
                .isEqualTo(Timestamp.from(Instant.parse("2024-05-02T11:00:00Z")));
        assertThat(u1.<String>getAs(GoldColumns.LOCATION)).isEqualTo("Lyon");

        // May 2nd rewritten without p2: its daily rows recomputed, May 1st's kept
        Dataset<Row> rewritten = daily.where(col(SilverColumns.EVENT_DATE).notEqual(Date.valueOf("2024-05-02")))
                .unionByName(GoldTransforms.customerDaily(silver(spark, List.of(maySecond.get(1)))));
        List<Row> fromScratch = GoldTransforms.customerTotals(GoldTransforms.customerDaily(
                        silver(spark, List.of(mayFirst.get(0), mayFirst.get(1), mayFirst.get(2), maySecond.get(1)))))
                .collectAsList();
        assertThat(GoldTransforms.customerTotals(rewritten).collectAsList())
                .containsExactlyInAnyOrderElementsOf(fromScratch);
        assertThat(totalsOf(GoldTransforms.customerTotals(rewritten), "u1").<Long>getAs(GoldColumns.ORDERS))
                .isEqualTo(1);
    }

    @Test
    void customerTotalsAfterRecomputeTheTouchedUsersKeepTheOthersAndDropThoseWithNothingLeft(SparkSession spark) {
        Row u1First = purchase("p1", "u1", "10:00", 2, "19.98", "Lyon");
        Row u1Second = purchase("p2", "u1", "11:00", 1, "5.00", "Lyon");
        Row u2 = purchase("p3", "u2", "11:00", 1, "5.00", "Paris");
        Row u3 = purchase("p4", "u3", "12:00", 1, "7.00", "Oslo");
        // stored: u1 before their second purchase, u2, u3; then u1 gains a purchase and u3's rows are deleted
        Dataset<Row> stored =
                GoldTransforms.customerTotals(GoldTransforms.customerDaily(silver(spark, List.of(u1First, u2, u3))));
        Dataset<Row> daily = GoldTransforms.customerDaily(silver(spark, List.of(u1First, u1Second, u2)));
        // u1 twice: a batch holds one change row per event
        Dataset<Row> users = spark.createDataFrame(
                List.of(RowFactory.create("u1"), RowFactory.create("u1"), RowFactory.create("u3")),
                new StructType().add(EventField.USER_ID, DataTypes.StringType));
        Dataset<Row> expected = GoldTransforms.customerTotals(daily);

        Dataset<Row> after = GoldTransforms.customerTotalsAfter(stored, users, daily);
        assertThat(after.columns()).containsExactly(expected.columns());
        assertThat(after.collectAsList()).containsExactlyInAnyOrderElementsOf(expected.collectAsList());
        assertThat(totalsOf(after, "u1").<Long>getAs(GoldColumns.ORDERS)).isEqualTo(2);
        assertThat(totalsOf(after, "u2")).as("untouched: as stored").isEqualTo(totalsOf(stored, "u2"));
        assertThat(after.where(col(EventField.USER_ID).equalTo("u3")).count()).isZero();
        assertThat(GoldTransforms.customerTotalsAfter(after, users, daily).collectAsList())
                .as("a replay over totals that hold the change")
                .containsExactlyInAnyOrderElementsOf(after.collectAsList());
    }

    private static Row totalsOf(Dataset<Row> totals, String user) {
        return totals.where(col(EventField.USER_ID).equalTo(user)).first();
    }

    private static Dataset<Row> silver(SparkSession spark, List<Row> rows) {
        return spark.createDataFrame(rows, SILVER);
    }

    private static Row event(String id, String user, String time, String type) {
        return event(id, user, time(time), type);
    }

    private static Row event(String id, String user, Timestamp time, String type) {
        return RowFactory.create(
                id, time, Date.valueOf("2024-05-01"), user, type, null, null, Date.valueOf("2023-01-01"), "Lyon");
    }

    private static Row purchase(String id, String user, String time, int quantity, String revenue, String location) {
        return purchase(id, user, "2024-05-01", time, quantity, revenue, location);
    }

    private static Row purchase(
            String id, String user, String date, String time, int quantity, String revenue, String location) {
        return RowFactory.create(
                id,
                Timestamp.from(Instant.parse(date + "T" + time + ":00Z")),
                Date.valueOf(date),
                user,
                "purchase",
                quantity,
                new BigDecimal(revenue),
                Date.valueOf("2023-01-01"),
                location);
    }

    private static Timestamp time(String hourMinute) {
        return Timestamp.from(Instant.parse("2024-05-01T" + hourMinute + ":00Z"));
    }
}
