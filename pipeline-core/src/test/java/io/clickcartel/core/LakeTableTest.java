package io.clickcartel.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LakeTableTest {

    @Test
    void aTableLivesUnderItsLayerInAnyKindOfLakeRoot() {
        assertThat(LakeTable.BRONZE_EVENTS.location("s3a://bucket/lake")).isEqualTo("s3a://bucket/lake/bronze/events");
        assertThat(LakeTable.GOLD_PRODUCT_DAILY.location("abfs://data@account.dfs.core.windows.net/lake/"))
                .isEqualTo("abfs://data@account.dfs.core.windows.net/lake/gold/product_daily");
        assertThat(LakeTable.SILVER_QUARANTINE.location("/var/lib/clickcartel/lake"))
                .isEqualTo("/var/lib/clickcartel/lake/silver/quarantine");
        assertThat(LakeTable.SILVER_EVENTS.location("lake/")).isEqualTo("lake/silver/events");
        assertThat(LakeTable.SILVER_EVENTS.location("file:///tmp/lake")).isEqualTo("file:///tmp/lake/silver/events");
        assertThat(LakeTable.GOLD_SESSIONS.location("/")).isEqualTo("/gold/sessions");
    }
}
