import { describe, expect, it } from 'vitest';
import { LabelSelector, Selector } from './label-selector';
import { Labels } from './labels';

const web = { team: 'web', tier: 'frontend', 'example.com/owner': 'ana' };
const db = { team: 'web', tier: 'db' };
const bare = {};

const selected = (selector: string) =>
  Object.entries({ web, db, bare })
    .filter(([, labels]) => LabelSelector.parse(selector).matches(labels))
    .map(([name]) => name);

describe('label selectors, as kubectl -l reads them', () => {
  it('matches equality, inequality and existence, all requirements at once', () => {
    expect(selected('team=web')).toEqual(['web', 'db']);
    expect(selected('team==web,tier!=db')).toEqual(['web']);
    expect(selected('tier')).toEqual(['web', 'db']);
    expect(selected('!tier')).toEqual(['bare']);
    expect(selected('example.com/owner=ana')).toEqual(['web']);
  });

  it('matches set requirements; != and notin also match apps without the key', () => {
    expect(selected('tier in (db, cache)')).toEqual(['db']);
    expect(selected('tier notin (db)')).toEqual(['web', 'bare']);
    expect(selected('tier!=frontend')).toEqual(['db', 'bare']);
    expect(selected(' team = web , tier in (frontend,db) ')).toEqual(['web', 'db']);
  });

  it('takes an empty value after = as Kubernetes does', () => {
    expect(LabelSelector.parse('tier=').matches({ tier: '' })).toBe(true);
    expect(LabelSelector.parse('tier=').matches(web)).toBe(false);
  });

  it('says what is wrong with a selector it cannot read', () => {
    const problem = (selector: string) => {
      const result = Selector.safeParse(selector);
      return result.success ? 'parsed' : result.error.issues[0].message;
    };
    expect(problem('')).toMatch(/^"" is no label selector: it is empty/);
    expect(problem('tier in (a, b')).toMatch(/it ends where "\)" was expected/);
    expect(problem('tier in a')).toMatch(/in and notin need a list of values/);
    expect(problem('tier > 3')).toMatch(/">" follows tier where =, ==, !=, in or notin/);
    expect(problem('team=web tier=db')).toMatch(/"tier" stands where "," was expected/);
    expect(problem('-team=web')).toMatch(/label key "-team"/);
    expect(problem('team=we b')).toMatch(/"b" stands where "," was expected/);
    expect(problem('team=web,')).toMatch(/it ends where a key was expected/);
    expect(problem('team=web,tier in (db)')).toBe('parsed');
  });
});

describe('metadata.labels', () => {
  it('accepts Kubernetes labels and names each bad key or value', () => {
    expect(Labels.safeParse({ 'app.kubernetes.io/part-of': 'shop', team: '' }).success).toBe(true);
    const result = Labels.safeParse({ 'Bad Key': 'x', team: 'a/b' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path, issue.message])).toEqual([
      [['Bad Key'], expect.stringMatching(/^label key "Bad Key" must be/)],
      [['team'], expect.stringMatching(/^label value "a\/b" must be empty or/)],
    ]);
  });
});
