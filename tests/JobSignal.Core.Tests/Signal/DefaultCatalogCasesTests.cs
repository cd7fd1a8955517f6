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

    [Theory]
    [InlineData("Desarrollador/a iOS", "Dominio de Swift, Combine y arquitectura MVVM para nuestra app de iPhone", "kw_swift")]
    [InlineData("Data Engineer", "Pipelines para la importación masiva de datos de clientes a nuestra plataforma", "kw_export_import")]
    [InlineData("Data Analyst", "Python (import pandas as pd) y procesos ETL", "kw_export_import")]
    [InlineData("Operario/a", "Tipo de cambio de turno: rotativo", "kw_tipo_cambio")]
    [InlineData("Dependiente/a", "Tienda en la Calle Colombia, junto a la Avenida de México", "kw_latam")]
    public void Does_not_count(string title, string description, string keyword) =>
        Assert.DoesNotContain(keyword, Counted(title, description));

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
    public void Counts(string title, string description, string keyword) =>
        Assert.Contains(keyword, Counted(title, description));
}
