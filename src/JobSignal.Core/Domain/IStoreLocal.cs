namespace JobSignal.Core.Domain;

/// <summary>
/// An object whose ids (RunId, CompanyId, OfferId...) are local to the store it was read from or recorded in: it says
/// which store that is, so that a command it is piped into works on that store, never silently on another one whose
/// same ids name other runs, companies and offers.
/// </summary>
public interface IStoreLocal
{
    /// <summary>The full path of the store the object belongs to; set when a command writes it out.</summary>
    string? StorePath { get; set; }
}
