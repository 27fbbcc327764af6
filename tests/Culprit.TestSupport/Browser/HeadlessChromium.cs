using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Culprit.TestSupport.Browser;

/// <summary>
/// Debian's Chromium, headless, driven by Selenium through Debian's chromedriver. Both paths are
/// given, so Selenium Manager never runs (it would try to download a driver and a browser, and the
/// network reaches no such place). A fresh profile per instance, deleted on dispose.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public const string BrowserPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private readonly TempDir _profile;

    private HeadlessChromium(ChromeDriver driver, TempDir profile)
    {
        Driver = driver;
        _profile = profile;
    }

    public IWebDriver Driver { get; }

    /// <summary>Whether Debian's chromium and chromium-driver are installed (scripts/install-deps.sh).</summary>
    public static bool Installed => File.Exists(BrowserPath) && File.Exists(DriverPath);

    public static HeadlessChromium Start()
    {
        if (!Installed)
        {
            throw new InvalidOperationException($"{BrowserPath} or {DriverPath} is missing; run scripts/install-deps.sh");
        }
        var profile = new TempDir("culprit-chromium");
        try
        {
            var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
            service.HideCommandPromptWindow = true;
            service.SuppressInitialDiagnosticInformation = true;
            var options = new ChromeOptions { BinaryLocation = BrowserPath };
            options.AddArguments(
                "--headless=new",
                // Tests may run as root, where Chromium's sandbox cannot start.
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--no-first-run",
                "--window-size=1280,900",
                $"--user-data-dir={profile.Path}");
            var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
            return new HeadlessChromium(driver, profile);
        }
        catch
        {
            profile.Dispose();
            throw;
        }
    }

    public void GoTo(string url) => Driver.Navigate().GoToUrl(url);

    /// <summary>Waits (up to <paramref name="timeout"/>, 30 s by default) for an element to appear, then returns it.</summary>
    public IWebElement WaitFor(By by, TimeSpan? timeout = null) =>
        Wait(timeout).Until(d => d.FindElements(by).FirstOrDefault(IsShown));

    /// <summary>
    /// Waits for an element to appear and reads its text in the same try, so a page that reloads
    /// itself between finding the element and reading it costs a retry, not a failure.
    /// </summary>
    public string TextOf(By by, TimeSpan? timeout = null) =>
        Wait(timeout).Until(d => d.FindElements(by).Where(IsShown).Select(ReadText).FirstOrDefault(t => t is not null))!;

    private static bool IsShown(IWebElement element)
    {
        try
        {
            return element.Displayed;
        }
        catch (WebDriverException e) when (IsDetached(e))
        {
            return false;
        }
    }

    private static string? ReadText(IWebElement element)
    {
        try
        {
            return element.Text;
        }
        catch (WebDriverException e) when (IsDetached(e))
        {
            return null;
        }
    }

    // Chromium reports an element a reload removed either as stale or, when the reload lands
    // between the driver's lookup and its query, as an inspector error about a node that "does
    // not belong to the document" (CI, 2026-12-03); both mean: look again.
    private static bool IsDetached(WebDriverException e) =>
        e is StaleElementReferenceException
        || e.Message.Contains("does not belong to the document", StringComparison.Ordinal)
        || e.Message.Contains("No node with given id", StringComparison.Ordinal);

    /// <summary>Waits until <paramref name="condition"/> holds for the page (live pages update themselves).</summary>
    public void WaitUntil(Func<IWebDriver, bool> condition, TimeSpan? timeout = null) => Wait(timeout).Until(condition);

    // Live pages reload themselves: an element found just before a reload goes stale, so look again.
    private WebDriverWait Wait(TimeSpan? timeout)
    {
        var wait = new WebDriverWait(Driver, timeout ?? TimeSpan.FromSeconds(30));
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException));
        return wait;
    }

    public void Dispose()
    {
        try
        {
            Driver.Quit();
        }
        finally
        {
            Driver.Dispose();
            _profile.Dispose();
        }
    }
}
