using System.Globalization;
using System.Text;
using JobSignal.Core.Domain;

namespace JobSignal.Bench;

/// <summary>
/// A deterministic stream of realistic Spanish and English offers (~2 KB descriptions): everyday job text with FX
/// signals, tech proxies, negations, URLs and e-mail addresses at plausible rates, from a Zipf-like set of companies
/// (a few very large ones). Same seed, same offers.
/// </summary>
internal sealed class SyntheticOffers(int seed = 20_240_601)
{
    private const int TargetDescriptionLength = 2_000;
    private readonly Random _random = new(seed);
    private int _next;

    private static readonly string[] s_rolesEs =
        ["Administrativo/a contable", "Técnico/a de comercio exterior", "Desarrollador/a backend", "Analista financiero/a",
         "Responsable de tesorería", "Comercial B2B", "Key Account Manager", "Ingeniero/a de datos", "Controller financiero",
         "Técnico/a de soporte", "Responsable de marketing digital", "Jefe/a de compras"];
    private static readonly string[] s_rolesEn =
        ["Finance Operations Specialist", "Backend Engineer", "Performance Marketing Manager", "Treasury Analyst",
         "Customer Success Manager", "Data Engineer", "Export Sales Manager", "Frontend Developer"];
    private static readonly string[] s_cities = ["Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao", "Zaragoza", "Málaga", "Vigo"];

    private static readonly string[] s_plainEs =
    [
        "Buscamos una persona proactiva, organizada y con capacidad de trabajo en equipo para incorporarse a nuestro departamento.",
        "Entre sus funciones estarán la gestión administrativa diaria, el seguimiento de proveedores y la preparación de informes mensuales.",
        "Ofrecemos contrato indefinido, salario competitivo según valía, jornada flexible y posibilidad de teletrabajo dos días por semana.",
        "Se valorará experiencia previa en un puesto similar de al menos dos años y conocimientos avanzados de Excel.",
        "Formarás parte de un equipo joven y dinámico en pleno crecimiento, con un plan de carrera claro y formación continua.",
        "La persona seleccionada reportará directamente a la dirección y coordinará a un equipo de cuatro personas.",
        "Horario de lunes a jueves de 9:00 a 18:00 y viernes intensivo; 23 días laborables de vacaciones.",
        "Imprescindible residir en la provincia o disponibilidad para trasladarse; se ofrece ayuda a la reubicación.",
        "Trabajarás con herramientas como SAP, Navision y Power BI para el cierre contable y la conciliación bancaria.",
        "Valoramos la atención al detalle, la orientación al cliente y las ganas de aprender en un entorno exigente.",
    ];
    private static readonly string[] s_plainEn =
    [
        "We are looking for a proactive and well organised person to join our growing team in a fast paced environment.",
        "You will own the day to day operations, work closely with product and sales, and report to the head of the department.",
        "We offer a permanent contract, a competitive salary, flexible hours, hybrid work and a yearly training budget.",
        "At least two years of experience in a similar role and fluent English are required; Spanish is a plus.",
        "Our culture values ownership, transparency and continuous improvement; we ship small changes every day.",
        "You will build and maintain internal tools, write documentation and help onboard new team members.",
    ];
    private static readonly string[] s_signalsEs =
    [
        "Gestión de pagos internacionales y cobros en divisa con bancos de la zona euro y fuera de ella.",
        "Facturación multidivisa en USD, GBP y CHF y seguimiento del tipo de cambio.",
        "Atención a clientes internacionales en EE.UU. y Latinoamérica, especialmente México y Colombia.",
        "Coordinación de operaciones de exportación e importación y documentación de comercio internacional.",
        "Control de la tesorería del grupo y de las transferencias internacionales vía SWIFT.",
        "Participarás en la expansión internacional de la compañía hacia el mercado UK.",
        "Experiencia con Stripe, PayPal o Adyen para cobros de nuestro marketplace.",
        "Nuestra plataforma SaaS funciona con suscripciones y se despliega en AWS y Google Cloud.",
        "Gestión de campañas en Google Ads, Meta Ads y TikTok Ads y seguimiento de leads en HubSpot y Salesforce.",
        "No se requiere experiencia con Azure ni con AWS; formaremos a la persona seleccionada.",
        "Sin necesidad de experiencia en comercio internacional.",
        "Salario de hasta $60K brutos anuales para perfiles senior.",
    ];
    private static readonly string[] s_signalsEn =
    [
        "You will handle international payments and cross-border payments for our global customers.",
        "We invoice in USD and EUR and manage foreign exchange exposure with our treasury team.",
        "Our customers are in the U.S. market and the UK market, with a growing presence in EMEA.",
        "Experience with Stripe payments, subscriptions and recurring revenue metrics is a strong plus.",
        "The stack runs on AWS (EC2, S3, Lambda) with some workloads on Microsoft Azure.",
        "No experience with forex required; international trade knowledge is not needed either.",
        "Import data from CSV files and export reports to Excel for the finance operations team.",
    ];
    private static readonly string[] s_noise =
    [
        "Más información en https://empleo.example.com/ofertas?id={0} o escribiendo a rrhh{0}@empresa.example.",
        "Apply at www.careers.example.org/jobs/{0} (reference {0}).",
        "Contacto: talento+{0}@example.es — «Únete a nosotros».",
    ];

    public IEnumerable<Offer> Take(int count)
    {
        for (var i = 0; i < count; i++) yield return Next();
    }

    public Offer Next()
    {
        var id = _next++;
        var english = _random.NextDouble() < 0.3;
        var company = CompanyIndex();
        var description = new StringBuilder(TargetDescriptionLength + 300);
        var plain = english ? s_plainEn : s_plainEs;
        var signals = english ? s_signalsEn : s_signalsEs;
        while (description.Length < TargetDescriptionLength)
        {
            var roll = _random.NextDouble();
            var sentence = roll < 0.08 ? signals[_random.Next(signals.Length)]
                : roll < 0.12 ? string.Format(CultureInfo.InvariantCulture, s_noise[_random.Next(s_noise.Length)], id)
                : plain[_random.Next(plain.Length)];
            description.Append(sentence).Append(_random.NextDouble() < 0.2 ? "\n\n" : " ");
        }
        var roles = english ? s_rolesEn : s_rolesEs;
        return new Offer
        {
            ProviderOfferId = "bench" + id.ToString("D8", CultureInfo.InvariantCulture),
            Url = $"https://www.infojobs.net/oferta/bench{id}",
            Title = roles[_random.Next(roles.Length)] + (_random.NextDouble() < 0.2 ? " - Remote" : ""),
            Description = description.ToString(),
            Requirements = _random.NextDouble() < 0.5 ? "Experiencia mínima de 2 años. Inglés alto. " + signals[_random.Next(signals.Length)] : null,
            City = s_cities[_random.Next(s_cities.Length)],
            Company = new OfferCompany
            {
                ProviderCompanyId = "company" + company,
                Name = $"Empresa Sintética {company} S.L.",
                Website = company % 3 == 0 ? null : $"https://www.empresa{company}.example",
            },
        };
    }

    /// <summary>Zipf-like: company 0 publishes far more than company 1000.</summary>
    private int CompanyIndex() => (int)Math.Floor(Math.Pow(5000, _random.NextDouble())) - 1;
}
