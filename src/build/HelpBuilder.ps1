<#
.SYNOPSIS
    Builds the module's help: MAML for every cmdlet from module/help/<Verb-Noun>.md, and about_*.help.txt topics.
.DESCRIPTION
    Runs in its own pwsh (build.ps1 starts it) because it imports the freshly built module to read each cmdlet's
    metadata: syntax, parameter types, positions, pipeline binding, aliases, default values (a fresh instance's) and
    -WhatIf/-Confirm come from the cmdlet itself, so the markdown holds only prose and cannot drift from the code. A
    cmdlet without a markdown file, or a parameter without a description, fails the build.

    Markdown shape (one file per cmdlet):
        # Verb-Noun / ## SYNOPSIS / ## DESCRIPTION / ## EXAMPLES (### Example N: title, a ```powershell fence,
        then remarks) / ## PARAMETERS (### -Name, then text) / ## INPUTS and ## OUTPUTS (### Type, then text) /
        ## NOTES (optional)
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SourceDirectory,
    [Parameter(Mandatory)] [string] $OutputDirectory
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$commonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
# -WhatIf and -Confirm are listed with a cmdlet's own parameters wherever it supports them (Get-Help shows them in the
# syntax and answers -Parameter WhatIf); a cmdlet's markdown may describe them, otherwise these words are used.
$shouldProcessParameters = [ordered]@{
    WhatIf  = 'Shows what would happen if the cmdlet runs, without running it: nothing is written.'
    Confirm = 'Prompts you for confirmation before each change the cmdlet makes.'
}

# Splits a markdown file into its level-2 sections, each holding its raw lines.
function Split-MarkdownSection {
    param([string[]] $Lines, [string] $Marker)
    $sections = [ordered]@{}
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line.StartsWith("$Marker ")) {
            $current = $line.Substring($Marker.Length + 1).Trim()
            $sections[$current] = [System.Collections.Generic.List[string]]::new()
        }
        elseif ($null -ne $current) { $sections[$current].Add($line) }
    }
    $sections
}

# Blank-line separated paragraphs, with markdown emphasis and code ticks removed.
function Get-Paragraph {
    param([string[]] $Lines)
    $text = (@($Lines) -join "`n").Trim()
    if (-not $text) { return @() }
    @($text -split "\n\s*\n" | ForEach-Object { ($_ -replace '\s*\n\s*', ' ' -replace '`', '' -replace '\*\*', '').Trim() } | Where-Object { $_ })
}

function Add-Paragraph {
    param([System.Xml.XmlElement] $Parent, [string[]] $Paragraphs)
    foreach ($p in $Paragraphs) {
        $para = $Parent.OwnerDocument.CreateElement('maml', 'para', $ns.maml)
        $para.InnerText = $p
        $Parent.AppendChild($para) | Out-Null
    }
}

function New-Element {
    param([System.Xml.XmlNode] $Parent, [string] $Prefix, [string] $Name, [string] $Text)
    $doc = if ($Parent -is [System.Xml.XmlDocument]) { $Parent } else { $Parent.OwnerDocument }
    $element = $doc.CreateElement($Prefix, $Name, $ns[$Prefix])
    if ($PSBoundParameters.ContainsKey('Text')) { $element.InnerText = $Text }
    $Parent.AppendChild($element) | Out-Null
    $element
}

function Get-PipelineInputText {
    param($ParameterSets)
    $kinds = @()
    if ($ParameterSets | Where-Object ValueFromPipeline) { $kinds += 'ByValue' }
    if ($ParameterSets | Where-Object ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($kinds) { "True ($($kinds -join ', '))" } else { 'False' }
}

# What a parameter is when it is not given, read from a fresh instance of the cmdlet: "None" where that is nothing
# (null, or the zero of a value type, which the parameter's text explains where it means something), False for a switch.
function Get-DefaultValueText {
    param($Command, $Parameter)
    if ($Parameter.ParameterType -eq [switch]) { return 'False' }
    $property = $Command.ImplementingType.GetProperty($Parameter.Name)
    if ($null -eq $property) { return 'None' }
    $value = $property.GetValue([Activator]::CreateInstance($Command.ImplementingType))
    if ($null -eq $value) { return 'None' }
    if ($value.GetType().IsValueType -and $value -eq [Activator]::CreateInstance($value.GetType())) { return 'None' }
    # Delays read as the -RetryDelay parameters accept them (250ms, 1.5s).
    if ($value -is [timespan]) { return '{0}ms' -f $value.TotalMilliseconds.ToString([cultureinfo]::InvariantCulture) }
    $text = if ($value -is [System.Collections.IEnumerable] -and $value -isnot [string]) { @($value) -join ', ' }
            else { [System.Convert]::ToString($value, [cultureinfo]::InvariantCulture) }
    if ($text) { $text } else { 'None' }
}

function Add-ParameterElement {
    param([System.Xml.XmlElement] $Parent, $Command, $Parameter, [string] $SetName, [string[]] $Description)
    $sets = @($Parameter.ParameterSets.GetEnumerator() | Where-Object { $SetName -eq '' -or $_.Key -eq $SetName -or $_.Key -eq '__AllParameterSets' } | ForEach-Object Value)
    $required = [bool]($sets | Where-Object IsMandatory)
    $position = @($sets | Where-Object { $_.Position -ge 0 } | ForEach-Object Position) | Select-Object -First 1
    $element = New-Element $Parent 'command' 'parameter'
    $element.SetAttribute('required', $required.ToString().ToLowerInvariant())
    $element.SetAttribute('variableLength', 'true')
    # Get-Help's "Accept wildcard characters?" comes from here: it follows the parameter's [SupportsWildcards].
    $globbing = [bool]($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $element.SetAttribute('globbing', $globbing.ToString().ToLowerInvariant())
    $element.SetAttribute('pipelineInput', (Get-PipelineInputText $sets))
    $element.SetAttribute('position', $(if ($null -ne $position) { [string] $position } else { 'named' }))
    $element.SetAttribute('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
    New-Element $element 'maml' 'name' $Parameter.Name | Out-Null
    Add-Paragraph (New-Element $element 'maml' 'description') $Description
    # An optional value type reads as itself (-Top <Int32>), not as "Nullable`1".
    $valueType = [Nullable]::GetUnderlyingType($Parameter.ParameterType) ?? $Parameter.ParameterType
    if ($Parameter.ParameterType -ne [switch]) {
        $value = New-Element $element 'command' 'parameterValue' $valueType.Name
        $value.SetAttribute('required', 'true')
        $value.SetAttribute('variableLength', 'false')
    }
    $type = New-Element $element 'dev' 'type'
    New-Element $type 'maml' 'name' $valueType.FullName | Out-Null
    New-Element $element 'dev' 'defaultValue' (Get-DefaultValueText $Command $Parameter) | Out-Null
}

function Add-TypeSection {
    param([System.Xml.XmlElement] $Parent, [string] $ItemName, $Section)
    $types = Split-MarkdownSection -Lines $Section -Marker '###'
    foreach ($typeName in $types.Keys) {
        $item = New-Element $Parent 'command' $ItemName
        $type = New-Element $item 'dev' 'type'
        New-Element $type 'maml' 'name' $typeName | Out-Null
        Add-Paragraph (New-Element $item 'maml' 'description') (Get-Paragraph $types[$typeName])
    }
}

$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

$module = Import-Module $ModulePath -PassThru -Force
$problems = [System.Collections.Generic.List[string]]::new()
$doc = [System.Xml.XmlDocument]::new()
$doc.AppendChild($doc.CreateXmlDeclaration('1.0', 'utf-8', $null)) | Out-Null
$root = $doc.CreateElement('helpItems', 'http://msh')
$root.SetAttribute('schema', 'maml')
$doc.AppendChild($root) | Out-Null

foreach ($command in $module.ExportedCmdlets.Values | Sort-Object Name) {
    $file = Join-Path $SourceDirectory "$($command.Name).md"
    if (-not (Test-Path $file)) { $problems.Add("$($command.Name): no help file $file"); continue }
    $sections = Split-MarkdownSection -Lines (Get-Content $file) -Marker '##'
    foreach ($required in 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS') {
        if (-not $sections.Contains($required)) { $problems.Add("$($command.Name): section ## $required missing") }
    }
    if ($problems.Count) { continue }

    $cmd = New-Element $root 'command' 'command'
    $details = New-Element $cmd 'command' 'details'
    New-Element $details 'command' 'name' $command.Name | Out-Null
    New-Element $details 'command' 'verb' $command.Verb | Out-Null
    New-Element $details 'command' 'noun' $command.Noun | Out-Null
    Add-Paragraph (New-Element $details 'maml' 'description') (Get-Paragraph $sections['SYNOPSIS'])
    Add-Paragraph (New-Element $cmd 'maml' 'description') (Get-Paragraph $sections['DESCRIPTION'])

    $parameterHelp = Split-MarkdownSection -Lines $sections['PARAMETERS'] -Marker '###'
    $descriptions = @{}
    foreach ($key in $parameterHelp.Keys) { $descriptions[$key.TrimStart('-')] = @(Get-Paragraph $parameterHelp[$key]) }
    # A DontShow parameter (StorePath, bound from piped objects only) is no part of the documented syntax.
    $ownParameters = @($command.Parameters.Values | Where-Object {
            $_.Name -notin $commonParameters -and -not ($_.Attributes | Where-Object { $_ -is [Parameter] -and $_.DontShow })
        })
    foreach ($p in $ownParameters) {
        if (-not $descriptions.ContainsKey($p.Name) -or -not $descriptions[$p.Name]) { $problems.Add("$($command.Name): parameter -$($p.Name) has no description") }
    }
    $shouldProcess = @($command.Parameters.Values | Where-Object { $_.Name -in $shouldProcessParameters.Keys })
    foreach ($p in $shouldProcess) {
        if (-not $descriptions[$p.Name]) { $descriptions[$p.Name] = @($shouldProcessParameters[$p.Name]) }
    }
    $ownParameters += $shouldProcess
    foreach ($documented in $descriptions.Keys) {
        if ($documented -notin $ownParameters.Name) { $problems.Add("$($command.Name): help documents -$documented, which the cmdlet does not have") }
    }

    $syntax = New-Element $cmd 'command' 'syntax'
    foreach ($set in $command.ParameterSets) {
        $item = New-Element $syntax 'command' 'syntaxItem'
        New-Element $item 'maml' 'name' $command.Name | Out-Null
        foreach ($p in $set.Parameters | Where-Object { $_.Name -in $ownParameters.Name }) {
            Add-ParameterElement $item $command $command.Parameters[$p.Name] $set.Name $descriptions[$p.Name]
        }
    }
    $parametersElement = New-Element $cmd 'command' 'parameters'
    foreach ($p in $ownParameters) { Add-ParameterElement $parametersElement $command $p '' $descriptions[$p.Name] }

    Add-TypeSection (New-Element $cmd 'command' 'inputTypes') 'inputType' $sections['INPUTS']
    Add-TypeSection (New-Element $cmd 'command' 'returnValues') 'returnValue' $sections['OUTPUTS']
    if ($sections.Contains('NOTES')) {
        $alert = New-Element (New-Element $cmd 'maml' 'alertSet') 'maml' 'alert'
        Add-Paragraph $alert (Get-Paragraph $sections['NOTES'])
    }

    $examples = New-Element $cmd 'command' 'examples'
    $exampleSections = Split-MarkdownSection -Lines $sections['EXAMPLES'] -Marker '###'
    if ($exampleSections.Count -lt 2) { $problems.Add("$($command.Name): fewer than two examples") }
    foreach ($title in $exampleSections.Keys) {
        $lines = @($exampleSections[$title])
        $fenceStart = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l -match '^```' })
        $fenceEnd = if ($fenceStart -ge 0) { [array]::FindIndex($lines, $fenceStart + 1, [Predicate[string]] { param($l) $l -match '^```' }) } else { -1 }
        if ($fenceStart -lt 0 -or $fenceEnd -lt 0) { $problems.Add("$($command.Name): example '$title' has no code fence"); continue }
        $example = New-Element $examples 'command' 'example'
        New-Element $example 'maml' 'title' "-------------------------- $title --------------------------" | Out-Null
        New-Element $example 'dev' 'code' (($lines[($fenceStart + 1)..($fenceEnd - 1)]) -join "`n") | Out-Null
        Add-Paragraph (New-Element $example 'dev' 'remarks') (Get-Paragraph @($lines | Select-Object -Skip ($fenceEnd + 1)))
    }
    New-Element $cmd 'command' 'relatedLinks' | Out-Null
}

if ($problems.Count) { throw "Help is incomplete:`n  " + ($problems -join "`n  ") }

New-Item -ItemType Directory -Path $OutputDirectory -Force | Out-Null
$doc.Save((Join-Path $OutputDirectory 'JobSignal.Cmdlets.dll-Help.xml'))

# About topics: markdown headings become the upper-case section titles of classic about_ text.
foreach ($about in Get-ChildItem $SourceDirectory -Filter 'about_*.md') {
    $inFence = $false
    $text = foreach ($line in Get-Content $about.FullName) {
        if ($line -match '^```') { $inFence = -not $inFence; continue }
        if ($inFence) { '    ' + $line }
        elseif ($line -match '^#{1,2}\s+(.*)$') { $Matches[1].ToUpperInvariant() }
        elseif ($line -match '^#{3,}\s+(.*)$') { '  ' + $Matches[1] }
        else { $line -replace '`', '' -replace '\*\*', '' }
    }
    Set-Content -Path (Join-Path $OutputDirectory ($about.BaseName + '.help.txt')) -Value $text -Encoding utf8
}
