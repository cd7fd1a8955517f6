namespace JobSignal.Core.Ingestion;

/// <summary>
/// Undo actions for in-memory state that mirrors uncommitted store writes (company caches, repost indexes, ids seen
/// in the chunk): when a savepoint or the chunk's transaction rolls back, the memory rolls back with it.
/// </summary>
internal sealed class UndoLog
{
    private readonly List<Action> _undo = [];

    /// <summary>A position to roll back to (the start of an offer's savepoint).</summary>
    public int Mark() => _undo.Count;

    public void Add(Action undo) => _undo.Add(undo);

    /// <summary>Undoes, newest first, everything recorded since <paramref name="mark"/>.</summary>
    public void RollbackTo(int mark)
    {
        for (var i = _undo.Count - 1; i >= mark; i--) _undo[i]();
        _undo.RemoveRange(mark, _undo.Count - mark);
    }

    /// <summary>The transaction committed: nothing left to undo.</summary>
    public void Clear() => _undo.Clear();
}
