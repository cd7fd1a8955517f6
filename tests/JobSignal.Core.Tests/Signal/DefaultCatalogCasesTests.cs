using JobSignal.Core.Signal;

namespace JobSignal.Core.Tests.Signal;

/// <summary>
/// Realistic Spanish and English ad texts the default catalog used to misread (found by exploratory testing): what it
/// must not count, and what it still counts.
/// </summary>
public class DefaultCatalogCasesTests
{
    private static IReadOnlyList<string> Counted(string title, string description) =>
        SignalTestData.DefaultScorer.Score(title, description).Hits.Select(h => h.Id).Distinct().ToList();

    /// <summary>A case of <see cref="Does_not_count"/> must be one the catalog would count without its exclusion.</summary>
    private static IReadOnlyList<string> Found(string title, string description) =>
        SignalTestData.DefaultScorer.Score(title, description) is var score
            ? score.Hits.Concat(score.ExcludedHits).Select(h => h.Id).Distinct().ToList() : [];

    [Theory]
    [InlineData("Desarrollador/a iOS", "Dominio de Swift, Combine y arquitectura MVVM para nuestra app de iPhone", "kw_swift")]
    [InlineData("Data Engineer", "Pipelines para la importación masiva de datos de clientes a nuestra plataforma", "kw_export_import")]
    [InlineData("Data Analyst", "Python (import pandas as pd) y procesos ETL", "kw_export_import")]
    [InlineData("Operario/a", "Tipo de cambio de turno: rotativo", "kw_tipo_cambio")]
    [InlineData("Dependiente/a", "Tienda en la Calle Colombia, junto a la Avenida de México", "kw_latam")]
    // 2.3.0
    [InlineData("Lighting Artist", "Experiencia con Houdini, Maya y USD (Universal Scene Description)", "kw_usd_currency")]
    [InlineData("Lighting Artist", "Experiencia con Houdini, Maya y USD (Universal Scene Description)", "phrase_usd")]
    [InlineData("Especialista SEO local", "Optimización de fichas de Google Business Profile (GBP) y reseñas", "kw_gbp_currency")]
    [InlineData("Especialista SEO local", "Optimización de fichas de Google Business Profile (GBP) y reseñas", "phrase_gbp")]
    [InlineData("Editor/a de vídeo", "Experiencia en FX, motion graphics y postproducción", "kw_forex")]
    [InlineData("Técnico de sonido", "Mezcla, FX y doblaje", "kw_forex")]
    [InlineData("Desarrollador/a iOS", "Swift con arquitectura VIPER, Alamofire y tests con XCTest", "kw_swift")]
    [InlineData("Programador/a JavaScript", "Módulos ES6 con import/export, React y Node", "kw_export_import")]
    [InlineData("DevOps", "Conocimientos de Bash: echo $HOME, export PATH=$PATH:/usr/bin", "kw_export_import")]
    [InlineData("Especialista en marketing", "Requisitos: formación en ADE o Comercio Internacional", "kw_international_trade")]
    [InlineData("Técnico/a de mantenimiento", "Salario: 24.000 € brutos anuales", "phrase_eur")]
    [InlineData("Recepcionista", "Oficina situada en C/ Colombia 12, Madrid", "kw_latam")]
    [InlineData("Dependiente/a", "Tienda en la Avda. de México, Valencia", "kw_latam")]
    [InlineData("Cocinero/a", "Especialidad en chile con carne y burritos", "kw_latam")]
    // 2.4.0
    [InlineData("Recepcionista", "Oficinas en Plaza de México, Madrid", "kw_latam")]
    [InlineData("Dependiente/a", "Tienda en la Ronda de Colombia y el Camino de Chile", "kw_latam")]
    [InlineData("Camarero/a", "Ticket restaurante de 11 € al día", "phrase_eur")]
    [InlineData("Comercial", "Gasolina: 0,19 €/km", "phrase_eur")]
    [InlineData("Administrativo/a", "Presupuesto anual de 2 M€ para la renovación de la oficina", "phrase_eur")]
    [InlineData("Gestor/a laboral", "Trámites con la Tesorería General de la Seguridad Social", "kw_treasury")]
    // The title names the role: its context words say what a term of the description is, and the description's first
    // words what the title's last one is.
    [InlineData("Desarrollador Swift", "App para iPhone e iPad.", "kw_swift")]
    [InlineData("iOS Developer", "Desarrollo de apps nativas en Swift.", "kw_swift")]
    [InlineData("Animador 3D (Houdini)", "Pipeline basado en USD.", "kw_usd_currency")]
    [InlineData("Animador 3D (Houdini)", "Pipeline basado en USD.", "phrase_usd")]
    [InlineData("Especialista SEO local", "Gestión de GBP para clientes.", "kw_gbp_currency")]
    [InlineData("Editor/a de vídeo", "Montaje, color y FX para redes sociales.", "kw_forex")]
    public void Does_not_count(string title, string description, string keyword)
    {
        Assert.Contains(keyword, Found(title, description));
        Assert.DoesNotContain(keyword, Counted(title, description));
    }

    [Theory]
    [InlineData("Backend Developer", "Integración con la red SWIFT y pagos SEPA", "kw_swift")]
    [InlineData("Responsable de logística", "Importación de maquinaria desde China", "kw_export_import")]
    [InlineData("Tesorero/a", "Riesgo de tipo de cambio en las filiales", "kw_tipo_cambio")]
    [InlineData("Analista", "Oficinas en México y Colombia", "kw_latam")]
    [InlineData("Administrativo/a", "Facturación en dólares y libras esterlinas", "kw_usd_words")]
    [InlineData("Administrativo/a", "Facturación en dólares y libras esterlinas", "kw_gbp_words")]
    [InlineData("Técnico/a de Comercio Exterior", "Gestión de aduanas", "kw_foreign_trade")]
    [InlineData("Key Account", "Cartera de clientes en Estados Unidos", "kw_usa_market_es")]
    [InlineData("Key Account", "Cartera de clientes en Reino Unido", "kw_uk_market_es")]
    [InlineData("Analista", "Plaza disponible en México", "kw_latam")]
    [InlineData("Product Owner", "App de transferencias internacionales por SWIFT para clientes de empresa", "kw_swift")]
    [InlineData("Responsable de comercio", "Importación y exportación, dominio de Excel e informes", "kw_export_import")]
    // 2.3.0: the same words where they are the signal
    [InlineData("Tesorero/a", "Cobros en USD de clientes de Estados Unidos", "kw_usd_currency")]
    [InlineData("Administrativo/a", "Facturación en GBP a clientes de Reino Unido", "phrase_gbp")]
    [InlineData("Trader", "Operaciones FX y coberturas de divisa", "kw_forex")]
    [InlineData("Analista", "Experiencia en comercio internacional y aduanas", "kw_international_trade")]
    [InlineData("Contable", "Pagos a proveedores en EUR y USD", "phrase_eur")]
    [InlineData("Node.js Developer", "Integración de pagos con Stripe para la exportación a Francia", "kw_export_import")]
    [InlineData("Comercial", "Responsable de exportación. Datos del puesto: jornada completa en Valencia", "kw_export_import")]
    // 2.4.0: rules on the hit's own phrase stay within its sentence, degrees and streets are named before the hit
    [InlineData("Tesorero/a", "Responsable de coberturas de tipo de cambio.\nJornada completa de lunes a viernes.", "kw_tipo_cambio")]
    [InlineData("Administrativo/a", "Técnico de importación. Excel avanzado.", "kw_export_import")]
    [InlineData("Administrativo/a", "Empresa líder en comercio internacional. Se requiere formación en ADE.", "kw_international_trade")]
    [InlineData("Administrativo/a", "Empresa de comercio internacional busca titulado/a en ADE.", "kw_international_trade")]
    [InlineData("Analista", "Oficinas en México, junto a la plaza", "kw_latam")]
    [InlineData("Arquitectura de software", "Experiencia con Lambda", "kw_aws")]
    // negation idioms that negate nothing
    [InlineData("Administrativo/a", "ONG sin ánimo de lucro que gestiona transferencias internacionales", "kw_international_payments")]
    [InlineData("Administrativo/a", "Entidad sin fines de lucro: pagos internacionales a proyectos", "kw_international_payments")]
    [InlineData("Analista", "Una empresa sin fronteras: operamos en LATAM y EMEA", "kw_latam")]
    [InlineData("Finance Analyst", "Not just USD: we also handle GBP", "kw_usd_currency")]
    [InlineData("Finance Analyst", "A not-for-profit handling international payments", "kw_international_payments")]
    [InlineData("Finance Analyst", "A not for profit handling international payments", "kw_international_payments")]
    // EUR beside another currency; the pound of a Business Analyst
    [InlineData("Contable", "Cuentas en EUR y en divisas", "phrase_eur")]
    [InlineData("Business Analyst", "Reporting en GBP a la matriz de Londres", "phrase_gbp")]
    // new aliases and keywords
    [InlineData("Comercial", "Exportaciones e importaciones a Francia", "kw_export_import")]
    [InlineData("Tesorero/a", "Cuentas multi-currency", "kw_divisa")]
    [InlineData("Tesorero/a", "Plataforma multicurrency", "kw_divisa")]
    [InlineData("Tesorero/a", "Cobros en moneda extranjera", "kw_divisa")]
    [InlineData("Treasury Analyst", "Foreign currency accounts", "kw_divisa")]
    [InlineData("Foreign exchange operations specialist", "", "kw_forex")]
    [InlineData("Tesorero/a", "Pagos en MXN y BRL", "kw_mxn_currency")]
    [InlineData("Tesorero/a", "Pagos en MXN y BRL", "kw_brl_currency")]
    [InlineData("Tesorero/a", "Gestión de la tesorería y de la seguridad social", "kw_treasury")]
    public void Counts(string title, string description, string keyword) =>
        Assert.Contains(keyword, Counted(title, description));

    [Theory]
    [InlineData("Más info en stripe.com/jobs")]
    [InlineData("Inscríbete en empresa.com/pagos-internacionales")]
    public void Drops_a_domain_with_a_path_written_without_a_scheme(string description)
    {
        var score = SignalTestData.DefaultScorer.Score("Administrativo/a", description);
        Assert.Equal((0, 0), (score.Score, score.Hits.Count + score.ExcludedHits.Count + score.NegatedHits.Count));
    }

    [Fact]
    public void Scores_mxn_and_brl_in_their_category_and_foreign_exchange_as_fx_core()
    {
        var currencies = SignalTestData.DefaultScorer.Score(null, "Pagos en MXN y BRL");
        Assert.Equal(("cat_fx_currency_ops", 8m), (currencies.TopCategory, currencies.Raw));
        var forex = SignalTestData.DefaultScorer.Score("Foreign exchange operations specialist", null);
        Assert.True(forex.FxCore);
        Assert.Equal("cat_fx_currency_ops", forex.TopCategory);
    }

    [Theory]
    [InlineData("Ticket restaurante de 11 € al día")]
    [InlineData("Gasolina: 0,19 €/km")]
    [InlineData("Facturación de 5M€ en Europa")]
    public void Counts_a_euro_amount_only_beside_another_currency(string description)
    {
        // The euro is a Spanish employer's home currency: alone it is no FX evidence, and no strong lead.
        var alone = SignalTestData.DefaultScorer.Score("Comercial", description);
        Assert.Equal(0, alone.Score);
        Assert.Equal("counts only beside USD, GBP, CHF, Forex, Divisa, Tipo de Cambio, Dólares, Libras esterlinas, MXN, BRL, and none of them counts in the offer",
            Assert.Single(alone.ExcludedHits).ExclusionReason);
        Assert.Contains("phrase_eur", Counted("Comercial", description + ". Cobros en USD."));
    }

    [Fact]
    public void Keeps_a_product_named_by_its_domain()
    {
        Assert.Contains("kw_salesforce", Counted("Consultor CRM", "Experiencia con Salesforce.com"));
    }
}
