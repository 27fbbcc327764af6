using System.Net;
using System.Net.Sockets;
using Culprit.Processes;

namespace Culprit.TestSupport;

/// <summary>
/// A throwaway PostgreSQL 15 server for tests: a fresh cluster (<c>initdb</c>) in a temp directory,
/// listening on a free port of 127.0.0.1 (its unix socket in the same directory), with one database
/// made for the test. The server runs in the foreground under the one process helper, so it cannot
/// outlive the test run; <see cref="DisposeAsync"/> stops it (<c>pg_ctl stop -m immediate</c>) and
/// deletes the directory. PostgreSQL refuses to run as root, so under root the server binaries run as
/// the unprivileged <c>postgres</c> user (or <c>nobody</c>) through <c>setpriv</c>, which needs no password.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string BinDir = "/usr/lib/postgresql/15/bin";
    public const string Superuser = "postgres";

    private readonly TempDir _dir;
    private readonly string[] _runAs;
    private readonly Task<ProcessResult> _server;
    private readonly CancellationTokenSource _kill;

    private PostgresServer(TempDir dir, string[] runAs, int port, string database, Task<ProcessResult> server, CancellationTokenSource kill)
    {
        _dir = dir;
        _runAs = runAs;
        Port = port;
        Database = database;
        _server = server;
        _kill = kill;
    }

    public int Port { get; }

    public string Database { get; }

    public string DataDirectory => _dir.Sub("data");

    /// <summary>An Npgsql connection string for the test database (trust authentication, no password).</summary>
    public string ConnectionString => ConnectionStringFor(Database);

    public string ConnectionStringFor(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={Superuser};Database={database};Timeout=15;Command Timeout=30";

    /// <summary>Whether the Debian PostgreSQL 15 binaries are installed (scripts/install-deps.sh).</summary>
    public static bool Installed => File.Exists(Path.Combine(BinDir, "postgres"));

    /// <summary>Creates the cluster, starts the server and creates <paramref name="database"/>.</summary>
    public static async Task<PostgresServer> StartAsync(string database = "culprit")
    {
        if (!Installed)
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDir}); run scripts/install-deps.sh");
        }
        var dir = new TempDir("culprit-pg");
        try
        {
            var runAs = await PrepareUserAsync(dir.Path);
            await RunCheckedAsync(runAs, "initdb", "-D", dir.Sub("data"), "-U", Superuser, "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync");
            // The port is free when probed; another process may take it before the server binds, so retry.
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort();
                var kill = new CancellationTokenSource();
                var server = ProcessRunner.RunAsync(Command(runAs, "postgres",
                    "-D", dir.Sub("data"), "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "-h", "127.0.0.1", "-k", dir.Path,
                    // A test database: durability is not needed, speed is.
                    "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                    "-c", "max_connections=300"), kill.Token);
                var pg = new PostgresServer(dir, runAs, port, database, server, kill);
                if (await pg.WaitReadyAsync())
                {
                    await RunCheckedAsync(runAs, "createdb", "-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", Superuser, database);
                    return pg;
                }
                var result = await server;
                if (attempt == 3 || !result.Output.Contains("could not bind", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"postgres did not start: {result.Tail(5).Replace('\n', ' ')}");
                }
            }
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>A second database on the same server (for tests that need a clean one).</summary>
    public async Task CreateDatabaseAsync(string name) =>
        await RunCheckedAsync(_runAs, "createdb", "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", Superuser, name);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ProcessRunner.RunAsync(Command(_runAs, "pg_ctl", "stop", "-D", DataDirectory, "-m", "immediate", "-w") with { Timeout = TimeSpan.FromSeconds(30) });
            if (await Task.WhenAny(_server, Task.Delay(TimeSpan.FromSeconds(30))) != _server)
            {
                await _kill.CancelAsync();
            }
            await _server.ContinueWith(_ => { }, TaskScheduler.Default);
        }
        finally
        {
            _kill.Dispose();
            _dir.Dispose();
        }
    }

    /// <summary>Polls <c>pg_isready</c> until the server accepts connections; false if the server exited first.</summary>
    private async Task<bool> WaitReadyAsync()
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (_server.IsCompleted)
            {
                return false;
            }
            var ready = await ProcessRunner.RunAsync(Command(_runAs, "pg_isready", "-q", "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", Superuser));
            if (ready.Succeeded)
            {
                return true;
            }
            await Task.Delay(100);
        }
        await _kill.CancelAsync();
        throw new InvalidOperationException($"postgres did not accept connections on port {Port} within 60 s");
    }

    /// <summary>
    /// Under root, the server binaries run as an unprivileged user (initdb and postgres refuse root);
    /// that user must own the directory. Otherwise they run as the current user.
    /// </summary>
    private static async Task<string[]> PrepareUserAsync(string dir)
    {
        if (Environment.UserName != "root")
        {
            return [];
        }
        // name:x:uid:gid:... of the postgres user the Debian package makes, else of nobody.
        var entries = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).Where(f => f.Length > 3).ToList();
        var user = entries.FirstOrDefault(f => f[0] == Superuser) ?? entries.First(f => f[0] == "nobody");
        await ProcessRunner.RunCheckedAsync(ProcessSpec.Of("chown", "-R", $"{user[2]}:{user[3]}", dir));
        return ["/usr/bin/setpriv", $"--reuid={user[2]}", $"--regid={user[3]}", "--clear-groups", "--"];
    }

    private static ProcessSpec Command(string[] runAs, string tool, params string[] args)
    {
        var program = Path.Combine(BinDir, tool);
        return runAs.Length == 0
            ? new ProcessSpec(program, args)
            : new ProcessSpec(runAs[0], [.. runAs[1..], program, .. args]);
    }

    private static async Task RunCheckedAsync(string[] runAs, string tool, params string[] args) =>
        await ProcessRunner.RunCheckedAsync(Command(runAs, tool, args) with { Timeout = TimeSpan.FromMinutes(2) });

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
