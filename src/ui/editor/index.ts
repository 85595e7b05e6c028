export { ScenarioEditor, type ScenarioEditorOptions } from './ScenarioEditor.ts';
export { scenarioDiagnostics, diagnosticOf, offsetOf, tokenEnd, type ScenarioDiagnostic } from './diagnostics.ts';
