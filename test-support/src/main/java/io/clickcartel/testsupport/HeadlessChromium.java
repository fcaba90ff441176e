package io.clickcartel.testsupport;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

/**
 * Debian's Chromium, headless and offline, with a fresh profile, driven by Debian's chromedriver given by path (so
 * Selenium Manager never downloads anything). The browser's console and network logs are kept
 * ({@code driver.manage().logs()}). {@code CLICKCARTEL_CHROMIUM} and {@code CLICKCARTEL_CHROMEDRIVER} point
 * elsewhere.
 */
public final class HeadlessChromium {

    private HeadlessChromium() {}

    public static ChromeDriver start(Path profile) {
        Path chromium = binary("CLICKCARTEL_CHROMIUM", "/usr/bin/chromium");
        Path chromedriver = binary("CLICKCARTEL_CHROMEDRIVER", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL", LogType.PERFORMANCE, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20)).scriptTimeout(Duration.ofSeconds(10));
        return driver;
    }

    private static Path binary(String variable, String path) {
        String configured = System.getenv(variable);
        Path binary = Path.of(configured == null || configured.isBlank() ? path : configured);
        if (!Files.isExecutable(binary)) {
            throw new AssertionError(binary + " is missing: the browser tests run headless Chromium (Debian: apt-get "
                    + "install chromium chromium-driver; .ci/run does), or set " + variable);
        }
        return binary;
    }
}
