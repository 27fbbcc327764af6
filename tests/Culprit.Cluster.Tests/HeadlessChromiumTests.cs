using Culprit.TestSupport.Browser;
using OpenQA.Selenium;

namespace Culprit.Cluster.Tests;

/// <summary>The browser fixture the dashboard tests use: a local page loaded, a button clicked, the page's script seen to run.</summary>
public sealed class HeadlessChromiumTests
{
    [Fact]
    public void A_local_page_is_loaded_and_a_click_runs_its_script()
    {
        using var dir = new TempDir("culprit-page");
        var page = dir.Sub("page.html");
        File.WriteAllText(page, """
            <!doctype html>
            <html><head><title>Fixture page</title></head>
            <body>
              <p id="state">not clicked</p>
              <button id="go" onclick="document.getElementById('state').textContent = 'clicked ' + (++window.n || (window.n = 1))">Go</button>
            </body></html>
            """);
        using var browser = HeadlessChromium.Start();

        browser.GoTo(new Uri(page).AbsoluteUri);
        Assert.Equal("Fixture page", browser.Driver.Title);
        browser.WaitFor(By.Id("go")).Click();
        browser.WaitFor(By.Id("go")).Click();

        browser.WaitUntil(d => d.FindElement(By.Id("state")).Text == "clicked 2");
    }
}
