using System.Net;

namespace Culprit.Service.Dashboard;

/// <summary>The frame of every page: inline CSS, a navigation bar; nothing is loaded from the network.</summary>
internal static class Layout
{
    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A commit hash as the CLI shortens it (12 characters).</summary>
    public static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    public static string Percent(double p) => (p * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%";

    public static string Page(string title, string body, string? script = null) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{E(title)}} · Culprit</title>
        <style>
        body{font-family:system-ui,sans-serif;margin:0;color:#222}
        nav{background:#263238;padding:8px 16px}nav a{color:#fff;margin-right:16px;text-decoration:none}
        main{padding:16px}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}
        pre{background:#f6f6f6;padding:8px;overflow:auto;max-height:60vh}
        .state-finished{color:#3fa34d}.state-failed,.state-stopped{color:#d64541}.state-running,.state-queued{color:#2e6da4}
        label{display:block;margin:6px 0}input[type=text],input[type=number],select{width:32em}
        .error{color:#d64541}
        </style></head>
        <body><nav><a id="nav-jobs" href="/">Jobs</a><a id="nav-submit" href="/submit">Submit</a><a id="nav-cluster" href="/cluster">Cluster</a></nav>
        <main>{{body}}</main>{{(script is null ? "" : $"<script>{script}</script>")}}</body></html>
        """;
}
