using System.Text;
using Culprit.Jobs;
using Culprit.Jobs.Reports;
using Culprit.Service.Grains;
using Culprit.Service.Http;
using static Culprit.Service.Dashboard.Layout;

namespace Culprit.Service.Dashboard;

/// <summary>The dashboard's pages. Elements carry stable ids (and rows <c>data-job</c>) for browser tests.</summary>
public static class Pages
{
    public static string JobList(IReadOnlyList<JobListItem> jobs, IReadOnlyDictionary<string, (double? Confidence, JobProgress? Progress, int Tested)> extra)
    {
        var rows = new StringBuilder();
        foreach (var j in jobs.Reverse())
        {
            extra.TryGetValue(j.Id, out var x);
            var progress = x.Progress is { } p
                ? $"{x.Tested} tested; {p.Activity}{(p.RevisionsLeft is { } left ? $", {left} revisions left" : "")}"
                : $"{x.Tested} tested";
            rows.Append($"<tr class=\"job\" data-job=\"{E(j.Id)}\"><td class=\"id\"><a href=\"/jobs/{E(j.Id)}\">{E(j.Id)}</a></td>")
                .Append($"<td class=\"state state-{E(j.State)}\">{E(j.State)}</td><td class=\"repo\">{E(j.Repo)}</td>")
                .Append($"<td class=\"culprit\">{E(j.Culprit is { } c ? Short(c) : j.Result ?? "")}</td>")
                .Append($"<td class=\"confidence\">{E(x.Confidence is { } conf ? Percent(conf) : "")}</td>")
                .Append($"<td class=\"progress\">{E(progress)}</td><td class=\"duration\">{E(GoDuration.Format(Math.Round(j.DurationSeconds)))}</td></tr>\n");
        }
        var body = $"""
            <h1>Jobs</h1>
            <table id="jobs"><thead><tr><th>job</th><th>state</th><th>repository</th><th>culprit</th><th>confidence</th><th>progress</th><th>duration</th></tr></thead>
            <tbody>{rows}</tbody></table>
            {(jobs.Count == 0 ? "<p id=\"no-jobs\">No jobs yet: <a href=\"/submit\">submit one</a>.</p>" : "")}
            """;
        // A running job changes the list: reload it while any is active.
        var script = jobs.Any(j => j.State is "running" or "queued") ? "setTimeout(()=>location.reload(),3000);" : null;
        return Page("Jobs", body, script);
    }

    public static string Job(ReportedJob job, string timelineSvg)
    {
        var id = E(job.Id);
        var result = job.Result is null ? "" : $"""
            <h2>Result</h2>
            <p id="result-kind">{E(job.Result.Result)}</p>
            <p id="culprit">{E(job.Result.Culprit is { } c ? $"{c.Commit} {c.Subject}" : "")}</p>
            <p id="confidence">{E(job.Result.Confidence is { } p ? Percent(p) : "")}</p>
            <p id="reports">Reports: <a id="report-html" href="/api/jobs/{id}/report?format=html">HTML</a>
            <a id="report-text" href="/api/jobs/{id}/report?format=text">text</a>
            <a id="report-email" href="/api/jobs/{id}/report?format=email">email</a>
            <a id="report-json" href="/api/jobs/{id}/report?format=json">JSON</a></p>
            """;
        var active = job.State is "running" or "queued";
        var body = $"""
            <h1>Job <span id="job-id">{id}</span></h1>
            <p>State: <span id="job-state" class="state-{E(job.State)}">{E(job.State)}</span>
            {(active ? "<button id=\"cancel\" type=\"button\">Cancel</button>" : "")}</p>
            <p id="job-repo">{E(job.Spec.Repo)} {E(job.Spec.BadRevision ?? job.Spec.Bad)}</p>
            {result}
            <h2>Timeline</h2><div id="timeline-box">{timelineSvg}</div>
            <h2>Log</h2><pre id="log"></pre>
            """;
        var script = $$"""
            const id = "{{id}}";
            const log = document.getElementById("log");
            const events = new EventSource("/api/jobs/" + id + "/log");
            events.onmessage = e => { log.textContent += e.data + "\n"; log.scrollTop = log.scrollHeight; };
            events.addEventListener("end", e => { events.close(); if ({{(active ? "true" : "false")}}) location.reload(); });
            const timer = {{(active ? "setInterval(async () => { const r = await fetch('/jobs/' + id + '/timeline'); if (r.ok) document.getElementById('timeline-box').innerHTML = await r.text(); }, 2000)" : "null")}};
            const cancel = document.getElementById("cancel");
            if (cancel) cancel.onclick = async () => { await fetch("/api/jobs/" + id, { method: "DELETE" }); };
            """;
        return Page($"Job {job.Id}", body, script);
    }

    public static string Cluster(ClusterView cluster)
    {
        var rows = new StringBuilder();
        foreach (var n in cluster.Nodes)
        {
            rows.Append($"<tr class=\"node\" data-node=\"{E(n.Name)}\" data-status=\"{E(n.Status)}\"><td class=\"name\">{E(n.Name)}</td>")
                .Append($"<td class=\"status\">{E(n.Status)}</td><td class=\"address\">{E(n.Address)}</td><td class=\"urls\">{E(n.Urls)}</td>")
                .Append($"<td class=\"builds\">{n.BusyBuilds}/{n.Builds}</td><td class=\"vms\">{n.BusyVms}/{n.Vms}</td>")
                .Append($"<td class=\"queued\">{n.Queued.Count}</td><td class=\"running\">{E(string.Join(' ', n.Running))}</td></tr>\n");
        }
        var body = $"""
            <h1>Cluster</h1>
            <p id="cluster-summary">capacity <span id="capacity">{cluster.Capacity}</span>, busy <span id="busy">{cluster.Busy}</span>, queue <span id="queue">{cluster.Queue}</span></p>
            <table id="nodes"><thead><tr><th>node</th><th>status</th><th>address</th><th>urls</th><th>builds busy</th><th>VMs busy</th><th>queued</th><th>running (job, step, commit)</th></tr></thead>
            <tbody>{rows}</tbody></table>
            """;
        return Page("Cluster", body, "setTimeout(()=>location.reload(),5000);");
    }

    public static string Submit() => Page("Submit", """
        <h1>Submit a job</h1>
        <form id="submit-form">
        <label>Repository (a path on the server or a URL) <input type="text" id="repo" name="repo" required></label>
        <label>Bad commit <input type="text" id="bad" name="bad" value="HEAD" required></label>
        <label>Good commit (empty: walk back over release tags) <input type="text" id="good" name="good"></label>
        <label>Build command <input type="text" id="build" name="build" value="make"></label>
        <label>Test command <input type="text" id="test" name="test"></label>
        <label>Strategy <select id="strategy" name="strategy"><option value="flaky">flaky</option><option value="classic">classic</option></select></label>
        <label>Runs per commit <input type="number" id="runs" name="runs" value="10" min="1"></label>
        <label><input type="checkbox" id="fix" name="fix"> find the commit that fixed the crash</label>
        <button id="submit" type="submit">Submit</button>
        </form>
        <p id="submit-error" class="error"></p>
        """, """
        document.getElementById("submit-form").onsubmit = async e => {
          e.preventDefault();
          const v = id => document.getElementById(id).value.trim();
          const spec = { repo: v("repo"), bad: v("bad"), good: v("good") || null, build: v("build") || null, test: v("test") || null,
            strategy: v("strategy"), runs: parseInt(v("runs"), 10), direction: document.getElementById("fix").checked ? "fix" : "cause" };
          const r = await fetch("/api/jobs", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ spec }) });
          const body = await r.json();
          if (r.ok) location.href = "/jobs/" + body.job;
          else document.getElementById("submit-error").textContent = body.detail || body.title;
        };
        """);

    public static string Login(string next, bool failed) => Page("Log in", $"""
        <h1>This server needs its token</h1>
        <form id="login" method="post" action="/login">
        <input type="hidden" name="next" value="{E(next)}">
        <label>Token <input type="password" id="token" name="token" autocomplete="off"></label>
        <button id="login-button" type="submit">Log in</button>
        </form>
        {(failed ? "<p id=\"login-error\" class=\"error\">That is not the token.</p>" : "")}
        """);
}
