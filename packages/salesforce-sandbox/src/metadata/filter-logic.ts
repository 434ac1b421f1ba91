/**
 * Flow condition logic: `and`, `or`, or a custom expression such as `1 AND (2 OR NOT 3)` whose
 * numbers are 1-based filter positions.
 */
export type LogicNode =
  | { kind: 'ref'; index: number }
  | { kind: 'not'; operand: LogicNode }
  | { kind: 'and' | 'or'; operands: LogicNode[] };

export class FilterLogicError extends Error {
  override readonly name = 'FilterLogicError';
}

function tokenize(logic: string): string[] {
  const tokens = logic.match(/\(|\)|\d+|[A-Za-z]+|\S/g) ?? [];
  return tokens.map((token) => (/^[A-Za-z]+$/.test(token) ? token.toUpperCase() : token));
}

export function parseFilterLogic(logic: string | undefined, filterCount: number): LogicNode {
  const refs = Array.from({ length: filterCount }, (_, index): LogicNode => ({ kind: 'ref', index }));
  const trimmed = (logic ?? 'and').trim().toLowerCase();
  if (trimmed === 'and' || trimmed === '') return { kind: 'and', operands: refs };
  if (trimmed === 'or') return { kind: 'or', operands: refs };

  const tokens = tokenize(logic ?? '');
  let position = 0;
  const used = new Set<number>();
  const peek = (): string | undefined => tokens[position];
  const next = (): string | undefined => tokens[position++];

  const parseOr = (): LogicNode => {
    const operands = [parseAnd()];
    while (peek() === 'OR') {
      next();
      operands.push(parseAnd());
    }
    return operands.length === 1 && operands[0] ? operands[0] : { kind: 'or', operands };
  };
  const parseAnd = (): LogicNode => {
    const operands = [parseUnary()];
    while (peek() === 'AND') {
      next();
      operands.push(parseUnary());
    }
    return operands.length === 1 && operands[0] ? operands[0] : { kind: 'and', operands };
  };
  const parseUnary = (): LogicNode => {
    const token = next();
    if (token === 'NOT') return { kind: 'not', operand: parseUnary() };
    if (token === '(') {
      const inner = parseOr();
      if (next() !== ')') throw new FilterLogicError(`Missing ")" in filter logic "${logic}"`);
      return inner;
    }
    if (token !== undefined && /^\d+$/.test(token)) {
      const number = Number(token);
      if (number < 1 || number > filterCount) {
        throw new FilterLogicError(
          `Filter logic "${logic}" references condition ${number}, which doesn't exist`,
        );
      }
      used.add(number);
      return { kind: 'ref', index: number - 1 };
    }
    throw new FilterLogicError(`The filter logic "${logic}" isn't valid`);
  };

  const tree = parseOr();
  if (position !== tokens.length) throw new FilterLogicError(`The filter logic "${logic}" isn't valid`);
  for (let number = 1; number <= filterCount; number++) {
    if (!used.has(number)) {
      throw new FilterLogicError(`Condition ${number} isn't referenced in the filter logic "${logic}"`);
    }
  }
  return tree;
}

export function evaluateLogic(node: LogicNode, results: readonly boolean[]): boolean {
  switch (node.kind) {
    case 'ref':
      return results[node.index] === true;
    case 'not':
      return !evaluateLogic(node.operand, results);
    case 'and':
      return node.operands.every((operand) => evaluateLogic(operand, results));
    case 'or':
      return node.operands.some((operand) => evaluateLogic(operand, results));
  }
}
