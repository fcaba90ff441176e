package io.clickcartel.silver;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clickcartel.core.BronzeColumns;
import io.clickcartel.core.LakeTable;
import io.clickcartel.core.Topics;
import io.clickcartel.core.contract.EventValidator;
import io.clickcartel.core.contract.Validation;
import io.clickcartel.datagen.Dataset;
import io.clickcartel.datagen.Phase;
import io.clickcartel.spark.TableSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Bronze as the upstream layers would write it from a generated data set: HTTP lines as the ingest service
 * publishes them (normalised; rejected ones never reach Kafka), landing lines raw.
 */
public final class GeneratedBronze {

    private static final EventValidator INGEST = new EventValidator(new ObjectMapper());

    private GeneratedBronze() {}

    public static long append(SparkSession spark, String lake, Path dataset, Phase phase, Instant ingestedAt)
            throws IOException {
        List<Row> rows = new ArrayList<>();
        Timestamp at = Timestamp.from(ingestedAt);
        Date date = Date.valueOf(ingestedAt.atZone(java.time.ZoneOffset.UTC).toLocalDate());
        for (Path file : Dataset.eventFiles(dataset, phase)) {
            for (String line : Files.readAllLines(file)) {
                if (phase.route() == Phase.Route.LANDING) {
                    rows.add(RowFactory.create(
                            line,
                            BronzeColumns.SOURCE_FILE,
                            null,
                            null,
                            null,
                            null,
                            file.toUri().toString(),
                            at,
                            date));
                } else if (INGEST.admit(line, ingestedAt) instanceof Validation.Valid valid) {
                    rows.add(RowFactory.create(
                            valid.event().toJson().toString(),
                            BronzeColumns.SOURCE_KAFKA,
                            Topics.EVENTS,
                            0,
                            (long) rows.size(),
                            at,
                            null,
                            at,
                            date));
                }
            }
        }
        spark.createDataFrame(rows, TableSchemas.BRONZE_EVENTS)
                .write()
                .format("delta")
                .mode("append")
                .partitionBy(BronzeColumns.INGEST_DATE)
                .save(LakeTable.BRONZE_EVENTS.location(lake));
        return rows.size();
    }
}
