using System.Globalization;
using JobSignal.Core.Domain;

namespace JobSignal.Bench;

/// <summary>
/// A deterministic stream of offers as an ingestion sees them, built on <see cref="SyntheticOffers"/>'s text and
/// Zipf-like companies (a few very large ones with thousands of vacancies). SyntheticOffers draws its ~2 KB from a
/// few dozen sentences, so two vacancies of one company would share most of their words; real postings of one
/// employer share boilerplate but describe different work. Each vacancy therefore also gets a role paragraph (about
/// a fifth of its words) drawn Zipf-like from a vocabulary of 3,000 words, and a list of skills. About 15 % are
/// reposts of earlier vacancies (half identical, half lightly edited near-duplicates, a few of them retitled) and
/// about 1 % are bad records (no title, a relative URL, no company). Offers are generated one at a time from the
/// vacancy number, so the stream needs no memory however long it is.
/// </summary>
internal sealed class IngestionCorpus(int seed = 20_250_601)
{
    public const double RepostRate = 0.15;
    public const double BadRecordRate = 0.01;
    private static readonly DateTimeOffset s_anchor = new(2025, 6, 1, 8, 0, 0, TimeSpan.Zero);

    private static readonly string[] s_skills =
    [
        "SAP", "Navision", "Excel", "PowerBI", "Tableau", "Python", "Java", "Kotlin", "React", "Angular", "Docker",
        "Kubernetes", "Terraform", "PostgreSQL", "MongoDB", "Kafka", "Jira", "Confluence", "Scrum", "Kanban", "Figma",
        "contabilidad", "auditoría", "fiscalidad", "nóminas", "logística", "almacén", "aduanas", "transporte", "compras",
        "negociación", "liderazgo", "comunicación", "presentaciones", "reporting", "presupuestos", "forecast", "KPIs",
        "CRM", "ERP", "SEO", "SEM", "analítica", "Looker", "Airflow", "Spark", "dbt", "Snowflake", "BigQuery", "Git",
        "testing", "QA", "seguridad", "ISO9001", "calidad", "mantenimiento", "producción", "lean", "sixsigma", "PRL",
        "inventarios", "picking", "expediciones", "facturación", "cobros", "pagos", "conciliación", "tesorería",
        "consolidación", "IFRS", "PGC", "modelos", "valoración", "riesgos", "compliance", "legal", "contratos",
        "licitaciones", "proveedores", "clientes", "ventas", "prospección", "preventa", "posventa", "soporte",
        "helpdesk", "redes", "Linux", "Windows", "VMware", "backups", "monitorización", "Grafana", "Prometheus",
        "marketing", "branding", "contenidos", "copywriting", "diseño", "UX", "UI", "investigación", "producto",
        "roadmap", "stakeholders", "formación", "selección", "onboarding", "retención", "bienestar", "eventos",
        "hostelería", "turismo", "reservas", "recepción", "restauración", "cocina", "alérgenos", "APPCC", "carretilla",
        "grúa", "soldadura", "electricidad", "fontanería", "climatización", "obra", "AutoCAD", "Revit", "BIM",
    ];

    private static readonly string[] s_badKinds = ["no title", "relative url", "no company"];

    // Spanish-looking words from syllables: the long tail of vocabulary that tells one vacancy from another.
    private static readonly string[] s_vocabulary = BuildVocabulary(3_000);

    private static string[] BuildVocabulary(int size)
    {
        string[] syllables = ["ca", "de", "lo", "mi", "tra", "ven", "sor", "pe", "dul", "qui", "zan", "bro", "fe", "gu",
            "nes", "tal", "ro", "ma", "ci", "pla", "mor", "re", "ta", "gen", "sa", "vi", "cor", "li", "den", "pro"];
        var random = new Random(3_000);
        var words = new HashSet<string>();
        while (words.Count < size)
            words.Add(string.Concat(Enumerable.Range(0, random.Next(2, 5)).Select(_ => syllables[random.Next(syllables.Length)])));
        return words.ToArray();
    }

    /// <summary>What the stream holds, counted as it is generated.</summary>
    public int Vacancies { get; private set; }
    public int Reposts { get; private set; }
    public int NearDuplicates { get; private set; }
    public int BadRecords { get; private set; }

    public IEnumerable<Offer> Take(int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var id = "ing" + i.ToString("D8", CultureInfo.InvariantCulture);
            var roll = random.NextDouble();
            Offer offer;
            if (roll < BadRecordRate)
            {
                offer = Vacancy(Vacancies++, id);
                Spoil(offer, s_badKinds[BadRecords++ % s_badKinds.Length]);
            }
            else if (roll < BadRecordRate + RepostRate && Vacancies > 0)
            {
                // Recent vacancies are reposted more often than old ones.
                var back = (int)(Math.Pow(random.NextDouble(), 2) * Math.Min(Vacancies, 20_000));
                offer = Vacancy(Vacancies - 1 - back, id);
                Reposts++;
                if (random.NextDouble() < 0.5)
                {
                    NearDuplicates++;
                    offer.Description += " Oferta actualizada: incorporación inmediata.";
                    if (random.NextDouble() < 0.3) offer.Title += " (urgente)";
                }
            }
            else
            {
                offer = Vacancy(Vacancies++, id);
            }
            yield return offer;
        }
    }

    /// <summary>The vacancy's offer, the same every time it is asked for (reposts regenerate it).</summary>
    private Offer Vacancy(int vacancy, string providerOfferId)
    {
        var offer = new SyntheticOffers(seed * 31 + vacancy).Next();
        var random = new Random(seed ^ (vacancy * 7919));
        var skills = Enumerable.Range(0, 12).Select(_ => s_skills[random.Next(s_skills.Length)]);
        var role = Enumerable.Range(0, 70).Select(_ => s_vocabulary[(int)Math.Floor(Math.Pow(s_vocabulary.Length, random.NextDouble())) - 1]);
        offer.Description += $" Referencia {vacancy}. Funciones del puesto: {string.Join(" ", role)}. Requisitos: {string.Join(", ", skills)}.";
        offer.ProviderOfferId = providerOfferId;
        offer.Url = "https://www.infojobs.net/oferta/of-i" + providerOfferId;
        offer.PublishedAt = s_anchor.AddMinutes(-random.Next(60 * 24 * 60));
        offer.UpdatedAt = offer.PublishedAt;
        return offer;
    }

    private static void Spoil(Offer offer, string kind)
    {
        switch (kind)
        {
            case "no title": offer.Title = null; break;
            case "relative url": offer.Url = "/oferta/" + offer.ProviderOfferId; break;
            default: offer.Company = null; break;
        }
    }
}
