using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace JobSignal.TestFakes;

/// <summary>
/// Synthetic but realistic InfoJobs DETAIL payloads (Spanish offers written by us, no real data): companies with and
/// without websites, anonymous profiles, a spread of FX signals and negations, reposts (the same vacancy under a new
/// offer id, identical or lightly edited) and a few bad records (no title, relative URL, no company identity).
/// Deterministic: the same count, seed and anchor give byte-identical output. module/samples/infojobs-sample.jsonl
/// is <c>WriteJsonLines(path)</c> with the defaults (regenerate with tests/JobSignal.TestFakes/Update-InfojobsSample.ps1).
/// </summary>
public static class InfojobsSampleCorpus
{
    public const int DefaultCount = 150;
    public const int DefaultSeed = 20250602;

    /// <summary>The newest timestamp of the committed sample; offers are dated up to 40 days before it.</summary>
    public static readonly DateTimeOffset DefaultAnchor = new(2025, 6, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    private enum Kind { Exporter, Importer, Saas, Fintech, Logistics, Ecommerce, Local, Travel }

    private sealed record Company(string Name, string? Web, bool Hidden, string Province, int ProvinceId, string City,
        string Industry, Kind Kind);

    private static readonly Company[] Companies =
    {
        new("Exportaciones Levante S.L.", "https://www.exportacioneslevante.es", false, "Valencia/València", 46, "Valencia", "Alimentación", Kind.Exporter),
        new("Cítricos del Mediterráneo S.A.", "www.citricosmediterraneo.com", false, "Castellón/Castelló", 13, "Vila-real", "Agricultura", Kind.Exporter),
        new("Nubentia Software S.L.", "https://nubentia.io", false, "Barcelona", 9, "Barcelona", "Software", Kind.Saas),
        new("Pagoflex Payments S.L.", "https://pagoflex.com", false, "Madrid", 33, "Madrid", "Servicios financieros", Kind.Fintech),
        new("Grupo Logístico Ibérico S.A.", "https://www.glogiberico.es", false, "Zaragoza", 50, "Zaragoza", "Transporte y logística", Kind.Logistics),
        new("Bodegas Ribera Alta S.L.", "https://bodegasriberaalta.es", false, "Burgos", 10, "Aranda de Duero", "Bebidas", Kind.Exporter),
        new("TechNova Consulting S.L.", "https://technova-consulting.es", false, "Madrid", 33, "Madrid", "Consultoría", Kind.Saas),
        new("Hogar Online Marketplace S.L.", "https://hogaronline.es", false, "Valencia/València", 46, "Paterna", "Comercio electrónico", Kind.Ecommerce),
        new("Asia Trade Importaciones S.L.", "https://asiatrade-importaciones.es", false, "Barcelona", 9, "El Prat de Llobregat", "Comercio mayorista", Kind.Importer),
        new("Hotel Costa Dorada S.A.", null, false, "Tarragona", 45, "Salou", "Hostelería", Kind.Local),
        new("Talleres Hermanos Ruiz S.L.", null, false, "Sevilla", 41, "Dos Hermanas", "Automoción", Kind.Local),
        new("Clínica Dental Sonrisa S.L.P.", null, false, "Málaga", 31, "Marbella", "Sanidad", Kind.Local),
        new("Importante empresa del sector industrial", null, true, "Barcelona", 9, "Terrassa", "Industria", Kind.Exporter),
        new("Empresa confidencial", null, true, "Madrid", 33, "Alcobendas", "Servicios financieros", Kind.Fintech),
        new("Empresa confidencial", null, true, "Valencia/València", 46, "Valencia", "Comercio", Kind.Local),
        new("Asesoría Contable Norte S.L.", "https://asesoriacontablenorte.es", false, "Bizkaia", 48, "Bilbao", "Asesoría", Kind.Local),
        new("Vitaltex Textil S.A.", "https://www.vitaltex.com", false, "Alicante/Alacant", 3, "Elche/Elx", "Textil", Kind.Exporter),
        new("Maquinaria Agrícola Duero S.L.", "https://maquinariaduero.es", false, "Valladolid", 47, "Medina del Campo", "Maquinaria", Kind.Exporter),
        new("CloudOps Iberia S.L.", "https://cloudops-iberia.com", false, "Madrid", 33, "Madrid", "Software", Kind.Saas),
        new("Academia de Idiomas Babel S.L.", null, false, "Granada", 19, "Granada", "Educación", Kind.Local),
        new("Transportes Frigoríficos Segura S.L.", "https://tfsegura.es", false, "Murcia", 30, "Molina de Segura", "Transporte y logística", Kind.Logistics),
        new("Laboratorios Farmaibérica S.A.", "https://farmaiberica-labs.com", false, "Barcelona", 9, "Sant Cugat del Vallès", "Farmacéutica", Kind.Exporter),
        new("Viajes Horizonte S.L.", "https://viajeshorizonte.es", false, "Madrid", 33, "Madrid", "Turismo", Kind.Travel),
        new("DataLeaf Analytics S.L.", "https://dataleaf.ai", false, "Barcelona", 9, "Barcelona", "Software", Kind.Saas),
        new("Construcciones Pérez Gil S.A.", null, false, "Toledo", 44, "Talavera de la Reina", "Construcción", Kind.Local),
        new("Olivar de Jaén S.C.A.", "https://olivardejaen.es", false, "Jaén", 23, "Úbeda", "Alimentación", Kind.Exporter),
        new("NovaCargo Forwarding S.L.", "https://novacargo.es", false, "Cádiz", 11, "Algeciras", "Transporte y logística", Kind.Logistics),
        new("Atelier Moda Sostenible S.L.", "https://ateliermodasostenible.com", false, "A Coruña", 15, "A Coruña", "Moda", Kind.Ecommerce),
        new("Electrocomponentes Vallès S.L.", "https://ecvalles.com", false, "Barcelona", 9, "Granollers", "Electrónica", Kind.Importer),
        new("Supermercados La Familia S.A.", null, false, "Asturias", 5, "Gijón", "Distribución", Kind.Local),
        new("Inmobiliaria Costa del Sol S.L.", "https://costadelsol-homes.es", false, "Málaga", 31, "Estepona", "Inmobiliaria", Kind.Travel),
        new("GameForge Studios S.L.", "https://gameforge-studios.es", false, "Madrid", 33, "Madrid", "Videojuegos", Kind.Saas),
        new("Correduría Seguros Atlántico S.L.", null, false, "Pontevedra", 38, "Vigo", "Seguros", Kind.Local),
        new("Robotix Automation S.L.", "https://robotix-automation.eu", false, "Gipuzkoa", 20, "Donostia-San Sebastián", "Ingeniería", Kind.Exporter),
        new("Cafés Tostados del Sur S.L.", "https://cafesdelsur.es", false, "Sevilla", 41, "Sevilla", "Alimentación", Kind.Importer),
        new("Paella Express Delivery S.L.", null, false, "Valencia/València", 46, "Valencia", "Restauración", Kind.Local),
        new("BioMar Acuicultura S.L.", "https://biomar-acuicultura.es", false, "Cantabria", 39, "Santander", "Acuicultura", Kind.Exporter),
        new("Agroexport Almería S.L.", "https://agroexportalmeria.com", false, "Almería", 4, "El Ejido", "Agricultura", Kind.Exporter),
        new("Fintech Ledgerly S.L.", "https://ledgerly.es", false, "Barcelona", 9, "Barcelona", "Servicios financieros", Kind.Fintech),
        new("Energía Solar Meseta S.L.", "https://solarmeseta.es", false, "Ciudad Real", 14, "Puertollano", "Energía", Kind.Local),
    };

    private static readonly Dictionary<Kind, string[]> Titles = new()
    {
        [Kind.Exporter] = new[] { "Administrativo/a de exportación", "Export Area Manager", "Técnico/a de comercio exterior", "Responsable de tesorería", "Key Account Manager internacional" },
        [Kind.Importer] = new[] { "Responsable de compras internacionales", "Administrativo/a de importación", "Comprador/a (inglés alto)" },
        [Kind.Saas] = new[] { "Desarrollador/a Backend (Node.js)", "Customer Success Manager", "Ingeniero/a DevOps", "Account Executive (inglés)", "Controller financiero" },
        [Kind.Fintech] = new[] { "Analista de pagos internacionales", "Responsable de operaciones de tesorería", "Compliance Analyst", "Especialista en conciliaciones" },
        [Kind.Logistics] = new[] { "Técnico/a de tráfico internacional", "Agente de aduanas", "Coordinador/a de operaciones", "Administrativo/a de facturación" },
        [Kind.Ecommerce] = new[] { "Ecommerce Manager", "Responsable de marketplaces", "Atención al cliente (inglés)", "Especialista en marketing digital" },
        [Kind.Local] = new[] { "Recepcionista", "Mecánico/a de automoción", "Auxiliar administrativo/a", "Dependiente/a", "Comercial de zona", "Contable" },
        [Kind.Travel] = new[] { "Agente de viajes", "Comercial internacional", "Administrativo/a contable" },
    };

    private static readonly Dictionary<Kind, string[]> Signals = new()
    {
        [Kind.Exporter] = new[]
        {
            "Facturación a clientes internacionales en USD y GBP.",
            "Gestión de cobros de exportación y cartas de crédito.",
            "Departamento de comercio internacional con clientes en más de 30 países.",
            "Apoyo al área de exportación en Europa, EE.UU. y Latinoamérica.",
            "Seguimiento de transferencias SWIFT y conciliación bancaria en divisa.",
            "Coberturas de tipo de cambio con nuestras entidades bancarias.",
            "Gestión de documentación aduanera e Incoterms.",
        },
        [Kind.Importer] = new[]
        {
            "Pagos a proveedores de Asia en dólares ($) mediante transferencias SWIFT.",
            "Negociación con proveedores internacionales y seguimiento de pagos internacionales.",
            "Control de la exposición al tipo de cambio EUR/USD.",
            "Gestión de importaciones desde China, Vietnam y Colombia.",
        },
        [Kind.Saas] = new[]
        {
            "Plataforma SaaS con suscripciones de clientes en toda Europa y EE.UU.",
            "Cobros recurrentes integrados con Stripe.",
            "Infraestructura desplegada en AWS (EC2, S3, Lambda).",
            "Gestión del CRM en HubSpot y automatización de campañas.",
            "Facturación multidivisa a clientes de Reino Unido y Estados Unidos.",
        },
        [Kind.Fintech] = new[]
        {
            "Operativa diaria de pagos internacionales para clientes empresa.",
            "Tesorería multidivisa (EUR, USD, GBP, MXN).",
            "Conocimiento de mensajería SWIFT (MT103) y SEPA.",
            "Integración con pasarelas de pago como Stripe y Adyen.",
            "Monitorización de operaciones de cambio de divisa.",
        },
        [Kind.Logistics] = new[]
        {
            "Coordinación de envíos internacionales por mar y aire.",
            "Gestión de documentación aduanera e Incoterms.",
            "Facturación a clientes de Reino Unido en libras (£).",
            "Relación con agentes en Latinoamérica y Norte de África.",
        },
        [Kind.Ecommerce] = new[]
        {
            "Tienda online con venta a más de 15 países.",
            "Pagos online con Stripe y PayPal.",
            "Gestión de marketplaces internacionales (Amazon, Zalando).",
            "Campañas en HubSpot y Google Ads.",
        },
        [Kind.Local] = new[]
        {
            "Atención a clientes de la zona.",
            "Contabilidad general y cierres mensuales.",
            "Gestión de la agenda y archivo.",
        },
        [Kind.Travel] = new[]
        {
            "Clientes de Reino Unido y Alemania: cobros en libras y euros.",
            "Gestión de reservas con proveedores internacionales y pagos multidivisa.",
            "Atención a clientes internacionales en inglés.",
        },
    };

    private static readonly string[] Negations =
    {
        "No se requiere experiencia en AWS.",
        "Sin experiencia en AWS: formaremos a la persona seleccionada.",
        "No trabajamos con pagos internacionales; toda la facturación es nacional.",
        "Sin necesidad de inglés ni de gestión de divisas.",
    };

    private static readonly string[] Neutral =
    {
        "Trabajo en equipo en un entorno dinámico.",
        "Manejo de Excel a nivel avanzado.",
        "Elaboración de informes mensuales para dirección.",
        "Relación con proveedores y clientes.",
        "Apoyo al responsable del departamento en tareas diarias.",
        "Uso de ERP (SAP o Navision).",
    };

    private static readonly string[] Benefits =
    {
        "Se ofrece contrato indefinido y jornada completa.",
        "Ofrecemos horario flexible y dos días de teletrabajo.",
        "Salario competitivo según experiencia, seguro médico y formación continua.",
        "Incorporación inmediata a un equipo en crecimiento.",
    };

    private static readonly (int Id, string Value)[] Contracts = { (1, "Indefinido"), (2, "De duración determinada"), (8, "Autónomo") };
    private static readonly (int Id, string Value)[] Journeys = { (1, "Completa"), (2, "Parcial - Mañana"), (4, "Intensiva - Mañana") };
    private static readonly (int Id, string Value)[] Teleworking = { (1, "Solo teletrabajo"), (2, "Presencial"), (3, "Híbrido") };
    private static readonly (int Id, string Value)[] Experience = { (1, "Al menos 1 año"), (2, "Al menos 2 años"), (3, "Al menos 3 años"), (5, "Más de 5 años") };

    private static readonly Dictionary<Kind, (int Id, string Value, int SubId, string SubValue)> Categories = new()
    {
        [Kind.Exporter] = (10, "Administración de empresas", 3013, "Comercio exterior"),
        [Kind.Importer] = (20, "Compras, logística y almacén", 3030, "Compras"),
        [Kind.Saas] = (150, "Informática y telecomunicaciones", 3166, "Programación"),
        [Kind.Fintech] = (40, "Finanzas y banca", 3040, "Banca"),
        [Kind.Logistics] = (20, "Compras, logística y almacén", 3032, "Logística y distribución"),
        [Kind.Ecommerce] = (90, "Marketing y comunicación", 3090, "Marketing"),
        [Kind.Local] = (70, "Atención a clientes", 3070, "Atención al cliente"),
        [Kind.Travel] = (180, "Turismo y restauración", 3180, "Turismo"),
    };

    /// <summary>The offers as compact JSON objects, one string each.</summary>
    public static IReadOnlyList<string> Generate(int count = DefaultCount, int seed = DefaultSeed, DateTimeOffset? anchor = null)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count));
        var random = new Random(seed);
        var newest = anchor ?? DefaultAnchor;
        var companyIds = Companies.Select(_ => Digits(random, 30)).ToArray();
        var offers = new List<JsonObject>(count);
        var originals = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var offerId = Hex(random, 15);
            var isRepost = i % 12 == 7 && originals.Count > 0;
            JsonObject offer;
            if (isRepost) offer = Repost(offers[originals[random.Next(originals.Count)]], offerId, random, newest);
            else
            {
                var c = random.Next(Companies.Length);
                offer = NewOffer(Companies[c], companyIds[c], offerId, random, newest);
            }
            // Reposts copy a good original only, so every bad record is bad in exactly one way.
            if (!MakeBad(offer, i) && !isRepost) originals.Add(i);
            offers.Add(offer);
        }
        return offers.Select(o => o.ToJsonString(JsonOptions)).ToArray();
    }

    /// <summary>Writes <see cref="Generate"/>'s output as JSON Lines (UTF-8, no BOM, "\n" line ends).</summary>
    public static void WriteJsonLines(string path, int count = DefaultCount, int seed = DefaultSeed, DateTimeOffset? anchor = null)
    {
        var text = string.Concat(Generate(count, seed, anchor).Select(line => line + "\n"));
        File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static JsonObject NewOffer(Company company, string companyId, string offerId, Random random, DateTimeOffset newest)
    {
        var title = Pick(random, Titles[company.Kind]);
        var sentences = new List<string> { $"En {Display(company)} buscamos incorporar un/a {title.ToLowerInvariant()} en {company.City}." };
        var signals = Signals[company.Kind];
        sentences.AddRange(Shuffle(random, signals).Take(1 + random.Next(Math.Min(3, signals.Length))));
        sentences.AddRange(Shuffle(random, Neutral).Take(1 + random.Next(2)));
        if (random.Next(6) == 0) sentences.Add(Pick(random, Negations));
        sentences.Add(Pick(random, Benefits));

        var created = newest - TimeSpan.FromMinutes(random.Next(40 * 24 * 60));
        var updated = created + TimeSpan.FromMinutes(random.Next((int)Math.Min(3 * 24 * 60, (newest - created).TotalMinutes) + 1));
        var category = Categories[company.Kind];
        var offer = new JsonObject
        {
            ["id"] = offerId,
            ["title"] = title,
            ["state"] = 1,
            ["creationDate"] = Timestamp(created),
            ["updateDate"] = Timestamp(updated),
            ["city"] = company.City,
            ["applications"] = random.Next(0, 180),
            ["province"] = Item(company.ProvinceId, company.Province),
            ["experienceMin"] = ItemOf(Pick(random, Experience)),
            ["category"] = Item(category.Id, category.Value),
            ["subcategory"] = Item(category.SubId, category.SubValue),
            ["studiesMin"] = Item(110, "Grado"),
            ["country"] = Item(17, "España"),
            ["teleworking"] = ItemOf(Pick(random, Teleworking)),
            ["contractType"] = ItemOf(Pick(random, Contracts)),
            ["journey"] = ItemOf(Pick(random, Journeys)),
            ["profile"] = Profile(company, companyId),
            ["vacancies"] = 1 + random.Next(3),
            ["minRequirements"] = Requirements(company.Kind, random),
            ["description"] = string.Join("\n", sentences),
            ["desiredRequirements"] = random.Next(2) == 0 ? "Se valorará inglés alto (B2/C1)." : "",
            ["link"] = $"https://www.infojobs.net/{Slug(company.City)}/{Slug(title)}/of-i{offerId}",
            ["active"] = true,
            ["skillsList"] = new JsonArray(Shuffle(random, SkillsFor(company.Kind)).Take(3).Select(s => (JsonNode)new JsonObject { ["skill"] = s }).ToArray()),
        };
        AddPay(offer, random);
        return offer;
    }

    /// <summary>The same vacancy published again: new id and dates, text identical or lightly edited.</summary>
    private static JsonObject Repost(JsonObject original, string offerId, Random random, DateTimeOffset newest)
    {
        var copy = (JsonObject)original.DeepClone();
        copy["id"] = offerId;
        var created = newest - TimeSpan.FromMinutes(random.Next(5 * 24 * 60));
        copy["creationDate"] = Timestamp(created);
        copy["updateDate"] = Timestamp(created);
        copy["applications"] = random.Next(0, 20);
        var link = copy["link"]!.GetValue<string>();
        copy["link"] = link[..(link.LastIndexOf("of-i", StringComparison.Ordinal) + 4)] + offerId;
        if (random.Next(2) == 0)
            copy["description"] = copy["description"]!.GetValue<string>() + "\nIncorporación inmediata.";
        return copy;
    }

    /// <summary>A few records ingestion must reject or skip: no title, a relative URL, no company identity.</summary>
    private static bool MakeBad(JsonObject offer, int index)
    {
        if (index % 50 == 13) offer.Remove("title");
        else if (index % 75 == 29) offer["link"] = "/" + offer["link"]!.GetValue<string>().Split('/', 4)[3];
        else if (index % 75 == 44)
            offer["profile"] = new JsonObject { ["id"] = "", ["name"] = "", ["web"] = "", ["url"] = "", ["hidden"] = false };
        else return false;
        return true;
    }

    private static JsonObject Profile(Company company, string companyId)
    {
        var slug = Slug(company.Name);
        return new JsonObject
        {
            ["id"] = companyId,
            ["name"] = company.Name,
            ["description"] = company.Hidden ? "" : $"{company.Name}: empresa del sector {company.Industry.ToLowerInvariant()}.",
            ["province"] = Item(company.ProvinceId, company.Province),
            ["web"] = company.Web ?? "",
            ["numberWorkers"] = 10 + (int)(ulong.Parse(companyId[..6], CultureInfo.InvariantCulture) % 490),
            ["url"] = company.Web ?? "",
            ["corporateWebsiteUrl"] = company.Hidden ? "" : $"/{slug}/em-i{companyId}",
            ["websiteUrl"] = "",
            ["hidden"] = company.Hidden,
            ["typeIndustry"] = Item(0, company.Industry),
        };
    }

    private static void AddPay(JsonObject offer, Random random)
    {
        if (random.Next(3) == 0)
        {
            offer["showPay"] = false;
            offer["salaryDescription"] = "";
            return;
        }
        var min = 18 + random.Next(25);
        var max = min + 3 + random.Next(12);
        offer["showPay"] = true;
        offer["minPay"] = Pay(min);
        offer["maxPay"] = Pay(max);
        offer["salaryDescription"] = $"{min}.000€ - {max}.000€ Bruto/año";
    }

    private static JsonObject Pay(int thousands) => new()
    {
        ["amount"] = thousands * 1000,
        ["amountId"] = 200 + thousands,
        ["periodId"] = 3,
        ["periodValue"] = "Bruto/año",
        ["amountValue"] = $"{thousands}.000 €",
    };

    private static string Requirements(Kind kind, Random random) => kind switch
    {
        Kind.Local => "Experiencia previa en un puesto similar. Residencia cercana al centro de trabajo.",
        Kind.Saas => random.Next(2) == 0
            ? "Experiencia con APIs REST y bases de datos SQL. Inglés fluido."
            : "Experiencia en entornos cloud (AWS o Azure) y herramientas CI/CD.",
        _ => random.Next(2) == 0
            ? "Inglés alto (C1). Experiencia en operativa internacional."
            : "Formación en ADE o Comercio Internacional. Dominio de Excel.",
    };

    private static string[] SkillsFor(Kind kind) => kind switch
    {
        Kind.Saas => new[] { "Node.js", "AWS", "Docker", "HubSpot", "SQL", "Kubernetes" },
        Kind.Fintech => new[] { "SWIFT", "SEPA", "Tesorería", "Excel", "Stripe" },
        Kind.Local => new[] { "Atención al cliente", "Office", "Organización", "Trabajo en equipo" },
        _ => new[] { "Comercio internacional", "Incoterms", "Inglés", "SAP", "Excel", "Negociación" },
    };

    private static string Display(Company company) => company.Hidden ? "nuestra empresa" : company.Name;

    private static JsonObject Item(int id, string value) => new() { ["id"] = id, ["value"] = value };
    private static JsonObject ItemOf((int Id, string Value) item) => Item(item.Id, item.Value);

    private static string Timestamp(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'.000+0000'", CultureInfo.InvariantCulture);

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static IEnumerable<T> Shuffle<T>(Random random, IReadOnlyList<T> items)
    {
        var copy = items.ToArray();
        for (var i = copy.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy;
    }

    private static string Hex(Random random, int bytes)
    {
        var buffer = new byte[bytes];
        random.NextBytes(buffer);
        return Convert.ToHexString(buffer).ToLowerInvariant();
    }

    private static string Digits(Random random, int length) =>
        string.Concat(Enumerable.Range(0, length).Select(i => (char)('0' + (i == 0 ? 1 + random.Next(9) : random.Next(10)))));

    private static string Slug(string text)
    {
        var folded = FakeInfojobsServer.Fold(text);
        var slug = new string(folded.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        while (slug.Contains("--", StringComparison.Ordinal)) slug = slug.Replace("--", "-", StringComparison.Ordinal);
        return slug.Trim('-');
    }
}
