package nnc.playground.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The playground page as the browser tests drive it: its controls by data-testid, and waits. */
final class PlaygroundPage {
    private final ChromeDriver driver;

    PlaygroundPage(ChromeDriver driver) {
        this.driver = driver;
    }

    WebElement byTestId(String id) {
        return driver.findElement(By.cssSelector("[data-testid='" + id + "']"));
    }

    List<WebElement> allByTestId(String id) {
        return driver.findElements(By.cssSelector("[data-testid='" + id + "']"));
    }

    /** Opens URL and waits until the first program is checked and the controls show it. */
    void open(String url, Duration timeout) {
        driver.get(url);
        waitUntil(timeout, "the first check of the starting program",
                d -> Boolean.TRUE.equals(script("return document.body.dataset.checked !== undefined;")));
    }

    String source() {
        return (String) script("return document.getElementById('source').value;");
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    Object asyncScript(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeAsyncScript(js, args);
    }

    <T> T waitUntil(Duration timeout, String what, Function<WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(100));
        wait.withMessage(() -> "waiting for " + what + "; status: " + text("status") + "; diagnostics: "
                + text("diagnostics"));
        return wait.until(condition);
    }

    String text(String testId) {
        List<WebElement> found = allByTestId(testId);
        return found.isEmpty() ? "(no " + testId + ")" : found.get(0).getText();
    }

    /** Sets a range input's value and fires its change event, as releasing the slider does. */
    void slide(String testId, double value) {
        script("const e = arguments[0]; e.value = String(arguments[1]);"
                + "e.dispatchEvent(new Event('input')); e.dispatchEvent(new Event('change'));",
                byTestId(testId), value);
    }

    /** Selects OPTION (its value) in a select element and fires its change event. */
    void choose(String testId, String option) {
        script("const e = arguments[0]; e.value = arguments[1]; e.dispatchEvent(new Event('change'));",
                byTestId(testId), option);
    }

    /** Clicks a control, then waits until the source text differs from what it was. */
    String clickAndAwaitSource(String testId, Duration timeout) {
        String before = source();
        byTestId(testId).click();
        waitUntil(timeout, "the source to change after clicking " + testId, d -> !source().equals(before));
        return source();
    }

    /** Waits until the current text is checked and, when it has no errors, its run is ready. */
    void settle(Duration timeout) {
        waitUntil(timeout, "the check and the run of the current text", d -> Boolean.TRUE.equals(script(
                "const p = window.nncPlayground; const text = document.getElementById('source').value;"
                        + "return p.checkedSource === text && (p.runSource === text || !p.checkedOk);")));
    }

    /** The run's data as the server serves it: {range, train, test}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> runData() {
        return (Map<String, Object>) asyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "const token = document.querySelector('meta[name=\"nnc-token\"]').content;"
                        + "fetch('/api/run/' + document.body.dataset.run + '/data', {headers: {'X-Nnc-Token': token}})"
                        + ".then(r => r.json()).then(done, e => done({error: String(e)}));");
    }

    /** The RGB of the decision-boundary canvas at plane point (X, Y), range [xmin, xmax, ymin, ymax]. */
    @SuppressWarnings("unchecked")
    List<Number> boundaryPixels(List<List<Number>> points, List<Number> range) {
        return (List<Number>) script(
                "const c = document.getElementById('boundary'); const ctx = c.getContext('2d');"
                        + "const r = arguments[1]; const img = ctx.getImageData(0, 0, c.width, c.height).data;"
                        + "const out = [];"
                        + "for (const p of arguments[0]) {"
                        + "  const px = Math.min(c.width - 1, Math.max(0, Math.floor((p[0] - r[0]) / (r[1] - r[0]) * c.width)));"
                        + "  const py = Math.min(c.height - 1, Math.max(0, Math.floor((r[3] - p[1]) / (r[3] - r[2]) * c.height)));"
                        + "  const i = (py * c.width + px) * 4; out.push(img[i], img[i + 1], img[i + 2]);"
                        + "}"
                        + "return out;", points, range);
    }

    /** Saves a screenshot of the whole window to FILE. */
    void screenshot(Path file) throws IOException {
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(file.getParent());
        Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
    }
}
