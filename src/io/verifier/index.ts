/** The driver verifier: per-system checks of drivers against the I/O rules (docs/verifier.md). */
export * from './driver-verifier.ts';
export { formatViolation, VERIFIER_RULES, type VerifierRule, type VerifierViolation } from './rules.ts';
