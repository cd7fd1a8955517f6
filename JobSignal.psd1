@{
    RootModule           = 'bin/JobSignal.Cmdlets.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Core')
    GUID                 = '6f0b7c1e-4b1a-4b8e-9d53-2a7e1c0f5a31'
    Author               = 'JobSignal'
    CompanyName          = 'JobSignal'
    Copyright            = '(c) JobSignal. All rights reserved.'
    Description          = 'Turns public InfoJobs job offers into ranked, explainable B2B sales leads, stored in SQLite and shown in a Google Sheet.'
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @(
        'module/formats/Signal.Format.ps1xml'
        'module/formats/Infojobs.Format.ps1xml'
        'module/formats/Store.Format.ps1xml'
        'module/formats/Sheets.Format.ps1xml'
        'module/formats/Ingestion.Format.ps1xml'
        'module/formats/Pipeline.Format.ps1xml'
    )
    CmdletsToExport      = @(
        'Measure-OfferSignal'
        'Get-SignalCatalog'
        'Test-SignalCatalog'
        'Get-InfojobsOffer'
        'Get-IngestionRun'
        'Sync-CompanySheet'
        'Import-CompanySheetFeedback'
        'Invoke-OfferIngestion'
        'Update-CompanyAggregation'
        'Get-SignalCompany'
        'Get-SignalOffer'
        'Update-OfferScore'
        'Invoke-JobSignalPipeline'
        'Get-JobSignalQueryState'
        'Get-SignalFeedback'
        'New-JobSignalConfig'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('InfoJobs', 'Leads', 'Sales', 'SQLite', 'GoogleSheets')
            ProjectUri = ''
        }
    }
}
