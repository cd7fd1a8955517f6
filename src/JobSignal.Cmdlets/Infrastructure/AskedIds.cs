namespace JobSignal.Cmdlets.Infrastructure;

/// <summary>
/// The ids a query cmdlet is asked for, gathered over its pipeline objects so that it runs one query at the end: -Top
/// and the order then hold for the whole output, and each item is written once however many objects name it. An
/// object (or a call without pipeline input) that names no id of this kind asks for every item.
/// </summary>
internal sealed class AskedIds
{
    private readonly List<long> _ids = [];
    private bool _every;

    /// <summary>False when no object asked for anything (nothing was piped, or each object was passed over).</summary>
    public bool Asked { get; private set; }

    /// <summary>The distinct ids asked for, in the order first named; null when every item was asked for.</summary>
    public long[]? Ids => _every ? null : _ids.Distinct().ToArray();

    public void Add(long[]? ids)
    {
        Asked = true;
        if (ids is null) _every = true;
        else _ids.AddRange(ids);
    }
}
