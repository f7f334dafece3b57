/**
 * The classifier: compiled rules ordered by priority (then user files first, then file order),
 * dispatched by status so a 404 only ever meets rules that can match a 404. First match wins.
 */
import { compileMatch, statusConstraint, statusIn, type CondNode } from './compile.js';
import type { Facts } from './facts.js';
import type { LoadedRule } from './load-rules.js';
import type { Advice, Cause, GroupKey, RuleOrigin, RuleSpec } from './types.js';

export interface CompiledRule {
  /** Position in the classifier's order (0 = tried first). */
  index: number;
  id: string;
  title: string;
  cause: Cause;
  subcause: string;
  priority: number;
  severity: number;
  groupBy: GroupKey[];
  evidence: string[];
  advice: Advice;
  sanitizedSensitive: boolean;
  spec: RuleSpec;
  origin: RuleOrigin;
  node: CondNode;
  test: (f: Facts) => boolean;
}

const DEFAULT_GROUP: GroupKey[] = ['host', 'route'];

export class Classifier {
  readonly rules: CompiledRule[];
  /** status+1 (-1..999) → rules that may match it, in order. */
  private readonly byStatus: CompiledRule[][];
  private readonly forNull: CompiledRule[];
  private readonly forOther: CompiledRule[];

  constructor(loaded: LoadedRule[]) {
    const ordered = loaded
      .map((r, i) => ({ r, i }))
      .sort((a, b) => (b.r.spec.priority ?? 50) - (a.r.spec.priority ?? 50) || a.i - b.i)
      .map((x) => x.r);
    this.rules = ordered.map((r, index) => {
      const node = compileMatch(r.spec.match);
      return {
        index, id: r.spec.id, title: r.spec.title, cause: r.spec.cause, subcause: r.spec.subcause,
        priority: r.spec.priority ?? 50, severity: r.spec.severity ?? 5, groupBy: r.spec.groupBy ?? DEFAULT_GROUP,
        evidence: r.spec.evidence ?? ['status'], advice: r.spec.advice, sanitizedSensitive: r.spec.sanitizedSensitive === true,
        spec: r.spec, origin: r.origin, node, test: node.test,
      };
    });
    this.byStatus = Array.from({ length: 1001 }, () => []);
    this.forNull = [];
    this.forOther = [];
    for (const rule of this.rules) {
      const set = statusConstraint(rule.spec.match);
      for (let s = -1; s <= 999; s++) if (!set || statusIn(set, s)) this.byStatus[s + 1]!.push(rule);
      if (!set || set.nullOk) this.forNull.push(rule);
      if (!set) this.forOther.push(rule);
    }
  }

  /** Rules that could match a record with this status, in order. */
  candidates(status: number | null): CompiledRule[] {
    if (status === null) return this.forNull;
    if (status >= -1 && status <= 999) return this.byStatus[status + 1]!;
    return this.forOther;
  }

  /** The first rule that matches, or null (the failure's cause is then `unknown`). */
  classify(f: Facts): CompiledRule | null {
    const list = this.candidates(f.status);
    for (let i = 0; i < list.length; i++) if (list[i]!.test(f)) return list[i]!;
    return null;
  }

  byId(id: string): CompiledRule | undefined {
    return this.rules.find((r) => r.id === id);
  }
}

export interface NodeTrace {
  label: string;
  held: boolean;
  actual?: string;
  children: NodeTrace[];
}

/** Evaluates every condition of a node (no short-circuit) for explain output. */
export function trace(node: CondNode, f: Facts): NodeTrace {
  return {
    label: node.label,
    held: node.test(f),
    actual: node.actual ? node.actual(f) : undefined,
    children: node.children.map((c) => trace(c, f)),
  };
}

/** Fraction of a rule's top-level conditions that held (near-miss ranking). */
export function heldFraction(t: NodeTrace): number {
  if (t.children.length === 0) return t.held ? 1 : 0;
  return t.children.filter((c) => c.held).length / t.children.length;
}
