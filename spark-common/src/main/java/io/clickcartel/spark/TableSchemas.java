package io.clickcartel.spark;

import static io.clickcartel.core.BronzeColumns.INGESTED_AT;
import static io.clickcartel.core.BronzeColumns.INGEST_DATE;
import static io.clickcartel.core.BronzeColumns.KAFKA_TIMESTAMP;
import static io.clickcartel.core.BronzeColumns.OFFSET;
import static io.clickcartel.core.BronzeColumns.PARTITION;
import static io.clickcartel.core.BronzeColumns.SOURCE;
import static io.clickcartel.core.BronzeColumns.SOURCE_FILE_NAME;
import static io.clickcartel.core.BronzeColumns.TOPIC;
import static io.clickcartel.core.BronzeColumns.VALUE;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Schemas of the tables one layer writes and the next reads: the tables are the contract between layers. */
public final class TableSchemas {

    public static final StructType BRONZE_EVENTS = new StructType()
            .add(VALUE, DataTypes.StringType)
            .add(SOURCE, DataTypes.StringType, false)
            .add(TOPIC, DataTypes.StringType)
            .add(PARTITION, DataTypes.IntegerType)
            .add(OFFSET, DataTypes.LongType)
            .add(KAFKA_TIMESTAMP, DataTypes.TimestampType)
            .add(SOURCE_FILE_NAME, DataTypes.StringType)
            .add(INGESTED_AT, DataTypes.TimestampType, false)
            .add(INGEST_DATE, DataTypes.DateType, false);

    private TableSchemas() {
    }
}
