package dev.vigil.alertapi;

import dev.vigil.core.event.Action;
import dev.vigil.core.event.Alert;
import dev.vigil.core.event.Label;
import dev.vigil.core.event.LabelSource;
import dev.vigil.core.json.LabelCodec;
import dev.vigil.testkit.kafka.RealKafka;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The analyst page end to end in a real headless Chromium: log in, watch an alert that this test
 * produced to Kafka appear in the queue without a reload, open it, claim and resolve the case, and
 * find the verdict's label on the labels topic. Screenshots land in target/screenshots.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalystPageIT implements TestPropertyProvider {
    private static final TestServices SERVICES = new TestServices("page");
    private static final Path SHOTS = Path.of("target", "screenshots");

    @Inject
    EmbeddedServer server;

    @Override
    public Map<String, String> getProperties() {
        return SERVICES.properties();
    }

    @AfterAll
    void dropDatabase() {
        SERVICES.drop();
    }

    @Test
    void analystSeesALiveAlertResolvesItAndTheLabelReachesKafka() throws Exception {
        Api api = new Api(server.getURI());
        String admin = api.login(TestServices.ADMIN, SERVICES.adminPassword);
        assertEquals(201, api.post("/api/users", admin,
                Map.of("username", "dana", "password", "analyst-password-1", "role", "ANALYST")).status());

        String card = Alerts.newCard();
        String authorization = "auth-page-" + UUID.randomUUID();
        WebDriver browser = chromium();
        try {
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            browser.get(server.getURI().resolve("/").toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("dana");
            browser.findElement(By.id("password")).sendKeys("analyst-password-1");
            browser.findElement(By.id("login-button")).click();
            // The admin chose dana's password, so the page asks for her own before anything else.
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("current-password"))).sendKeys("analyst-password-1");
            browser.findElement(By.id("new-password")).sendKeys("my-own-choice-7x");
            assertFalse(browser.findElement(By.id("workspace")).isDisplayed());
            screenshot(browser, "0-choose-password.png");
            browser.findElement(By.id("change-button")).click();
            wait.until(ExpectedConditions.textToBe(By.id("live-status"), "live"));
            String pageUrl = browser.getCurrentUrl();

            Alert alert = Alerts.model(card, authorization, System.currentTimeMillis(), 0.93f, Action.DECLINE);
            SERVICES.produce(SERVICES.alertsTopic, List.of(Alerts.record(alert)));

            By alertRow = By.cssSelector("#queue tr[data-alert-id='" + alert.alertId() + "']");
            WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(alertRow));
            assertEquals(pageUrl, browser.getCurrentUrl(), "the alert arrived without a reload");
            assertTrue(row.getText().contains("411111******1111"), row.getText());
            assertFalse(browser.getPageSource().contains("4111111111111111"));
            screenshot(browser, "1-live-alert.png");

            row.click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-id"), alert.alertId()));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("detail-reasons"), "amount_vs_card_p95"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-status"), "OPEN"));
            wait.until(ExpectedConditions.elementToBeClickable(By.id("claim-button"))).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-assignee"), "held by dana"));
            new Select(browser.findElement(By.id("verdict"))).selectByValue("CONFIRMED_FRAUD");
            browser.findElement(By.id("note")).sendKeys("Cardholder did not make this purchase.");
            browser.findElement(By.id("resolve-button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-result"), "1 label(s) sent"));
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-status"), "RESOLVED"));
            screenshot(browser, "2-resolved.png");

            // Logging out on the page ends the session on the server: the page's token is dead.
            String token = (String) ((org.openqa.selenium.JavascriptExecutor) browser)
                    .executeScript("return sessionStorage.getItem('vigil.token');");
            assertEquals(200, api.get("/api/alerts", token).status());
            browser.findElement(By.id("logout-button")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-button")));
            long deadline = System.currentTimeMillis() + 10_000;
            while (api.get("/api/alerts", token).status() != 401 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(401, api.get("/api/alerts", token).status());

            // Idle for the timeout (PCI 8.2.8), the page logs out by itself. The page's clock is set back
            // rather than waited out: what is tested is the page's own check, which runs every 15 s.
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).clear();
            browser.findElement(By.id("username")).sendKeys("dana");
            browser.findElement(By.id("password")).clear();
            browser.findElement(By.id("password")).sendKeys("my-own-choice-7x");
            browser.findElement(By.id("login-button")).click();
            wait.until(ExpectedConditions.textToBe(By.id("live-status"), "live"));
            String idleToken = (String) ((org.openqa.selenium.JavascriptExecutor) browser)
                    .executeScript("state.lastActivity = Date.now() - state.idleMs - 1000;"
                            + " return sessionStorage.getItem('vigil.token');");
            new WebDriverWait(browser, Duration.ofSeconds(40)).until(ExpectedConditions.textToBePresentInElementLocated(
                    By.id("login-error"), "Logged out after 15 minutes without activity"));
            assertTrue(browser.findElement(By.id("login-button")).isDisplayed());
            screenshot(browser, "3-idle-logout.png");
            deadline = System.currentTimeMillis() + 10_000;
            while (api.get("/api/alerts", idleToken).status() != 401 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(401, api.get("/api/alerts", idleToken).status(), "the idle page's session ended on the server too");
        } finally {
            browser.quit();
        }

        List<ConsumerRecord<String, byte[]>> labels = RealKafka.readAll(SERVICES.labelsTopic, 1, Duration.ofSeconds(30));
        assertEquals(1, labels.size());
        Label label = LabelCodec.INSTANCE.decode(labels.get(0).value()).value();
        assertEquals(Label.idFor(authorization, LabelSource.ANALYST), label.labelId());
        assertEquals(authorization, label.authorizationId());
        assertTrue(label.fraud());
        assertEquals("dana", label.analyst());
        assertEquals(card, labels.get(0).key());
    }

    /** Debian's Chromium through its chromedriver, with the flags this machine's closed network needs. */
    static WebDriver chromium() throws Exception {
        File chromium = new File(System.getProperty("vigil.chromium", "/usr/bin/chromium"));
        File driver = new File(System.getProperty("vigil.chromedriver", "/usr/bin/chromedriver"));
        if (!chromium.canExecute() || !driver.canExecute()) {
            throw new IllegalStateException("the page test needs " + chromium + " and " + driver
                    + " (./vigil test installs Debian's chromium and chromium-driver)");
        }
        Path profile = Files.createTempDirectory("vigil-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver)
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    static void screenshot(WebDriver browser, String name) throws Exception {
        Files.createDirectories(SHOTS);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
