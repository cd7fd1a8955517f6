using JobSignal.Core.Common;

namespace JobSignal.Core.Infojobs;

/// <summary>How an <see cref="InfojobsClient"/> talks to the API.</summary>
public sealed record InfojobsClientOptions
{
    public static readonly Uri DefaultBaseUri = new("https://api.infojobs.net/");

    /// <summary>The API root; tests and mirrors point it elsewhere.</summary>
    public Uri BaseUri { get; init; } = DefaultBaseUri;

    /// <summary>Time allowed for one request, answer body included; a request that takes longer is retried.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of 408/429/5xx answers and timeouts; Retry-After is honoured up to the policy's MaxDelay.</summary>
    public RetryPolicy RetryPolicy { get; init; } = new(maxRetries: 4, baseDelay: TimeSpan.FromSeconds(1),
        maxDelay: TimeSpan.FromSeconds(30));

    /// <summary>Offer details fetched at the same time.</summary>
    public int DetailConcurrency { get; init; } = 4;

    internal void Validate()
    {
        if (!BaseUri.IsAbsoluteUri || (BaseUri.Scheme != Uri.UriSchemeHttps && BaseUri.Scheme != Uri.UriSchemeHttp))
            throw new ArgumentException($"The base URI '{InfojobsErrors.Redact(BaseUri)}' must be an absolute http or https URI.", nameof(BaseUri));
        if (RequestTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(RequestTimeout), RequestTimeout, "The request timeout must be positive.");
        if (DetailConcurrency < 1)
            throw new ArgumentOutOfRangeException(nameof(DetailConcurrency), DetailConcurrency, "The detail concurrency must be 1 or more.");
    }
}
