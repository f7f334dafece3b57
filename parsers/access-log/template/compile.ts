/**
 * Compiles a log-format spec (nginx `log_format` or Apache `LogFormat` syntax) into a Template and a
 * LogFormat. Backs the CLI `--log-format` and the built-in positional formats (formats/text/).
 */
import type { FormatSample, LogFormat } from '../format.js';
import { tokenizeApache, unwrapApacheDirective } from './apache.js';
import { templateParser, type TemplateParserOptions } from './engine.js';
import { tokenizeNginx, unwrapNginxDirective } from './nginx.js';
import { LogFormatError, type SpecToken } from './spec.js';
import type { FieldStep, FinishHook, Lex, Template, VarDef } from './types.js';
import { varDef } from './vars.js';

export { LogFormatError } from './spec.js';

export type SpecSyntax = 'nginx' | 'apache';

export interface TemplateOptions {
  /** Variable definitions that replace the shared table for this format (format-specific fields). */
  vars?: Record<string, VarDef>;
  /** Variables after which the line may end (later fields optional: ALB fields added over the years). */
  mayEndAfter?: string[];
  /** Text after the last literal: rejected (default) or kept in extra.trailing. */
  trailing?: 'reject' | 'keep';
  /** The last field, when quoted, may lack its closing quote (a cut user agent). Default true. */
  truncatedLast?: boolean;
}

const APACHE_START = /[<>!0-9,{aAbBCDefhHiIklLmnoOpPqrRsStTuUvVX^]/;

/** Which syntax a spec is written in: counts `$name` against `%x` directives. Throws when neither. */
export function detectSyntax(spec: string): SpecSyntax {
  if (/^\s*log_format\s/.test(spec)) return 'nginx';
  if (/^\s*(LogFormat|CustomLog)\s/i.test(spec)) return 'apache';
  let nginx = 0;
  let apache = 0;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    const d = spec[i + 1];
    if (d === undefined) break;
    if (c === '$' && /[A-Za-z_{]/.test(d)) nginx++;
    else if (c === '%') {
      if (d === '%') i++;
      else if (APACHE_START.test(d)) apache++;
    }
  }
  if (nginx === 0 && apache === 0) {
    throw new LogFormatError(spec, 0, 'no fields found: expected nginx $variables (e.g. $remote_addr) or Apache %directives (e.g. %h)');
  }
  if (nginx === apache) {
    throw new LogFormatError(spec, 0, `mixes ${nginx} nginx $variables and ${apache} Apache %directives: use one syntax`);
  }
  return nginx > apache ? 'nginx' : 'apache';
}

/** Turns spec tokens into a Template: decides how each field ends from the literals around it. */
export function buildTemplate(spec: string, tokens: SpecToken[], opts: TemplateOptions = {}): Template {
  const mayEnd = new Set(opts.mayEndAfter ?? []);
  const truncatedLast = opts.truncatedLast !== false;
  let k = 0;
  let head = '';
  if (tokens[0]?.kind === 'lit') {
    head = tokens[0].text;
    k = 1;
  }
  const steps: FieldStep[] = [];
  let prevLit = head;
  for (; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === 'lit') {
      prevLit = t.text;
      continue;
    }
    const next = tokens[k + 1];
    if (next?.kind === 'var') {
      throw new LogFormatError(
        spec, next.pos,
        `${t.written} and ${next.written} have nothing between them, so their values cannot be told apart: put a separator (e.g. a space) between them`,
      );
    }
    const after = next?.kind === 'lit' ? next.text : '';
    const def = varDef(t.name, opts.vars);
    let lex: Lex;
    if (prevLit.endsWith('"') && after.startsWith('"')) lex = 'quoted';
    else if (prevLit.endsWith('[') && after.startsWith(']')) lex = 'bracket';
    else if (def.list) lex = 'list';
    else lex = 'bare';
    const last = k + 1 >= tokens.length || (k + 2 >= tokens.length && next?.kind === 'lit');
    steps.push({
      name: t.name,
      def,
      lex,
      after,
      stop: after.length > 0 ? after.charCodeAt(0) : -1,
      mayEnd: mayEnd.has(t.name) || (last && lex === 'quoted' && truncatedLast),
      skipStops: t.stopsInValue ?? 0,
      specPos: t.pos,
    });
    prevLit = '';
  }
  if (steps.length === 0) {
    throw new LogFormatError(spec, 0, 'no fields found: expected nginx $variables or Apache %directives');
  }
  for (const name of mayEnd) {
    if (!steps.some((s) => s.name === name)) throw new Error(`mayEndAfter names ${name}, which is not in the format`);
  }
  return { head, steps, trailing: opts.trailing ?? 'reject' };
}

/** Reads a spec in either syntax (a `log_format …;` or `LogFormat "…"` wrapper is accepted) into a Template. */
export function compileTemplate(spec: string, opts: TemplateOptions = {}, syntax?: SpecSyntax): Template {
  const kind = syntax ?? detectSyntax(spec);
  const text = kind === 'nginx' ? unwrapNginxDirective(spec) : unwrapApacheDirective(spec);
  // Trailing spaces and tabs, trimmed with a loop: the regex /[ \t]+$/ is quadratic (recheck, B-24).
  let cut = text.length;
  while (cut > 0 && (text.charCodeAt(cut - 1) === 32 || text.charCodeAt(cut - 1) === 9)) cut--;
  const trimmed = text.slice(0, cut);
  if (trimmed.trim() === '') throw new LogFormatError(spec, 0, 'the format is empty');
  const tokens = kind === 'nginx' ? tokenizeNginx(trimmed) : tokenizeApache(trimmed);
  return buildTemplate(trimmed, tokens, opts);
}

/**
 * Compiles a user's `--log-format` (nginx or Apache syntax, auto-detected) into a LogFormat.
 * Throws LogFormatError (an Error) naming the column and what was expected when the spec is bad.
 */
export function compileLogFormat(spec: string, id = 'custom'): LogFormat {
  const syntax = detectSyntax(spec);
  const template = compileTemplate(spec, {}, syntax);
  return {
    id,
    title: `custom ${syntax === 'nginx' ? 'nginx log_format' : 'Apache LogFormat'}: ${spec.length > 80 ? spec.slice(0, 77) + '...' : spec}`,
    create: () => templateParser(template),
    samples: [],
    spec,
  };
}

export interface TemplateFormatDef {
  id: string;
  title: string;
  /** The format written as an nginx log_format or Apache LogFormat string. */
  spec: string;
  syntax: SpecSyntax;
  options?: TemplateOptions;
  parser?: TemplateParserOptions;
  finish?: FinishHook;
  samples: FormatSample[];
}

/** A built-in positional format declared as a spec string plus options (see formats/README.md). */
export function defineTemplateFormat(def: TemplateFormatDef): LogFormat & { template: Template } {
  const template = compileTemplate(def.spec, def.options ?? {}, def.syntax);
  const parserOpts: TemplateParserOptions = { ...def.parser, ...(def.finish ? { finish: def.finish } : {}) };
  return {
    id: def.id,
    title: def.title,
    template,
    create: () => templateParser(template, parserOpts),
    samples: def.samples,
  };
}
