using System.Net;
using System.Net.Sockets;

namespace JobSignal.TestFakes;

/// <summary>
/// An HttpListener on a free 127.0.0.1 port that hands every request to a handler on a background loop.
/// Base of the InfoJobs and Google fakes; tests and Pester start one per test and dispose it.
/// </summary>
public abstract class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    protected LoopbackServer()
    {
        Port = FreePort();
        BaseUri = new Uri($"http://127.0.0.1:{Port}/");
        _listener.Prefixes.Add(BaseUri.ToString());
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    public int Port { get; }
    public Uri BaseUri { get; }

    protected abstract Task HandleAsync(HttpListenerContext context);

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync().ConfigureAwait(false); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (HttpListenerException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = Task.Run(async () =>
            {
                try { await HandleAsync(context).ConfigureAwait(false); }
                catch (Exception ex)
                {
                    try
                    {
                        context.Response.StatusCode = 500;
                        var bytes = System.Text.Encoding.UTF8.GetBytes("fake server error: " + ex.Message);
                        await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
                    }
                    catch (Exception) { /* the client went away */ }
                }
                finally { try { context.Response.Close(); } catch (Exception) { } }
            });
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
