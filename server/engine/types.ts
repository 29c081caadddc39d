/** Positions and ranges are 0-based with UTF-16 columns, exactly as in LSP, so they cross the wire untouched. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';
export type SeverityOverride = Severity | 'off';

export interface Location {
  /** Absolute file path. */
  file: string;
  range: Range;
}

export interface RelatedInformation extends Location {
  message: string;
}

export interface TextEdit {
  file: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one obvious fix for the diagnostic (LSP `isPreferred`). */
  preferred?: boolean;
}

export interface Diagnostic {
  ruleId: string;
  severity: Severity;
  file: string;
  range: Range;
  message: string;
  related?: RelatedInformation[];
  fix?: Fix;
}

export const SC_IDS = [
  'SC-001', 'SC-002', 'SC-003', 'SC-004', 'SC-005',
  'SC-006', 'SC-007', 'SC-008', 'SC-009', 'SC-010',
] as const;
export type CriterionId = (typeof SC_IDS)[number];
