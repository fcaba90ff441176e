package io.clickcartel.insights;

import static org.assertj.core.api.Assertions.assertThat;

import io.clickcartel.testsupport.HeadlessChromium;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The page in headless Chromium on a lake gold has not written yet: it says so, and nothing fails. */
@QuarkusTest
class EmptyLakeDashboardTest {

    @TestHTTPResource("/")
    URL page;

    @Test
    void onAnEmptyLakeThePageSaysNoDataYetWithoutAnyConsoleError() throws Exception {
        ChromeDriver browser = HeadlessChromium.start(Files.createTempDirectory("chromium-profile"));
        try {
            browser.get(page.toString());
            new WebDriverWait(browser, Duration.ofSeconds(20))
                    .until(driver -> driver.findElement(By.tagName("body")).getAttribute("data-loaded") != null);
            assertThat(browser.findElement(By.id("empty")).isDisplayed()).isTrue();
            assertThat(browser.findElement(By.id("empty")).getText()).startsWith("No data yet");
            assertThat(browser.findElement(By.id("freshness")).getText()).isEqualTo("no data yet");
            assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
            assertThat(browser.findElements(By.cssSelector("#products-table tbody tr")))
                    .isEmpty();
            assertThat(browser.manage().logs().get(LogType.BROWSER).getAll())
                    .filteredOn(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                    .as("browser console errors")
                    .isEmpty();
        } finally {
            browser.quit();
        }
    }
}
