using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Culprit.Service.Http;

/// <summary>
/// Who may use the service. With a token, every API and page request must carry it: API clients as
/// <c>Authorization: Bearer TOKEN</c>, a browser through the login form, which puts it in an HttpOnly,
/// SameSite=Strict cookie (other sites' pages cannot make the browser send it). Without a token the
/// service listens on loopback only, and also refuses requests whose Host is not a loopback name, so a
/// web page cannot reach it through a name that resolves to 127.0.0.1 (DNS rebinding).
/// </summary>
public sealed class Access(RequestDelegate next, ServerToken token)
{
    public const string Cookie = "culprit-token";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!token.IsSet)
        {
            if (!ListenAddresses.IsLoopbackHost(context.Request.Host.Host))
            {
                await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad host",
                    detail: $"this server answers only to a loopback host name, not {context.Request.Host.Host}").ExecuteAsync(context);
                return;
            }
            await next(context);
            return;
        }
        if (context.Request.Path.StartsWithSegments("/login") || Allows(context.Request))
        {
            await next(context);
            return;
        }
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "this server needs its token: Authorization: Bearer TOKEN").ExecuteAsync(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(Dashboard.Pages.Login(context.Request.Path + context.Request.QueryString, failed: false));
    }

    private bool Allows(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && token.Matches(header["Bearer ".Length..].Trim()))
        {
            return true;
        }
        return request.Cookies.TryGetValue(Cookie, out var cookie) && token.Matches(cookie);
    }
}

/// <summary>The server's bearer token, if it has one.</summary>
public sealed class ServerToken(ServiceOptions options)
{
    private readonly byte[]? _hash = options.Token is { } t ? Hash(t) : null;

    public bool IsSet => _hash is not null;

    /// <summary>Whether <paramref name="token"/> is the server's token (compared in constant time, as hashes of equal length).</summary>
    public bool Matches(string? token) =>
        _hash is not null && token is not null && CryptographicOperations.FixedTimeEquals(_hash, Hash(token));

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
