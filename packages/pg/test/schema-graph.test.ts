import { describe, expect, it } from 'vitest';
import { closure, dependencyOrder, type Graph, type GraphNode, type NodeKind } from '../src/schema/graph.js';

const RANK: Record<string, number> = {
  schema: 0,
  ext: 1,
  coll: 2,
  shell: 3,
  type: 3,
  func: 4,
  seq: 5,
  table: 6,
  view: 7,
  matview: 7,
};

function graph(nodes: [string, NodeKind][], edges: [string, string][]): Graph {
  const map = new Map<string, GraphNode>(
    nodes.map(([key, kind]) => [key, { key, kind, order: `${RANK[kind]}\u0000${key}` }]),
  );
  const needs = new Map<string, Set<string>>(nodes.map(([key]) => [key, new Set<string>()]));
  for (const [from, to] of edges) needs.get(from)?.add(to);
  return { nodes: map, needs, splitChecks: new Set() };
}

describe('schema dependency order', () => {
  it('puts what is needed first and otherwise keeps the kind order', () => {
    const g = graph(
      [
        ['s', 'schema'],
        ['t', 'table'],
        ['d', 'type'],
        ['c', 'type'],
        ['f', 'func'],
        ['v', 'view'],
        ['w', 'view'],
      ],
      [
        ['t', 's'],
        ['c', 'd'], // composite c uses domain d
        ['d', 'f'], // domain check calls f: f goes before both types
        ['t', 'c'],
        ['w', 'v'],
        ['v', 't'],
      ],
    );
    const order = dependencyOrder(g, new Set(g.nodes.keys())).map((n) => n.key);
    expect(order).toEqual(['s', 'f', 'd', 'c', 't', 'v', 'w']);
  });

  it('breaks a cycle instead of dropping its objects', () => {
    const g = graph(
      [
        ['a', 'table'],
        ['b', 'table'],
        ['x', 'view'],
      ],
      [
        ['a', 'b'],
        ['b', 'a'],
        ['x', 'a'],
      ],
    );
    const order = dependencyOrder(g, new Set(g.nodes.keys())).map((n) => n.key);
    expect(order).toEqual(['a', 'b', 'x']);
  });

  it('follows needs and extras for a selection, not dependents', () => {
    const g = graph(
      [
        ['s', 'schema'],
        ['t', 'table'],
        ['q', 'seq'],
        ['u', 'table'],
        ['v', 'view'],
      ],
      [
        ['t', 's'],
        ['u', 's'],
        ['v', 't'],
        ['q', 's'],
      ],
    );
    const picked = closure(g, ['t'], (key) => (key === 't' ? ['q'] : []));
    expect([...picked].sort()).toEqual(['q', 's', 't']);
  });
});
