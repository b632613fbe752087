package io.makegood.credit.claim;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.makegood.credit.claim.ClaimScenario.Server;
import io.makegood.support.Makegood;
import io.makegood.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The claim page in Debian's Chromium (headless, through chromium-driver), at a phone's size. Chromium is
 * required: .ci/run installs it, and without it this test fails rather than skipping.
 */
class ClaimPageBrowserTest {

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	@RegisterExtension
	static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

	@TempDir
	Path work;

	@Test
	void customerOpensTheLinkOnAPhoneClicksAndSeesTheConfirmation() throws Exception {
		assertThat(CHROMIUM).as("Debian chromium (apt-get install chromium chromium-driver)").isExecutable();
		assertThat(CHROMEDRIVER).as("Debian chromium-driver").isExecutable();
		TestDatabases.Database database = TestDatabases.postgres();
		try (Server server = ClaimScenario.serve(database)) {
			Path spec = ClaimScenario.incident(work, "browser", "complimentary-rental", """
					kind: complimentary
					item: one complimentary movie rental
					apply: claim-link
					expires: P7D""", "P1,phone@example.org");
			assertThat(Makegood.on(database, work)
				.smtp(greenMail.getSmtp().getPort())
				.with("--makegood.public-base-url=" + server.baseUrl())
				.run("run", spec.toString())).isZero();
			String link = ClaimScenario.link(greenMail.getReceivedMessages()[0]);

			WebDriver browser = phoneBrowser();
			try {
				browser.get(link);
				assertThat(browser.findElement(By.id("heading")).getText()).isEqualTo("Your credit is ready");
				assertThat(browser.findElement(By.id("message")).getText()).contains("one complimentary movie rental");
				assertReadableOnAPhone(browser);
				screenshot(browser, "claim-page-phone.png");
				assertThat(database.jdbc().queryForObject("select status from mg_credit where account_id = 'P1'",
						String.class)).isEqualTo("CLAIMABLE");

				browser.findElement(By.id("apply")).click();
				new WebDriverWait(browser, Duration.ofSeconds(20))
					.until(ExpectedConditions.textToBe(By.id("heading"), "Done: your credit is applied"));
				assertThat(browser.findElement(By.id("message")).getText())
					.contains("One complimentary movie rental has been added to account P1");
				assertReadableOnAPhone(browser);
				screenshot(browser, "claim-page-confirmed-phone.png");
				assertThat(database.jdbc().queryForObject("select status from mg_credit where account_id = 'P1'",
						String.class)).isEqualTo("CLAIMED");

				browser.navigate().refresh();
				browser.get(link);
				assertThat(browser.findElement(By.id("message")).getText()).contains("already applied on");
			}
			finally {
				browser.quit();
			}
		}
	}

	private static WebDriver phoneBrowser() throws Exception {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--user-data-dir=" + Files.createTempDirectory("mg-chromium"));
		// an iPhone-sized viewport with a touch screen
		options.setExperimentalOption("mobileEmulation",
				Map.of("deviceMetrics", Map.of("width", 390, "height", 844, "pixelRatio", 3.0, "touch", true)));
		ChromeDriverService service = new ChromeDriverService.Builder()
			.usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
		return driver;
	}

	private static void assertReadableOnAPhone(WebDriver browser) {
		JavascriptExecutor js = (JavascriptExecutor) browser;
		long viewport = ((Number) js.executeScript("return window.innerWidth")).longValue();
		long content = ((Number) js.executeScript("return document.documentElement.scrollWidth")).longValue();
		assertThat(viewport).as("phone-sized viewport").isLessThanOrEqualTo(400);
		assertThat(content).as("no sideways scrolling").isLessThanOrEqualTo(viewport);
		WebElement message = browser.findElement(By.id("message"));
		double fontSize = Double.parseDouble(message.getCssValue("font-size").replace("px", ""));
		assertThat(fontSize).as("body text size in CSS px").isGreaterThanOrEqualTo(16);
		assertThat(message.getRect().getX() + message.getRect().getWidth()).isLessThanOrEqualTo((int) viewport);
		if (!browser.findElements(By.id("apply")).isEmpty()) {
			WebElement button = browser.findElement(By.id("apply"));
			assertThat(button.isDisplayed()).isTrue();
			assertThat(button.getRect().getHeight()).as("a comfortable tap target").isGreaterThanOrEqualTo(44);
			assertThat(button.getRect().getWidth()).isGreaterThanOrEqualTo((int) (viewport * 0.6));
		}
	}

	private static void screenshot(WebDriver browser, String name) throws Exception {
		File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
		Path target = Path.of("target", name);
		Files.createDirectories(target.getParent());
		Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
	}

}
