import { ordinal } from '../../k8s/k8s-object';
import type { EvidenceRef } from '../types';
import { CONTROL_TITLES, type ControlId, type ControlRow, type ControlStatus, type RecordedException } from './types';

/** What a control evaluator found; {@link controlRow} turns it into a row with its status. */
export interface ControlFindings {
  readonly id: ControlId;
  readonly rule: string;
  /** Rules that fail: any makes the control `not met`. */
  readonly failures: readonly string[];
  /** Why the deciding part is the customer's: with no failure, makes the control `customer-owned`. */
  readonly customerDecides: readonly string[];
  readonly provides: readonly string[];
  readonly customerOwns: readonly string[];
  readonly exceptions: readonly RecordedException[];
  readonly evidence: readonly EvidenceRef[];
}

/** The status rule shared by every control: a failing rule wins, then the customer's part, else met. */
export function statusOf(failures: readonly string[], customerDecides: readonly string[]): ControlStatus {
  if (failures.length > 0) return 'not met';
  if (customerDecides.length > 0) return 'customer-owned';
  return 'met';
}

/** Builds a row: computes the status, keeps the findings that explain it, sorts what is set-like. */
export function controlRow(f: ControlFindings): ControlRow {
  const status = statusOf(f.failures, f.customerDecides);
  const findings = status === 'not met' ? f.failures : status === 'customer-owned' ? f.customerDecides : [];
  return {
    id: f.id,
    title: CONTROL_TITLES[f.id],
    status,
    rule: f.rule,
    findings: [...findings].sort(ordinal),
    provides: f.provides,
    customerOwns: dedupe(f.customerOwns),
    exceptions: [...f.exceptions].sort((a, b) => ordinal(a.key, b.key) || ordinal(a.what, b.what)),
    evidence: f.evidence,
  };
}

function dedupe(lines: readonly string[]): string[] {
  return [...new Set(lines)];
}
