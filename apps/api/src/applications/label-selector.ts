import { z } from 'zod';
import { labelKeyProblem, labelValueProblem, type Labels } from './labels';

type Requirement =
  | { key: string; op: 'exists' | '!exists' }
  | { key: string; op: '=' | '!='; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] };

/** `tier=db`, `tier in (a, b)`: whitespace, and the punctuation a selector is made of. */
const TOKEN = /(==|!=|=|!|\(|\)|,|[^\s=!(),]+)/g;

/**
 * A Kubernetes label selector, as `kubectl -l` and `argocd app sync -l` take it:
 * requirements joined by commas, all of which must hold: `key`, `!key`, `key=value`
 * (or `==`), `key!=value`, `key in (a,b)`, `key notin (a,b)`. As in Kubernetes, `!=` and
 * `notin` also match labels without the key.
 */
export class LabelSelector {
  private constructor(
    readonly text: string,
    private readonly requirements: readonly Requirement[],
  ) {}

  /** Throws an Error that says what is wrong and where. */
  static parse(text: string): LabelSelector {
    const tokens = tokenize(text);
    const requirements: Requirement[] = [];
    let at = 0;
    const peek = () => tokens[at];
    const next = (what: string) => {
      const token = tokens[at++];
      if (token === undefined) throw new Error(`it ends where ${what} was expected`);
      return token;
    };
    const label = (kind: 'key' | 'value', token: string) => {
      if (PUNCTUATION.has(token)) throw new Error(`"${token}" stands where a ${kind} was expected`);
      const problem = kind === 'key' ? labelKeyProblem(token) : labelValueProblem(token);
      if (problem) throw new Error(problem);
      return token;
    };
    /** `=value`: an empty value when a comma or the end comes first, as Kubernetes allows. */
    const value = () =>
      peek() === undefined || peek() === ',' ? '' : label('value', next('a value'));
    const set = () => {
      if (next('"("') !== '(')
        throw new Error('in and notin need a list of values in parentheses: in (a, b)');
      const values = [label('value', next('a value'))];
      for (;;) {
        const token = next('")"');
        if (token === ')') return values;
        if (token !== ',') throw new Error(`"${token}" stands where "," or ")" was expected`);
        values.push(label('value', next('a value')));
      }
    };

    if (tokens.length === 0)
      throw new Error('it is empty: give at least one requirement, e.g. team=web');
    for (;;) {
      if (peek() === '!') {
        at++;
        requirements.push({ key: label('key', next('a key')), op: '!exists' });
      } else {
        const key = label('key', next('a key'));
        const op = peek();
        if (op === undefined || op === ',') requirements.push({ key, op: 'exists' });
        else if (op === '=' || op === '==') {
          at++;
          requirements.push({ key, op: '=', value: value() });
        } else if (op === '!=') {
          at++;
          requirements.push({ key, op: '!=', value: value() });
        } else if (op === 'in' || op === 'notin') {
          at++;
          requirements.push({ key, op, values: set() });
        } else {
          throw new Error(`"${op}" follows ${key} where =, ==, !=, in or notin was expected`);
        }
      }
      const separator = tokens[at++];
      if (separator === undefined) return new LabelSelector(text, requirements);
      if (separator !== ',') throw new Error(`"${separator}" stands where "," was expected`);
    }
  }

  matches(labels: Labels): boolean {
    return this.requirements.every((requirement) => {
      const has = Object.hasOwn(labels, requirement.key);
      const value = labels[requirement.key];
      switch (requirement.op) {
        case 'exists':
          return has;
        case '!exists':
          return !has;
        case '=':
          return has && value === requirement.value;
        case '!=':
          return !has || value !== requirement.value;
        case 'in':
          return has && requirement.values.includes(value);
        case 'notin':
          return !has || !requirement.values.includes(value);
      }
    });
  }
}

const PUNCTUATION = new Set(['==', '!=', '=', '!', '(', ')', ',']);

/** Every character is whitespace, punctuation or part of a word: tokenizing cannot fail. */
function tokenize(text: string): string[] {
  return [...text.matchAll(TOKEN)].map((match) => match[1]);
}

/** A request field holding a label selector: parsed, or a 400 naming the field and the reason. */
export const Selector = z.string().transform((text, context) => {
  try {
    return LabelSelector.parse(text);
  } catch (error) {
    context.addIssue({
      code: 'custom',
      message: `${JSON.stringify(text)} is no label selector: ${(error as Error).message}`,
    });
    return z.NEVER;
  }
});
