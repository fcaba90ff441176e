package io.clickcartel.insights;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The service on a lake gold has not written yet, and what it answers to wrong queries. */
@QuarkusTest
class InsightsResourceTest {

    @Test
    void anUnwrittenLakeAnswersEmptyFiguresAndSaysSoInFreshness() {
        given().get("/api/freshness")
                .then()
                .statusCode(200)
                .body("tables", hasSize(5))
                .body("tables.version", everyItem(nullValue()))
                .body("newest_gold_commit_at", nullValue());
        given().get("/api/products")
                .then()
                .statusCode(200)
                .body("total", org.hamcrest.Matchers.is(0))
                .body("items", empty());
        given().get("/api/filters").then().statusCode(200).body("first_date", nullValue());
        given().get("/api/funnel").then().statusCode(200).body("days", empty());
        given().get("/api/segments").then().statusCode(200).body("$", empty());
        given().get("/api/pipeline")
                .then()
                .statusCode(200)
                .body("layers", hasSize(8))
                .body("layers.version", everyItem(nullValue()))
                .body("quarantined", org.hamcrest.Matchers.is(0));
    }

    @Test
    void wrongQueriesGetA400ThatSaysWhatIsExpected() {
        given().get("/api/products?from=yesterday")
                .then()
                .statusCode(400)
                .body("error", containsString("'from' is a date like 2026-05-01, not 'yesterday'"));
        given().get("/api/products?from=2026-05-02&to=2026-05-01")
                .then()
                .statusCode(400)
                .body("error", containsString("is before"));
        given().get("/api/products?sort=price").then().statusCode(400).body("error", containsString("revenue"));
        given().get("/api/products?limit=0").then().statusCode(400);
        given().get("/api/products?limit=1001").then().statusCode(400);
        given().get("/api/customers?offset=-1").then().statusCode(400);
        given().get("/api/paths?converted=maybe").then().statusCode(400);
    }

    @Test
    void thePageAndItsChartLibraryAreServedFromTheJar() {
        given().get("/")
                .then()
                .statusCode(200)
                .body(containsString("Clickcartel insights"))
                .body(containsString("/webjars/echarts/5.3.1/dist/echarts.min.js"));
        given().get("/webjars/echarts/5.3.1/dist/echarts.min.js").then().statusCode(200);
        given().get("/app.js").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/products"));
        given().get("/q/health/ready").then().statusCode(200);
    }
}
